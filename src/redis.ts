/** The `sockeon-ts/redis` entry point: the Redis broker, emitter and rate-limit store. Re-exports only. */

export type { RedisLike } from "./scale/redis.ts";
export { RedisKeys } from "./scale/redis.ts";
export type { RedisBrokerOptions } from "./scale/redis-broker.ts";
export { createRedisBroker, RedisBroker } from "./scale/redis-broker.ts";
export type { EmitterOptions } from "./scale/redis-emitter.ts";
export { createEmitter, Emitter } from "./scale/redis-emitter.ts";
export { RedisUnavailableError } from "./scale/redis-link.ts";
export { RedisRateLimitStore } from "./scale/redis-rate-limit-store.ts";
export type { RecoveryRedis, RedisRecoveryStoreOptions } from "./scale/redis-recovery.ts";
export { createRedisRecoveryStore, RedisRecoveryStore } from "./scale/redis-recovery.ts";
