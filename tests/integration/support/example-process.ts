/**
 * Example files run as a new user would run them: one child process per runtime, on a free port, killed at the
 * end of the test file whatever happened.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { afterAll } from "../../support/test.ts";

/** The three runtimes, as commands that take a file. */
export const RUNTIMES: Array<[name: string, command: string[]]> = [
  ["bun", ["node_modules/.bin/bun"]],
  ["deno", ["node_modules/.bin/deno", "run", "-A"]],
  ["tsx", ["node_modules/.bin/tsx"]],
];

const children: ChildProcess[] = [];
afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
});

/** Spawns `file` under `command` with PORT=0 and HOST=127.0.0.1 (plus `env`); the child is killed after the file's tests. */
export function spawnExample(command: string[], file: string, env: Record<string, string> = {}): ChildProcess {
  const [bin, ...args] = command as [string, ...string[]];
  const child = spawn(bin, [...args, file], {
    env: { ...process.env, PORT: "0", HOST: "127.0.0.1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  return child;
}

/** Starts an example and resolves with the WebSocket URL it prints (bounded wait: 20 s). */
export async function startExample(command: string[], file: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawnExample(command, file);
  let output = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${file} did not start within 20 s:\n${output}`)), 20000);
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /(ws:\/\/[\d.]+:\d+\/\S*)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1] as string);
      }
    });
    child.stderr?.on("data", (c: Buffer) => (output += c.toString()));
    child.on("exit", (code) => reject(new Error(`${file} exited with ${code}:\n${output}`)));
  });
  return { url, child };
}

/** SIGTERM, then SIGKILL if the child has not exited within 5 s. */
export async function stopExample(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill("SIGTERM");
  await Promise.race([once(child, "exit"), new Promise((r) => setTimeout(r, 5000))]);
  if (child.exitCode === null) child.kill("SIGKILL");
}
