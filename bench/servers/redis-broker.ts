/**
 * The Redis broker of the benchmark app (bench/servers/sockeon.ts) for the cross-node benchmark: REDIS_URL (one
 * Redis) or REDIS_CLUSTER (comma-separated host:port seeds: sharded pub/sub), prefix REDIS_PREFIX.
 */
import process from "node:process";
import { createClient, createCluster } from "redis";
import type { Broker } from "../../src/extend.ts";
import { createRedisBroker } from "../../src/redis.ts";

/** A Redis broker from the environment; it adds its own error listeners, so failures are logged, never fatal. */
export async function broker(): Promise<Broker> {
  const seeds = process.env.REDIS_CLUSTER?.split(",").filter((seed) => seed.length > 0);
  const redis = seeds?.length
    ? createCluster({ rootNodes: seeds.map((seed) => ({ url: `redis://${seed}` })) })
    : createClient({ url: process.env.REDIS_URL });
  return createRedisBroker({ redis, prefix: process.env.REDIS_PREFIX ?? "sockeon" });
}
