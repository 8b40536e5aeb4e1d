import type { RateLimitHit, RateLimitStore } from "./store.ts";

/** A key's hits, oldest first, in a growable ring so expiring from the front is O(1). */
class HitLog {
  times: number[] = [];
  head = 0;
  windowMs = 0;

  get size(): number {
    return this.times.length - this.head;
  }

  expire(now: number, windowMs: number): void {
    const times = this.times;
    while (this.head < times.length && now - (times[this.head] as number) > windowMs) this.head++;
    // compact once the dead prefix dominates, keeping each hit's cost amortised O(1)
    if (this.head > 32 && this.head * 2 > times.length) {
      this.times = times.slice(this.head);
      this.head = 0;
    }
  }

  oldest(): number | undefined {
    return this.times[this.head];
  }

  newest(): number | undefined {
    return this.times[this.times.length - 1];
  }
}

/** Options of {@link MemoryStore}. */
export interface MemoryStoreOptions {
  /** Milliseconds between sweeps of keys whose window is over; default 60000. Sweeps run inside `hit`. */
  sweepIntervalMs?: number;
}

/**
 * The default {@link RateLimitStore}: a sliding window log per key in this process. Over-limit hits are not
 * recorded, so a key holds at most `limit` timestamps; keys idle for a whole window are swept, so memory stays
 * bounded by the clients active within one window. No timers: sweeping happens on hits.
 * @example const store = new MemoryStore(); await store.hit("ws:abc", 60_000, Date.now(), 10);
 */
export class MemoryStore implements RateLimitStore {
  readonly #logs = new Map<string, HitLog>();
  readonly #sweepEvery: number;
  #lastSweep = Number.NEGATIVE_INFINITY;

  constructor(options: MemoryStoreOptions = {}) {
    this.#sweepEvery = options.sweepIntervalMs ?? 60_000;
  }

  /** Number of keys currently held (for tests and stats). */
  get size(): number {
    return this.#logs.size;
  }

  async hit(key: string, windowMs: number, now: number, limit?: number): Promise<RateLimitHit> {
    return this.hitSync(key, windowMs, now, limit);
  }

  /** {@link MemoryStore.hit} without the promise, for callers on a hot path. */
  hitSync(key: string, windowMs: number, now: number, limit?: number): RateLimitHit {
    if (now - this.#lastSweep >= this.#sweepEvery) this.sweep(now);
    let log = this.#logs.get(key);
    if (!log) this.#logs.set(key, (log = new HitLog()));
    log.windowMs = Math.max(log.windowMs, windowMs);
    log.expire(now, windowMs);
    const allowed = limit === undefined || log.size < limit;
    if (allowed) log.times.push(now);
    const oldest = log.oldest();
    return { allowed, count: log.size, resetAt: oldest === undefined ? now : oldest + windowMs };
  }

  /** Drops every key whose newest hit is older than its window. Runs by itself every `sweepIntervalMs`. */
  sweep(now: number): void {
    this.#lastSweep = now;
    for (const [key, log] of this.#logs) {
      const newest = log.newest();
      if (newest === undefined || log.size === 0 || now - newest > log.windowMs) this.#logs.delete(key);
    }
  }

  async clear(): Promise<void> {
    this.#logs.clear();
  }
}
