/** Runs a TypeScript file as a child process on a chosen runtime and waits for the ws:// URL it prints. */
import { type ChildProcess, spawn } from "node:child_process";
import process from "node:process";

/** A runtime a child node can run on. */
export type Runtime = "bun" | "deno" | "node";

const COMMANDS: Record<Runtime, string[]> = {
  bun: ["node_modules/.bin/bun"],
  deno: ["node_modules/.bin/deno", "run", "-A"],
  node: ["node_modules/.bin/tsx"],
};

/** A child process serving a node. */
export interface ChildNode {
  readonly runtime: Runtime;
  readonly url: string;
  readonly child: ChildProcess;
  /** PID of the process actually serving (tsx and the npm shims of bun and deno run it as a grandchild). */
  readonly pid: number;
  /** Everything the child printed so far. */
  output(): string;
  /** True while the process runs. */
  alive(): boolean;
  /** Kills it with a signal (SIGKILL for a crash) and waits for the exit. */
  kill(signal?: "SIGKILL" | "SIGTERM"): Promise<void>;
}

/** Whether a process with this PID exists (signal 0 checks without signalling). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Starts `file` on `runtime` with extra environment; resolves once it printed its ws:// URL. */
export async function startChild(runtime: Runtime, file: string, env: Record<string, string>): Promise<ChildNode> {
  const [bin, ...args] = COMMANDS[runtime] as [string, ...string[]];
  const child = spawn(bin, [...args, file], {
    env: { ...process.env, PORT: "0", HOST: "127.0.0.1", NO_COLOR: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stderr?.on("data", (chunk: Uint8Array) => (output += String(chunk)));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let pid = 0;
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${runtime} ${file} did not start within 30 s:\n${output}`)), 30000);
    child.stdout?.on("data", (chunk: Uint8Array) => {
      output += String(chunk);
      const match = /\(pid (\d+)\) listening on (ws:\/\/[\d.]+:\d+\/)/.exec(output);
      if (match) {
        clearTimeout(timer);
        pid = Number(match[1]);
        resolve(match[2] as string);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${runtime} ${file} exited with ${code}:\n${output}`));
    });
  });
  return {
    runtime,
    url,
    child,
    pid,
    output: () => output,
    alive: () => isRunning(pid),
    async kill(signal = "SIGTERM") {
      if (child.exitCode !== null || child.signalCode !== null) return;
      // the serving process first (a crash is a SIGKILL of the server itself), then any wrapper left
      if (isRunning(pid)) process.kill(pid, signal);
      const timer = setTimeout(() => {
        for (const p of [pid, child.pid as number]) if (isRunning(p)) process.kill(p, "SIGKILL");
      }, 5000);
      await exited;
      clearTimeout(timer);
      if (isRunning(pid)) process.kill(pid, "SIGKILL");
    },
  };
}

/** Runs `file` with `args` on `runtime` to completion; resolves with its output, rejects on a non-zero exit. */
export function runToEnd(runtime: Runtime, file: string, args: string[], env: Record<string, string>): Promise<string> {
  const [bin, ...pre] = COMMANDS[runtime] as [string, ...string[]];
  const child = spawn(bin, [...pre, file, ...args], {
    env: { ...process.env, NO_COLOR: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Uint8Array) => (output += String(chunk)));
  child.stderr?.on("data", (chunk: Uint8Array) => (output += String(chunk)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 30000);
    child.once("exit", (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(output);
      else reject(new Error(`${runtime} ${file} exited with ${code}:\n${output}`));
    });
  });
}
