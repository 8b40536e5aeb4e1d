/**
 * A private `redis-server` for one test file: a free port on 127.0.0.1, no persistence, started and killed by
 * PID (never the shared server on 6379). `stop()` + `start()` again on the same port simulate an outage.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import process from "node:process";

/** A running (or stopped) private Redis. */
export interface RedisProcess {
  readonly port: number;
  readonly url: string;
  /** PID of the current redis-server process, if running. */
  readonly pid: number | undefined;
  /** Starts it again on the same port (after `kill`). */
  start(): Promise<void>;
  /** Kills it with SIGKILL (an abrupt outage) and waits for the exit. */
  kill(): Promise<void>;
}

/** A port that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Starts a private redis-server; resolves once it accepts connections. */
export async function startRedis(): Promise<RedisProcess> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const launch = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const proc = spawn(
        "redis-server",
        ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "no"],
        { stdio: ["ignore", "pipe", "pipe"] },
      );
      child = proc;
      let output = "";
      const timer = setTimeout(() => reject(new Error(`redis-server did not start within 10 s:\n${output}`)), 10000);
      proc.stdout?.on("data", (chunk: Uint8Array) => {
        output += String(chunk);
        if (output.includes("Ready to accept connections")) {
          clearTimeout(timer);
          resolve();
        }
      });
      proc.once("error", (error) => {
        clearTimeout(timer);
        reject(new Error(`could not run redis-server (is it installed?): ${error.message}`));
      });
      proc.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited with ${code}:\n${output}`));
      });
    });
  await launch();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    get pid() {
      return child?.exitCode === null ? child.pid : undefined;
    },
    start: launch,
    async kill() {
      const proc = child;
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
      process.kill(proc.pid as number, "SIGKILL");
      await exited;
    },
  };
}
