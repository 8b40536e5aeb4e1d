import type { HistoryEntry, SessionRecord } from "../engine/positions.ts";
import type { RecoveryStore, RecoveryStoreHost } from "../engine/recovery-store.ts";

/** The Redis commands the recovery store uses (node-redis 5+/6 names), as a structural type. */
export interface RecoveryRedis {
  readonly isReady: boolean;
  set(key: string, value: string, options: { PX: number } | { condition: "NX" }): Promise<unknown>;
  get(key: string): Promise<unknown>;
  getDel(key: string): Promise<unknown>;
  del(keys: string[]): Promise<unknown>;
  pExpire(key: string, ms: number): Promise<unknown>;
  sAdd(key: string, members: string[]): Promise<unknown>;
  sMembers(key: string): Promise<unknown>;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  xAdd(
    key: string,
    id: string,
    message: Record<string, string>,
    options?: { TRIM: { strategy: "MAXLEN"; strategyModifier: "~"; threshold: number } },
  ): Promise<unknown>;
  xRange(key: string, start: string, end: string, options?: { COUNT: number }): Promise<unknown>;
}

/** Options of {@link createRedisRecoveryStore}. */
export interface RedisRecoveryStoreOptions {
  /** The application's node-redis client (the broker's, typically): `createClient()` or `createCluster()`. */
  redis: RecoveryRedis;
  /** Prefix of every key; the same as the broker's. Default `sockeon`. */
  prefix?: string;
  /** Most entries kept per (namespace, node) history stream (`XADD MAXLEN ~`); default 10000. */
  maxLen?: number;
}

/** Extra life of a history stream past the window, so a record extended while connected still finds it. */
const HISTORY_GRACE_MS = 60_000;
/** A stream's TTL and node registration are refreshed at most this often per stream. */
const REFRESH_MS = 5_000;
/** How often the store's epoch is read again (after a Redis restart, new sessions get the new one within it). */
const EPOCH_REFRESH_MS = 5_000;
/** Entries read per XRANGE call. */
const PAGE = 1000;
/** Deletes a record only if the node asking still owns it (another node may have resumed it meanwhile). */
const DROP_IF_OWNER = `local r = redis.call('GET', KEYS[1])
if r and cjson.decode(r).owner == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * Connection-state recovery across nodes over Redis (docs/connection-state-recovery.md#across-the-cluster):
 * - `<prefix>:session:<id>`: the session record (JSON), TTL the window (extended while the client is connected);
 * - `<prefix>:token:<sha256 of the token>`: the client id, same TTL; taken with `GETDEL` (single use);
 * - `<prefix>:epoch`: a random id of this Redis' contents, set when missing; a record of another epoch was
 *   written before Redis lost its data (restarted without persistence) and is not resumed;
 * - `<prefix>:history:{<prefix>:ns:<namespace>}:<node>`: a Redis Stream per (namespace, sending node) of its room
 *   and namespace broadcasts, entry id `<seq>-0`, `MAXLEN ~ maxLen`; `...{<prefix>:all}:<node>` the same for
 *   global broadcasts and direct emits; a set `...:origins` per stream group lists the nodes that wrote to it.
 *   The `{...}` hash tag keeps a namespace's streams on one Redis Cluster slot.
 * Commands are not awaited by delivery; failures go to the server's `onError` (an outage is reported once by
 * the broker, not here).
 */
export class RedisRecoveryStore implements RecoveryStore {
  readonly prefix: string;
  readonly maxLen: number;
  readonly #redis: RecoveryRedis;
  #host: RecoveryStoreHost | undefined;
  readonly #pending = new Set<Promise<unknown>>();
  /** When each stream's TTL was last refreshed (ms). */
  readonly #refreshed = new Map<string, number>();
  /** Token hash of each record this node wrote, to extend the token key with the record. */
  readonly #tokens = new Map<string, string>();
  #epoch: string | undefined;
  #epochTimer: ReturnType<typeof setInterval> | undefined;

  constructor(options: RedisRecoveryStoreOptions) {
    if (typeof options !== "object" || options === null)
      throw new TypeError("createRedisRecoveryStore: options must be an object");
    const { redis } = options;
    if (typeof redis !== "object" || redis === null || typeof redis.xAdd !== "function" || typeof redis.getDel !== "function")
      throw new TypeError(`createRedisRecoveryStore: redis must be a node-redis client (createClient()), got ${String(redis)}`);
    const prefix = options.prefix ?? "sockeon";
    if (typeof prefix !== "string" || prefix.length === 0)
      throw new TypeError(`createRedisRecoveryStore: prefix must be a non-empty string, got ${JSON.stringify(prefix)}`);
    const maxLen = options.maxLen ?? 10_000;
    if (!Number.isSafeInteger(maxLen) || maxLen < 1)
      throw new TypeError(`createRedisRecoveryStore: maxLen must be an integer >= 1, got ${JSON.stringify(maxLen)}`);
    this.#redis = redis;
    this.prefix = prefix;
    this.maxLen = maxLen;
  }

  attach(host: RecoveryStoreHost): void {
    this.#host = host;
    void this.#readEpoch();
    this.#epochTimer = setInterval(() => void this.#readEpoch(), EPOCH_REFRESH_MS);
    (this.#epochTimer as { unref?: () => void }).unref?.();
  }

  /** The epoch, read from Redis when not known yet; undefined while Redis is unreachable. */
  async epoch(): Promise<string | undefined> {
    return this.#epoch ?? (await this.#readEpoch());
  }

  /** The key naming the current contents of this Redis (gone when Redis lost its data). */
  get epochKey(): string {
    return `${this.prefix}:epoch`;
  }

  /** Reads the epoch, creating one when Redis has none (first start, or after it lost its data). */
  async #readEpoch(): Promise<string | undefined> {
    try {
      await this.#redis.set(this.epochKey, crypto.randomUUID(), { condition: "NX" });
      const epoch = await this.#redis.get(this.epochKey);
      if (typeof epoch === "string") this.#epoch = epoch;
      return this.#epoch;
    } catch {
      // unreachable: sessions recorded now get no epoch (resumable on their own node only) until it is back
      return undefined;
    }
  }

  /** The key of a session record. */
  record(id: string): string {
    return `${this.prefix}:session:${id}`;
  }
  /** The key of a token hash. */
  token(hash: string): string {
    return `${this.prefix}:token:${hash}`;
  }
  /** The stream of one namespace's (or, `undefined`, the global) history written by `origin`. */
  stream(namespace: string | undefined, origin: string): string {
    return `${this.#group(namespace)}:${origin}`;
  }

  #group(namespace: string | undefined): string {
    return `${this.prefix}:history:{${this.prefix}:${namespace === undefined ? "all" : `ns:${namespace}`}}`;
  }

  append(namespace: string | undefined, entry: HistoryEntry): void {
    const host = this.#host;
    if (!host) return;
    const key = this.stream(namespace, host.nodeId);
    const { seq, ...rest } = entry;
    const trim = { TRIM: { strategy: "MAXLEN", strategyModifier: "~", threshold: this.maxLen } } as const;
    this.#run("history append", this.#redis.xAdd(key, `${seq}-0`, { e: JSON.stringify(rest) }, trim));
    const now = Date.now();
    if (now - (this.#refreshed.get(key) ?? 0) < REFRESH_MS) return;
    this.#refreshed.set(key, now);
    const origins = `${this.#group(namespace)}:origins`;
    const ttl = host.windowMs + HISTORY_GRACE_MS;
    this.#run("history registration", this.#redis.sAdd(origins, [host.nodeId]));
    this.#run("history expiry", this.#redis.pExpire(origins, ttl));
    this.#run("history expiry", this.#redis.pExpire(key, ttl));
  }

  save(record: SessionRecord, ttlMs: number, previousToken?: string): void {
    this.#tokens.set(record.id, record.token);
    this.#run("session write", this.#redis.set(this.record(record.id), JSON.stringify(record), { PX: ttlMs }));
    this.#run("session write", this.#redis.set(this.token(record.token), record.id, { PX: ttlMs }));
    if (previousToken !== undefined && previousToken !== record.token)
      this.#run("session write", this.#redis.del([this.token(previousToken)]));
  }

  touch(ids: readonly string[], ttlMs: number): void {
    for (const id of ids) {
      this.#run("session expiry", this.#redis.pExpire(this.record(id), ttlMs));
      const token = this.#tokens.get(id);
      if (token !== undefined) this.#run("session expiry", this.#redis.pExpire(this.token(token), ttlMs));
    }
  }

  drop(id: string, token: string, owner: string): void {
    this.#tokens.delete(id);
    this.#run("session removal", this.#redis.eval(DROP_IF_OWNER, { keys: [this.record(id)], arguments: [owner] }));
    this.#run("session removal", this.#redis.del([this.token(token)]));
  }

  async claim(token: string): Promise<SessionRecord | undefined> {
    const id = await this.#redis.getDel(this.token(token));
    if (typeof id !== "string") return undefined;
    const text = await this.#redis.get(this.record(id));
    if (typeof text !== "string") return undefined;
    const record = JSON.parse(text) as SessionRecord;
    // a record from before Redis lost its data: the history it would need is gone
    if (record?.epoch === undefined || record.epoch !== (await this.#readEpoch())) return undefined;
    return record.id === id && record.token === token ? record : undefined;
  }

  async history(namespace: string, from: ReadonlyMap<string, number>): Promise<Map<string, HistoryEntry[]>> {
    const out = new Map<string, HistoryEntry[]>();
    for (const group of [undefined, namespace]) {
      const origins = await this.#redis.sMembers(`${this.#group(group)}:origins`);
      for (const origin of Array.isArray(origins) ? (origins as string[]) : []) {
        const entries = out.get(origin) ?? [];
        out.set(origin, entries);
        await this.#read(this.stream(group, origin), from.get(origin) ?? 0, entries);
      }
    }
    // a node's global and namespace entries share its sequence: merge them into one order
    for (const entries of out.values()) entries.sort((a, b) => a.seq - b.seq);
    return out;
  }

  /** Reads a stream after `seq` into `into`, a page at a time (bounded by the stream's MAXLEN). */
  async #read(key: string, seq: number, into: HistoryEntry[]): Promise<void> {
    let start = `(${seq}-0`;
    for (let page = 0; page <= this.maxLen / PAGE + 1; page++) {
      const reply = await this.#redis.xRange(key, start, "+", { COUNT: PAGE });
      const rows = Array.isArray(reply) ? (reply as Array<{ id: string; message: Record<string, string> }>) : [];
      for (const row of rows) {
        const body = JSON.parse(row.message?.e ?? "null") as Omit<HistoryEntry, "seq"> | null;
        if (body && typeof body.frame === "string") into.push({ ...body, seq: Number(row.id.split("-")[0]) });
      }
      if (rows.length < PAGE) return;
      start = `(${(rows[rows.length - 1] as { id: string }).id}`;
    }
  }

  async settled(): Promise<void> {
    clearInterval(this.#epochTimer);
    await Promise.allSettled([...this.#pending]);
  }

  #run(what: string, command: Promise<unknown>): void {
    this.#pending.add(command);
    command.then(
      () => this.#pending.delete(command),
      (error) => {
        this.#pending.delete(command);
        // during an outage the broker reports once; a command Redis refused is worth a report of its own
        if (this.#redis.isReady)
          this.#host?.report(new Error(`Redis recovery ${what} failed: ${(error as Error)?.message ?? error}`, { cause: error }));
      },
    );
  }
}

/**
 * Creates the Redis recovery store: pass it as `connectionStateRecovery.store`, with the Redis broker, so a
 * client resumes its session on any node, even after its node died.
 * @example
 * ```ts
 * const redis = createClient({ url: process.env.REDIS_URL });
 * const server = createServer({
 *   broker: createRedisBroker({ redis }),
 *   connectionStateRecovery: { maxDisconnectionDuration: 120_000, store: createRedisRecoveryStore({ redis }) },
 * });
 * ```
 */
export function createRedisRecoveryStore(options: RedisRecoveryStoreOptions): RedisRecoveryStore {
  return new RedisRecoveryStore(options);
}
