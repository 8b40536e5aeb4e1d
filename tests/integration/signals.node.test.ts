/**
 * SIGTERM/SIGINT in the examples run a graceful shutdown on every runtime: each client gets close 1001
 * "server shutting down" and the process exits with 0.
 */
import { once } from "node:events";
import { describe, expect, test } from "../support/test.ts";
import { TestClient } from "./support/client.ts";
import { RUNTIMES, startExample } from "./support/example-process.ts";

describe("examples shut down gracefully on signals", () => {
  for (const [name, command] of RUNTIMES) {
    for (const [file, signal] of [
      ["examples/connection-management.ts", "SIGTERM"],
      ["examples/hono-app.ts", "SIGINT"],
    ] as const) {
      test(`${name}: ${signal} to ${file} closes clients with 1001 and exits 0`, async () => {
        const { url, child } = await startExample(command, file);
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
