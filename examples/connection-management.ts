/**
 * Sockeon's "Connection Management" docs page as one runnable server. The same file runs with
 * `bun examples/connection-management.ts`, `deno run -A examples/connection-management.ts` and
 * `npx tsx examples/connection-management.ts`. PORT (default 6001) and HOST (default 127.0.0.1) override.
 */
import process from "node:process";
import { serve } from "../adapters/serve.ts";
import { createServer } from "../src/index.ts";
import { connectionManagementControllers } from "./controllers/connection-management.ts";

const server = createServer({
  port: Number(process.env.PORT ?? 6001),
  host: process.env.HOST ?? "127.0.0.1",
}).register(...connectionManagementControllers);

const listener = await serve(server);
console.log(`sockeon-ts listening on ws://${listener.hostname}:${listener.port}/`);

// graceful shutdown: queued frames are delivered, clients get close 1001, disconnect handlers run
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, async () => {
    await server.close({ timeout: 5000 });
    process.exit(0);
  });
}
