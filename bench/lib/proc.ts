/// <reference types="bun" />
/**
 * Server processes for the benchmark: start one, wait for its `READY <port>` line, read its CPU time (sum of
 * every thread's schedstat, so GC and I/O threads count) and resident memory from /proc.
 */
import { readdirSync, readFileSync } from "node:fs";
import type { Subprocess } from "bun";

/** A benchmark server as the load generator sees it. */
export interface ServerSpec {
  /** Row label, e.g. "sockeon-ts (Bun)". */
  readonly name: string;
  /** Runtime group the ratios are taken within: bun, deno or node. */
  readonly runtime: "bun" | "deno" | "node";
  /** Wire protocol the clients speak: our JSON frames, or socket.io over engine.io. */
  readonly flavour: "json" | "sio";
  /** Command line, relative to the repository root. */
  readonly cmd: readonly string[];
  /** Extra environment. */
  readonly env?: Record<string, string>;
}

/** A started server. */
export interface Running {
  readonly spec: ServerSpec;
  readonly pid: number;
  readonly port: number;
  stop(): Promise<void>;
}

/** Starts a server and resolves once it printed `READY <port>` (fails after 20 s). */
export async function startServer(spec: ServerSpec, root: string): Promise<Running> {
  const proc: Subprocess<"ignore", "pipe", "inherit"> = Bun.spawn([...spec.cmd], {
    cwd: root,
    env: { ...process.env, ...spec.env, NO_COLOR: "1" },
    stdin: "ignore",
    stdout: "pipe",
    stderr: "inherit",
  });
  const reader = proc.stdout.getReader();
  const decoder = new TextDecoder();
  let text = "";
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value);
    const match = /READY (\d+)/.exec(text);
    if (match) {
      // keep draining stdout so a chatty server never blocks on a full pipe
      void (async () => {
        while (!(await reader.read()).done) {}
      })().catch(() => undefined);
      return {
        spec,
        pid: proc.pid,
        port: Number(match[1]),
        stop: async () => {
          proc.kill("SIGKILL");
          await proc.exited;
        },
      };
    }
  }
  proc.kill("SIGKILL");
  throw new Error(`${spec.name} did not print READY (output: ${text.slice(0, 500)})`);
}

/** Nanoseconds of CPU every thread of `pid` has run so far (first field of /proc/<pid>/task/<tid>/schedstat). */
export function cpuNs(pid: number): number {
  let total = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      total += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[0]);
    } catch {
      // a thread that exited between the listing and the read has no more CPU to add
    }
  }
  return total;
}

/** Resident set size of `pid` in bytes. */
export function rssBytes(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return match ? Number(match[1]) * 1024 : Number.NaN;
}
