/**
 * The benchmark app on socket.io 4.8 (Node), websocket transport only: `join` -> room "bench" and `joined`,
 * `say` -> `io.to("bench").emit("msg")`, `echo` -> `socket.emit("echo")`. Run with `--expose-gc`.
 * Prints `READY <port>`. With REDIS_URL it runs behind `@socket.io/redis-adapter` (classic pub/sub); with
 * REDIS_CLUSTER (comma-separated host:port seeds) behind its sharded adapter on a Redis Cluster, for the
 * cross-node benchmark (bench/cluster.ts).
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import process from "node:process";
import { createAdapter, createShardedAdapter } from "@socket.io/redis-adapter";
import { createClient, createCluster } from "redis";
import { Server } from "socket.io";
import { collectGarbage } from "./gc.ts";

const http = createServer((request, response) => {
  if (request.url === "/gc") response.end(String(collectGarbage()));
});
const io = new Server(http, { transports: ["websocket"], serveClient: false });
const seeds = process.env.REDIS_CLUSTER?.split(",").filter((seed) => seed.length > 0);
// as a careful user would: Redis errors (e.g. node-redis command timeouts under a burst) are logged, not fatal
const logError = (error: unknown): void => console.error("redis:", (error as Error)?.message ?? error);
process.on("unhandledRejection", logError);
if (seeds?.length) {
  const pub = createCluster({ rootNodes: seeds.map((seed) => ({ url: `redis://${seed}` })) });
  const sub = pub.duplicate();
  for (const client of [pub, sub]) client.on("error", logError);
  await Promise.all([pub.connect(), sub.connect()]);
  io.adapter(createShardedAdapter(pub, sub));
} else if (process.env.REDIS_URL) {
  const pub = createClient({ url: process.env.REDIS_URL });
  const sub = pub.duplicate();
  for (const client of [pub, sub]) client.on("error", logError);
  await Promise.all([pub.connect(), sub.connect()]);
  io.adapter(createAdapter(pub, sub));
}
io.on("connection", (socket) => {
  socket.on("join", () => {
    void socket.join("bench");
    socket.emit("joined", {});
  });
  socket.on("say", (data: unknown) => io.to("bench").emit("msg", data));
  socket.on("echo", (data: unknown) => socket.emit("echo", data));
});
http.listen(0, "127.0.0.1", () => console.log(`READY ${(http.address() as AddressInfo).port}`));
