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

/** The keys and channels of one cluster under a prefix. */
export class RedisKeys {
  constructor(readonly prefix: string) {}
  /** The channel every node subscribes to. */
  get bus(): string {
    return `${this.prefix}:bus`;
  }
  /** The channel only `node` subscribes to (query answers). */
  inbox(node: string): string {
    return `${this.prefix}:node:${node}`;
  }
  /** A node's liveness key; it exists while the node is alive (TTL). */
  live(node: string): string {
    return `${this.prefix}:live:${node}`;
  }
  /** Sorted set of every node that announced itself (an index; the liveness keys decide who is alive). */
  get nodes(): string {
    return `${this.prefix}:nodes`;
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
