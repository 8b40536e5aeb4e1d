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
  /** Sharded unsubscribe (Redis 7 `SUNSUBSCRIBE`): a room channel once this node has no member left in it. */
  sUnsubscribe?(channel: string): Promise<unknown>;
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
 * Sharded (Redis Cluster, `SPUBLISH`/`SSUBSCRIBE`): broadcasts to one room go to that room's own channel, so a
 * room's traffic stays on one shard, in order, and only nodes with a member in the room subscribe to it; the node
 * registry keys carry the hash tag `{prefix}` so they share a slot (the census reads them with one `MGET`).
 */
export class RedisKeys {
  readonly #registry: string;

  /**
   * @param prefix prefix of every key and channel
   * @param sharded sharded mode (Redis Cluster); default standalone
   */
  constructor(
    readonly prefix: string,
    readonly sharded = false,
  ) {
    this.#registry = sharded ? `{${prefix}}` : prefix;
  }

  /** The channel every node subscribes to. */
  get bus(): string {
    return `${this.prefix}:bus`;
  }

  /**
   * The channel of one room in sharded mode. Two rooms whose names collide here (a `:` in the namespace) share
   * a channel, which is only extra traffic: receivers deliver by the envelope's namespace and room.
   */
  room(namespace: string, room: string): string {
    return `${this.prefix}:room:${namespace}:${room}`;
  }

  /**
   * The channel an envelope is published on: in sharded mode a broadcast to exactly one room goes to that
   * room's channel; everything else (and everything in standalone mode) to the bus.
   */
  channelOf(body: ChannelTarget): string {
    if (!this.sharded || body.kind !== "broadcast" || body.rooms?.length !== 1) return this.bus;
    return this.room(body.namespace ?? "/", body.rooms[0] as string);
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
