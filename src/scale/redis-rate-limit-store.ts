import { describe } from "../common/errors.ts";
import type { RateLimitHit, RateLimitStore } from "../rate-limit/store.ts";
import { randomNodeId } from "./broker.ts";
import type { RedisLike } from "./redis.ts";
import { stringList } from "./redis.ts";

// one atomic step per hit, so nodes hitting the same key concurrently share one log: drop hits that left the
// window (a hit counts while now - hit <= window), count, record `now` unless at the limit, expire the key
// once its newest hit has left the window
const HIT = `local key = KEYS[1]
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', key, '-inf', '(' .. (now - window))
local count = redis.call('ZCARD', key)
local allowed = 0
if limit < 0 or count < limit then
  redis.call('ZADD', key, now, ARGV[4])
  count = count + 1
  allowed = 1
end
local newest = redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')[2]
if newest then redis.call('PEXPIREAT', key, tonumber(newest) + window + 1) end
local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')[2]
local reset = now
if oldest then reset = tonumber(oldest) + window end
return {allowed, count, tostring(reset)}`;

/**
 * The rate limiter's store in Redis, so a limit holds across every node: a sorted set of hit times per key
 * (`<prefix>:rl:<key>`), trimmed and counted in one script, expiring when its newest hit leaves the window.
 * @example createServer({ rateLimit: { store: new RedisRateLimitStore({ redis }) } })
 */
export class RedisRateLimitStore implements RateLimitStore {
  readonly #redis: Pick<RedisLike, "eval">;
  readonly #prefix: string;
  readonly #unique = randomNodeId("rl");
  #seq = 0;

  /** @param options `redis`: a node-redis client; `prefix`: the cluster's key prefix, default `sockeon` */
  constructor(options: { redis: Pick<RedisLike, "eval">; prefix?: string }) {
    if (typeof options?.redis?.eval !== "function")
      throw new TypeError(`RedisRateLimitStore: redis must be a node-redis client, got ${describe(options?.redis)}`);
    this.#redis = options.redis;
    this.#prefix = `${options.prefix ?? "sockeon"}:rl:`;
  }

  async hit(key: string, windowMs: number, now: number, limit?: number): Promise<RateLimitHit> {
    if (!Number.isSafeInteger(windowMs) || windowMs <= 0)
      throw new TypeError(`RedisRateLimitStore.hit: windowMs must be a positive integer, got ${describe(windowMs)}`);
    if (limit !== undefined && (!Number.isSafeInteger(limit) || limit < 0))
      throw new TypeError(`RedisRateLimitStore.hit: limit must be a non-negative integer, got ${describe(limit)}`);
    // members must be unique even for hits in the same millisecond from several nodes
    const member = `${now}:${this.#unique}:${this.#seq++}`;
    const reply = stringList(
      await this.#redis.eval(HIT, {
        keys: [this.#prefix + key],
        arguments: [String(Math.floor(now)), String(windowMs), String(limit ?? -1), member],
      }),
    );
    return { allowed: reply[0] === "1", count: Number(reply[1]), resetAt: Number(reply[2]) };
  }
}
