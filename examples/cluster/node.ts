/**
 * One node of a cluster: the chat controller behind a Redis broker. Start as many as you like, on any
 * runtime, against the same Redis:
 *
 *   REDIS_URL=redis://127.0.0.1:6379 PORT=6001 NODE_NAME=a bun examples/cluster/node.ts
 *   REDIS_URL=redis://127.0.0.1:6379 PORT=6002 NODE_NAME=b npx tsx examples/cluster/node.ts
 *   REDIS_URL=redis://127.0.0.1:6379 PORT=6003 NODE_NAME=c deno run -A examples/cluster/node.ts
 *
 * Against a Redis Cluster instead, give REDIS_CLUSTER (comma-separated host:port seed nodes) in place of REDIS_URL:
 * the broker then uses sharded pub/sub (SPUBLISH/SSUBSCRIBE, Redis 7), rooms spread over the shards:
 *
 *   REDIS_CLUSTER=127.0.0.1:7000,127.0.0.1:7001 PORT=6001 NODE_NAME=a bun examples/cluster/node.ts
 *
 * LIVENESS_TTL_MS (default 15000) sets how soon a crashed node leaves the cluster; QUERY_TIMEOUT_MS (default 1000)
 * how long a cluster-wide query waits for the other nodes. RECOVERY_MS turns on connection-state recovery across
 * the nodes (that many ms of window, sessions and history in Redis): a client resumes on any node. REDIS_PREFIX
 * (default `sockeon`) prefixes every key and channel: nodes with the same prefix form one cluster.
 */
import process from "node:process";
import { createClient, createCluster } from "redis";
import { serve } from "../../adapters/serve.ts";
import { createServer } from "../../src/index.ts";
import { createRedisBroker, createRedisRecoveryStore } from "../../src/redis.ts";
import { ChatController } from "./chat-controller.ts";

const name = process.env.NODE_NAME ?? "node";
// a short cap on the reconnect delay: delivery resumes well under a second after Redis is back
const socket = { reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 500) };
const seeds = process.env.REDIS_CLUSTER?.split(",").filter((seed) => seed.length > 0);
const redis = seeds?.length
  ? createCluster({ rootNodes: seeds.map((seed) => ({ url: `redis://${seed}` })), defaults: { socket } })
  : createClient({ url: process.env.REDIS_URL ?? "redis://127.0.0.1:6379", socket });
const prefix = process.env.REDIS_PREFIX || undefined;
const broker = createRedisBroker({
  redis,
  prefix,
  nodeId: `${name}-${process.pid}`,
  livenessTtlMs: process.env.LIVENESS_TTL_MS ? Number(process.env.LIVENESS_TTL_MS) : undefined,
  queryTimeoutMs: process.env.QUERY_TIMEOUT_MS ? Number(process.env.QUERY_TIMEOUT_MS) : undefined,
});
const recoveryMs = process.env.RECOVERY_MS ? Number(process.env.RECOVERY_MS) : undefined;
const server = createServer({
  port: Number(process.env.PORT ?? 6001),
  host: process.env.HOST ?? "127.0.0.1",
  broker,
  connectionStateRecovery: recoveryMs
    ? { maxDisconnectionDuration: recoveryMs, store: createRedisRecoveryStore({ redis, prefix }) }
    : undefined,
}).register(new ChatController(name));

// serve at once: local clients are served even while Redis is unreachable; the node joins the cluster when it is
const listener = await serve(server);
console.log(`node ${broker.nodeId} (pid ${process.pid}) listening on ws://${listener.hostname}:${listener.port}/`);
void server.ready().then(() => console.log(`node ${broker.nodeId} joined the cluster`));

const shutdown = async (): Promise<void> => {
  await server.close();
  await listener.stop();
  await redis.close();
  process.exit(0);
};
process.once("SIGTERM", () => void shutdown());
process.once("SIGINT", () => void shutdown());
