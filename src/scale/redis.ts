/**
 * The Redis client sockeon-ts needs, as a structural type: only the methods it calls, so the client the
 * application already has can be passed in. Written against `redis` (node-redis) 6.x, checked on Bun, Deno
 * and Node; results are read defensively (`unknown`), so a compatible wrapper works too.
 */
export interface RedisLike {
  /** True while the connection is up and usable. */
  readonly isReady: boolean;
  /** True once `connect()` was called and until the client is closed. */
  readonly isOpen: boolean;
  connect(): Promise<unknown>;
  /** A new client with the same options (used for the subscriber connection). */
  duplicate(): RedisLike;
  on(event: string, listener: (...args: any[]) => void): unknown;
  off(event: string, listener: (...args: any[]) => void): unknown;
  close(): Promise<unknown>;
  publish(channel: string, message: string): Promise<unknown>;
  subscribe(channels: string[], listener: (message: string, channel: string) => unknown): Promise<unknown>;
  /** Sharded publish (Redis 7 `SPUBLISH`); used instead of `publish` in sharded mode. */
  sPublish?(channel: string, message: string): Promise<unknown>;
  /** Sharded subscribe (Redis 7 `SSUBSCRIBE`); used instead of `subscribe` in sharded mode, one channel per call. */
  sSubscribe?(channels: string, listener: (message: string, channel: string) => unknown): Promise<unknown>;
  set(key: string, value: string, options: { PX: number }): Promise<unknown>;
  del(keys: string[]): Promise<unknown>;
  mGet(keys: string[]): Promise<unknown>;
  zAdd(key: string, members: Array<{ score: number; value: string }>): Promise<unknown>;
  zRange(key: string, start: number, stop: number): Promise<unknown>;
  zRem(key: string, members: string[]): Promise<unknown>;
  hSet(key: string, value: Record<string, string>): Promise<unknown>;
  hGet(key: string, field: string): Promise<unknown>;
  hGetAll(key: string): Promise<unknown>;
  hDel(key: string, fields: string[]): Promise<unknown>;
  sAdd(key: string, members: string[]): Promise<unknown>;
  sRem(key: string, members: string[]): Promise<unknown>;
  sMembers(key: string): Promise<unknown>;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
}

/** Reads a list-of-strings reply. */
export function stringList(reply: unknown): string[] {
  return Array.isArray(reply) ? reply.map((x) => (x === null || x === undefined ? "" : String(x))) : [];
}

/**
 * Whether a client is a node-redis Redis Cluster client (`createCluster()`): it has the cluster's `masters`
 * list and sharded pub/sub. Such a client makes the broker and emitter default to sharded mode.
 */
export function isClusterClient(redis: unknown): boolean {
  const r = redis as { masters?: unknown; sPublish?: unknown; sSubscribe?: unknown } | null;
  return (
    typeof r === "object" &&
    r !== null &&
    Array.isArray(r.masters) &&
    typeof r.sPublish === "function" &&
    typeof r.sSubscribe === "function"
  );
}

/** Room channels of a sharded cluster unless `roomChannels` says otherwise. */
export const DEFAULT_ROOM_CHANNELS = 16;

/** Where a published envelope goes: one room's broadcasts, or everything else. */
export interface ChannelTarget {
  kind: string;
  namespace?: string;
  rooms?: readonly string[];
}

/**
 * The keys and channels of one cluster under a prefix.
 *
 * Standalone (the default): every node subscribes to the bus and its own inbox; key names as they always were.
 * Sharded (Redis Cluster, `SPUBLISH`/`SSUBSCRIBE`): broadcasts to one room go to one of `roomChannels` room
 * channels chosen by a hash of (namespace, room), so a room's traffic stays on one shard and its order holds,
 * while rooms spread over the shards; the node registry keys carry the hash tag `{prefix}` so they share a slot
 * (the census reads them with one `MGET`). Channel names need no tag: each is one slot by itself.
 */
export class RedisKeys {
  /** Room channels in sharded mode; 0 in standalone mode. */
  readonly roomChannels: number;
  readonly #registry: string;

  /**
   * @param prefix prefix of every key and channel
   * @param sharded `{ roomChannels }` for sharded mode; omitted for standalone
   */
  constructor(
    readonly prefix: string,
    sharded?: { roomChannels: number },
  ) {
    this.roomChannels = sharded?.roomChannels ?? 0;
    this.#registry = sharded ? `{${prefix}}` : prefix;
  }

  /** True in sharded (Redis Cluster) mode. */
  get sharded(): boolean {
    return this.roomChannels > 0;
  }

  /** The channel every node subscribes to. */
  get bus(): string {
    return `${this.prefix}:bus`;
  }

  /** The room channels every node subscribes to in sharded mode (none in standalone mode). */
  get rooms(): string[] {
    return Array.from({ length: this.roomChannels }, (_, i) => `${this.prefix}:room:${i}`);
  }

  /**
   * The channel an envelope is published on: in sharded mode a broadcast to exactly one room goes to that
   * room's channel; everything else (and everything in standalone mode) to the bus.
   */
  channelOf(body: ChannelTarget): string {
    if (this.roomChannels === 0 || body.kind !== "broadcast" || body.rooms?.length !== 1) return this.bus;
    return `${this.prefix}:room:${fnv1a(`${body.namespace ?? "/"}\u0000${body.rooms[0]}`) % this.roomChannels}`;
  }
  /** The channel only `node` subscribes to (query answers). */
  inbox(node: string): string {
    return `${this.prefix}:node:${node}`;
  }
  /** A node's liveness key; it exists while the node is alive (TTL). */
  live(node: string): string {
    return `${this.#registry}:live:${node}`;
  }
  /** Sorted set of every node that announced itself (an index; the liveness keys decide who is alive). */
  get nodes(): string {
    return `${this.#registry}:nodes`;
  }
  /** Hash of one client's data, values JSON-encoded. */
  data(clientId: string): string {
    return `${this.prefix}:data:${clientId}`;
  }
  /** Set of the clients of `node` that have data, so a dead node's data can be removed. */
  dataIndex(node: string): string {
    return `${this.prefix}:node-data:${node}`;
  }
}

/**
 * 32-bit FNV-1a of a string's UTF-16 code units, stable on every runtime, then murmur3's finaliser: FNV's low
 * bits alone depend only on the input's low bits, and the channel index is taken modulo a small number.
 */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}
