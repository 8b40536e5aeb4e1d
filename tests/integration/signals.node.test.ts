/**
 * SIGTERM/SIGINT in the examples run a graceful shutdown on every runtime: each client gets close 1001
 * "server shutting down" and the process exits with 0.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { afterAll, describe, expect, test } from "../support/test.ts";
import { TestClient } from "./support/client.ts";

const runtimes: Array<[string, string[]]> = [
  ["bun", ["node_modules/.bin/bun"]],
  ["deno", ["node_modules/.bin/deno", "run", "-A"]],
  ["tsx", ["node_modules/.bin/tsx"]],
];

const children: ChildProcess[] = [];
afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
});

async function start(command: string[], file: string): Promise<{ url: string; child: ChildProcess }> {
  const [bin, ...args] = command as [string, ...string[]];
  const child = spawn(bin, [...args, file], {
    env: { ...process.env, PORT: "0", HOST: "127.0.0.1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
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

describe("examples shut down gracefully on signals", () => {
  for (const [name, command] of runtimes) {
    for (const [file, signal] of [
      ["examples/connection-management.ts", "SIGTERM"],
      ["examples/hono-app.ts", "SIGINT"],
    ] as const) {
      test(`${name}: ${signal} to ${file} closes clients with 1001 and exits 0`, async () => {
        const { url, child } = await start(command, file);
        const clients = [await TestClient.connect(url), await TestClient.connect(url)];
        for (const client of clients) await client.nextEvent("welcome");
        const exited = once(child, "exit");
        child.kill(signal);
        for (const client of clients) expect(await client.closed).toEqual({ code: 1001, reason: "server shutting down" });
        const [code] = await exited;
        expect(code).toBe(0);
      }, 60000);
    }
  }
});
