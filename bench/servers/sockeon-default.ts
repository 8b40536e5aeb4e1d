/**
 * The benchmark app on sockeon-ts written as a user would from the README: `createServer({ port, host,
 * maxConnections: 20000 })`, every other option at its default (system controllers on, metrics and recovery
 * off). Same events as bench/servers/sockeon.ts (`join`, `say`, `echo`); runs on Bun, Deno and Node (tsx).
 * GET /gc runs a full GC. Prints `READY <port>`.
 */
import process from "node:process";
import { serve } from "../../adapters/serve.ts";
import { createServer } from "../../src/index.ts";
import { BenchController } from "./bench-controller.ts";
import { collectGarbage } from "./gc.ts";

const server = createServer({ port: 0, host: "127.0.0.1", maxConnections: 20_000 }).register(new BenchController());
server.app.get("/gc", (c) => c.text(String(collectGarbage())));
const listener = await serve(server);
console.log(`READY ${listener.port}`);
// a clean exit on SIGTERM lets `--cpu-prof` write its profile
process.on("SIGTERM", () => process.exit(0));
