/**
 * The result of one {@link RateLimitStore.hit}.
 */
export interface RateLimitHit {
  /** False when the key already had `limit` hits inside the window; the hit was then not recorded. */
  allowed: boolean;
  /** Hits inside the window after this call (the new hit included when it was allowed). */
  count: number;
  /** Unix milliseconds when the oldest hit in the window leaves it (a slot frees up); `now` when empty. */
  resetAt: number;
}

/**
 * Where rate-limit hits are counted: a sliding window log per key, as Sockeon keeps it. Implement this to share
 * limits across nodes (e.g. a Redis sorted set per key: drop entries older than `now - windowMs`, count, add
 * `now` when under `limit`, set the key's expiry to the window, all in one script).
 *
 * Contract:
 * - a hit at `now` counts while `now - hit <= windowMs` (Sockeon keeps a timestamp while `age <= window`);
 * - with `limit`, a key that already has `limit` hits in the window gets `allowed: false` and the hit is NOT
 *   recorded (so a client hammering a closed window does not extend it); without `limit` every hit is recorded;
 * - memory is bounded: keys whose newest hit left the window are forgotten;
 * - it never throws for ordinary input; a failing remote store may reject, and callers then let the hit pass.
 */
export interface RateLimitStore {
  /**
   * Records one hit for `key` unless it is over `limit`.
   * @param key what is limited, e.g. `ws:<clientId>` or `http:GET /users/{id}:<ip>`
   * @param windowMs the window length in milliseconds
   * @param now the current time in Unix milliseconds (passed in so stores and tests agree on the clock)
   * @param limit hits allowed inside the window (Sockeon: max + burstAllowance)
   */
  hit(key: string, windowMs: number, now: number, limit?: number): Promise<RateLimitHit>;
  /** Forgets every key (Sockeon's `clearStore`). Optional. */
  clear?(): Promise<void>;
}
