/**
 * Runs a full garbage collection on whichever runtime runs this (needs `--expose-gc` on Node and Deno) and
 * returns the JS heap in use afterwards, in bytes.
 */
export function collectGarbage(): number {
  const g = globalThis as {
    Bun?: { gc(force: boolean): void };
    gc?: () => void;
    process?: { memoryUsage(): { heapUsed: number } };
    Deno?: { memoryUsage(): { heapUsed: number } };
  };
  if (g.Bun) g.Bun.gc(true);
  else if (typeof g.gc === "function") g.gc();
  return (g.Deno ?? g.process)?.memoryUsage().heapUsed ?? 0;
}
