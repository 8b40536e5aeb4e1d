/**
 * Publishes into the cluster from a process that serves no sockets (a worker, a cron job):
 *
 *   REDIS_URL=redis://127.0.0.1:6379 npx tsx examples/cluster/emitter.ts lobby "deploy at 5"
 *
 * With REDIS_CLUSTER (comma-separated host:port seeds) instead of REDIS_URL it publishes into a Redis Cluster.
 *
 * Every member of room `lobby` on every node gets `{"event":"room.message","data":{"from":"emitter",...}}`.
 */
import process from "node:process";
import { createClient, createCluster } from "redis";
import { createEmitter } from "../../src/redis.ts";

const [room = "lobby", text = "hello from a worker"] = process.argv.slice(2);
const seeds = process.env.REDIS_CLUSTER?.split(",").filter((seed) => seed.length > 0);
const redis = seeds?.length
  ? createCluster({ rootNodes: seeds.map((seed) => ({ url: `redis://${seed}` })) })
  : createClient({ url: process.env.REDIS_URL ?? "redis://127.0.0.1:6379" });
redis.on("error", (error: Error) => console.error("redis:", error.message));
await redis.connect();
await createEmitter({ redis }).to(room).emit("room.message", { from: "emitter", text });
console.log(`sent to room ${room}`);
await redis.close();
