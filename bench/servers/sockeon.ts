/**
 * The benchmark app on sockeon-ts; the same file runs on Bun, Deno and Node (tsx) through `serve()`.
 * Events: `join` (enter room "bench", answer `joined`), `say` (broadcast `msg` to the room), `echo` (answer
 * `echo` to the sender). METRICS=1 turns Prometheus metrics on (the on/off rows). GET /gc runs a full GC so idle-memory readings are comparable. Prints `READY <port>`.
 * With REDIS_URL (one Redis) or REDIS_CLUSTER (comma-separated host:port seeds of a Redis Cluster: sharded
 * pub/sub) it runs behind the Redis broker with prefix REDIS_PREFIX, for the cross-node benchmark (bench/cluster.ts).
 */
import process from "node:process";
import { serve } from "../../adapters/serve.ts";
import { createServer } from "../../src/index.ts";
import { BenchController } from "./bench-controller.ts";
import { collectGarbage } from "./gc.ts";

// Redis only when asked for, loaded on demand, so the single-node app is the same as without a backplane
const broker =
  process.env.REDIS_CLUSTER || process.env.REDIS_URL ? await (await import("./redis-broker.ts")).broker() : undefined;
// RECOVERY=1: connection-state recovery on (the bench clients always opt in, so every frame is also logged)
const server = createServer({
  port: 0,
  host: "127.0.0.1",
  registerSystemControllers: false,
  maxConnections: 100_000,
  broker,
  metrics: process.env.METRICS === "1",
  connectionStateRecovery: process.env.RECOVERY === "1",
}).register(new BenchController());
await server.ready();
server.app.get("/gc", (c) => c.text(String(collectGarbage())));
const listener = await serve(server);
console.log(`READY ${listener.port}`);
// a clean exit on SIGTERM lets `--cpu-prof` write its profile (bench/profile.ts)
process.on("SIGTERM", () => process.exit(0));
