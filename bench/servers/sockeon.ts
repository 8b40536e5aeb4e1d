/**
 * The benchmark app on sockeon-ts; the same file runs on Bun, Deno and Node (tsx) through `serve()`.
 * Events: `join` (enter room "bench", answer `joined`), `say` (broadcast `msg` to the room), `echo` (answer
 * `echo` to the sender). GET /gc runs a full GC so idle-memory readings are comparable. Prints `READY <port>`.
 * With REDIS_URL (one Redis) or REDIS_CLUSTER (comma-separated host:port seeds of a Redis Cluster: sharded
 * pub/sub) it runs behind the Redis broker with prefix REDIS_PREFIX, for the cross-node benchmark (bench/cluster.ts).
 */
import process from "node:process";
import { createClient, createCluster } from "redis";
import { serve } from "../../adapters/serve.ts";
import { createServer, SocketController, SocketOn } from "../../src/index.ts";
import { createRedisBroker } from "../../src/redis.ts";
import { collectGarbage } from "./gc.ts";

class BenchController extends SocketController {
  @SocketOn("join")
  onJoin(clientId: string): void {
    this.joinRoom(clientId, "bench");
    this.emit(clientId, "joined", {});
  }

  @SocketOn("say")
  onSay(_clientId: string, data: Record<string, unknown>): void {
    this.broadcastToRoomClients("msg", data, "bench");
  }

  @SocketOn("echo")
  onEcho(clientId: string, data: Record<string, unknown>): void {
    this.emit(clientId, "echo", data);
  }
}

const seeds = process.env.REDIS_CLUSTER?.split(",").filter((seed) => seed.length > 0);
const redis = seeds?.length
  ? createCluster({ rootNodes: seeds.map((seed) => ({ url: `redis://${seed}` })) })
  : process.env.REDIS_URL
    ? createClient({ url: process.env.REDIS_URL })
    : undefined;
// the broker adds its own error listeners; failures reach onError (logged), never crash the node
const broker = redis && createRedisBroker({ redis, prefix: process.env.REDIS_PREFIX ?? "sockeon" });
const server = createServer({
  port: 0,
  host: "127.0.0.1",
  registerSystemControllers: false,
  maxConnections: 100_000,
  broker,
}).register(new BenchController());
await server.ready();
server.app.get("/gc", (c) => c.text(String(collectGarbage())));
const listener = await serve(server);
console.log(`READY ${listener.port}`);
// a clean exit on SIGTERM lets `--cpu-prof` write its profile (bench/profile.ts)
process.on("SIGTERM", () => process.exit(0));
