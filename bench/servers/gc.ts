/** Runs a full garbage collection on whichever runtime runs this (needs `--expose-gc` on Node and Deno). */
export function collectGarbage(): void {
  const g = globalThis as { Bun?: { gc(force: boolean): void }; gc?: () => void };
  if (g.Bun) g.Bun.gc(true);
  else if (typeof g.gc === "function") g.gc();
}
