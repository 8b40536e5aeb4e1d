import type { ClientDataStore } from "./broker.ts";
import type { RedisKeys, RedisLike } from "./redis.ts";
import { stringList } from "./redis.ts";
import type { RedisLink } from "./redis-link.ts";

/**
 * Deletes keys: one `DEL` in standalone mode; in sharded mode one `DEL` per key, since the keys of different
 * clients sit on different slots and a multi-key command across slots fails with `CROSSSLOT`.
 */
export function deleteKeys(redis: Pick<RedisLike, "del">, keys: RedisKeys, names: string[]): Promise<unknown> {
  if (names.length === 0) return Promise.resolve(0);
  return keys.sharded ? Promise.all(names.map((name) => redis.del([name]))) : redis.del(names);
}

/**
 * Client data in Redis hashes (`<prefix>:data:<clientId>`, values JSON), written through by the node that owns
 * the client and read by any node. While Redis is down writes are skipped (the owner's local copy stays
 * authoritative) and remote reads answer `null`; {@link RedisStore.resync} rewrites this node's share after
 * the outage.
 */
export class RedisStore implements ClientDataStore {
  readonly #redis: RedisLike;
  readonly #keys: RedisKeys;
  readonly #link: RedisLink;
  readonly #node: string;

  constructor(redis: RedisLike, keys: RedisKeys, link: RedisLink, node: string) {
    this.#redis = redis;
    this.#keys = keys;
    this.#link = link;
    this.#node = node;
  }

  set(clientId: string, key: string, value: unknown): void {
    if (!this.#link.up) return;
    const json = JSON.stringify(value === undefined ? null : value);
    Promise.all([
      this.#redis.hSet(this.#keys.data(clientId), { [key]: json }),
      this.#redis.sAdd(this.#keys.dataIndex(this.#node), [clientId]),
    ]).catch((error) => this.#link.failed(error, "client data write"));
  }

  adopt(clientId: string, from: string): void {
    if (!this.#link.up || from === this.#node) return;
    // the node that held the client may be dead: its reaper must not remove data that lives on here
    this.#redis.sRem(this.#keys.dataIndex(from), [clientId]).catch((error) => this.#link.failed(error, "client data adoption"));
  }

  forget(clientId: string, key?: string): void {
    if (!this.#link.up) return;
    const done =
      key === undefined
        ? Promise.all([
            this.#redis.del([this.#keys.data(clientId)]),
            this.#redis.sRem(this.#keys.dataIndex(this.#node), [clientId]),
          ])
        : this.#redis.hDel(this.#keys.data(clientId), [key]);
    done.catch((error) => this.#link.failed(error, "client data delete"));
  }

  async get(clientId: string, key: string): Promise<unknown> {
    if (!this.#link.up) return null;
    try {
      const raw = await this.#redis.hGet(this.#keys.data(clientId), key);
      return typeof raw === "string" ? decode(raw) : null;
    } catch (error) {
      this.#link.failed(error, "client data read");
      return null;
    }
  }

  async all(clientId: string): Promise<Record<string, unknown> | null> {
    if (!this.#link.up) return null;
    try {
      const raw = await this.#redis.hGetAll(this.#keys.data(clientId));
      if (typeof raw !== "object" || raw === null) return null;
      const out: Record<string, unknown> = Object.create(null);
      for (const [key, value] of Object.entries(raw)) out[key] = decode(String(value));
      return Object.keys(out).length > 0 ? out : null;
    } catch (error) {
      this.#link.failed(error, "client data read");
      return null;
    }
  }

  /**
   * Makes Redis hold exactly this node's local client data again: removes entries of clients that left during
   * the outage and rewrites every local client's hash.
   */
  async resync(local: Iterable<[string, Record<string, unknown>]>): Promise<void> {
    const index = this.#keys.dataIndex(this.#node);
    const entries = [...local];
    const keep = new Set(entries.map(([id]) => id));
    const stale = stringList(await this.#redis.sMembers(index)).filter((id) => !keep.has(id));
    const writes: Array<Promise<unknown>> = [];
    if (stale.length > 0) {
      writes.push(
        deleteKeys(
          this.#redis,
          this.#keys,
          stale.map((id) => this.#keys.data(id)),
        ),
        this.#redis.sRem(index, stale),
      );
    }
    for (const [id, data] of entries) {
      const hash: Record<string, string> = {};
      for (const key of Object.keys(data)) hash[key] = JSON.stringify(data[key] ?? null);
      // sent back to back on one connection, so they apply in this order before any later write
      writes.push(
        this.#redis.del([this.#keys.data(id)]),
        this.#redis.hSet(this.#keys.data(id), hash),
        this.#redis.sAdd(index, [id]),
      );
    }
    await Promise.all(writes);
  }

  /** Removes the data of every client of a dead node. */
  async reap(node: string): Promise<void> {
    const index = this.#keys.dataIndex(node);
    const ids = stringList(await this.#redis.sMembers(index));
    await deleteKeys(this.#redis, this.#keys, [index, ...ids.map((id) => this.#keys.data(id))]);
  }
}

function decode(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    // written by something else than sockeon-ts: hand it over as it is
    return raw;
  }
}
