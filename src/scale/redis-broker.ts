import { type Broker, type BrokerHost, randomNodeId, seal } from "./broker.ts";
import type { EnvelopeBody } from "./envelope.ts";
import { Outbox } from "./outbox.ts";
import { PublishBatch } from "./publish-batch.ts";
import { isClusterClient, RedisKeys, type RedisLike, stringList } from "./redis.ts";
import { RedisLink } from "./redis-link.ts";
import { RedisStore } from "./redis-store.ts";
import { RoomSubscriptions } from "./room-subscriptions.ts";

/** Options of {@link createRedisBroker}. */
export interface RedisBrokerOptions {
  /**
   * The application's node-redis client (connected or not): `createClient()` for one Redis, or `createCluster()`
   * for a Redis Cluster. A duplicate of it becomes the subscriber.
   */
  redis: RedisLike;
  /**
   * Sharded pub/sub (`SPUBLISH`/`SSUBSCRIBE`, Redis 7) with a channel per room, each subscribed only by the
   * nodes that have a member in the room. Default: on for a `createCluster()` client, off otherwise. Every node
   * and emitter of one cluster must agree.
   */
  sharded?: boolean;
  /** Prefix of every key and channel; nodes with the same prefix form one cluster. Default `sockeon`. */
  prefix?: string;
  /** This node's id; default random. */
  nodeId?: string;
  /** Lifetime of the liveness key, refreshed every third of it; a crashed node leaves the cluster within it. Default 15000 ms. */
  livenessTtlMs?: number;
  /** Longest a cluster-wide query waits for other nodes; default 1000 ms. */
  queryTimeoutMs?: number;
  /**
   * Cross-node messages kept while Redis is unreachable and sent when it is back (oldest dropped first when
   * full). Default 0: messages published during an outage are dropped, and counted in the recovery log line.
   */
  outageBuffer?: number;
}

function int(name: string, value: unknown, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min)
    throw new TypeError(`createRedisBroker: ${name} must be an integer >= ${min}, got ${JSON.stringify(value)}`);
  return value;
}

/**
 * The Redis backplane: pub/sub for envelopes, a liveness key per node, client data in hashes. Takes the
 * application's client; closes only the subscriber connection it created.
 */
export class RedisBroker implements Broker {
  readonly nodeId: string;
  readonly store: RedisStore;
  readonly queryTimeoutMs: number;
  /** The key and channel names of this cluster. */
  readonly keys: RedisKeys;
  readonly #redis: RedisLike;
  readonly #sub: RedisLike;
  readonly #link: RedisLink;
  readonly #ttl: number;
  readonly #outbox: Outbox<[channel: string, message: string]>;
  /** This turn's envelopes, sent as one message per channel run at its end. */
  readonly #batch = new PublishBatch((channel, payload) => this.#send(channel, payload));
  /** Sharded mode: the room channels this node listens to, following its clients' rooms. */
  readonly #rooms: RoomSubscriptions | undefined;
  #receive: (message: string) => void = () => {};
  #host: BrokerHost | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;
  #closed = false;
  /** Callbacks of subscribe() waiting for both connections to be ready. */
  readonly #upWaiters = new Set<() => void>();

  constructor(options: RedisBrokerOptions) {
    if (typeof options !== "object" || options === null) throw new TypeError("createRedisBroker: options must be an object");
    const { redis } = options;
    if (
      typeof redis !== "object" ||
      redis === null ||
      typeof redis.duplicate !== "function" ||
      typeof redis.publish !== "function"
    )
      throw new TypeError(`createRedisBroker: redis must be a node-redis client (createClient()), got ${String(redis)}`);
    if (typeof redis.isReady !== "boolean" || typeof redis.subscribe !== "function")
      throw new TypeError("createRedisBroker: redis must be a node-redis client (it has no isReady; ioredis is not supported)");
    const prefix = options.prefix ?? "sockeon";
    if (typeof prefix !== "string" || prefix.length === 0)
      throw new TypeError(`createRedisBroker: prefix must be a non-empty string, got ${JSON.stringify(prefix)}`);
    if (options.nodeId !== undefined && (typeof options.nodeId !== "string" || !/^[\w.-]+$/.test(options.nodeId)))
      throw new TypeError(
        `createRedisBroker: nodeId must be letters, digits, ".", "_" or "-", got ${JSON.stringify(options.nodeId)}`,
      );
    this.#ttl = int("livenessTtlMs", options.livenessTtlMs, 15000, 300);
    this.queryTimeoutMs = int("queryTimeoutMs", options.queryTimeoutMs, 1000, 1);
    this.#outbox = new Outbox(int("outageBuffer", options.outageBuffer, 0, 0));
    this.nodeId = options.nodeId ?? randomNodeId();
    const sharded = options.sharded ?? isClusterClient(redis);
    if (typeof sharded !== "boolean")
      throw new TypeError(`createRedisBroker: sharded must be a boolean, got ${JSON.stringify(sharded)}`);
    if (
      sharded &&
      (typeof redis.sPublish !== "function" || typeof redis.sSubscribe !== "function" || typeof redis.sUnsubscribe !== "function")
    )
      throw new TypeError(
        "createRedisBroker: sharded mode needs a client with sPublish, sSubscribe and sUnsubscribe (node-redis 4.6+)",
      );
    this.keys = new RedisKeys(prefix, sharded);
    this.#redis = redis;
    const sub = (this.#sub = redis.duplicate());
    this.#link = new RedisLink([redis, sub], () => this.#outbox.dropped, sharded);
    this.#rooms = sharded
      ? new RoomSubscriptions(
          {
            subscribe: (channel) => (sub.sSubscribe as NonNullable<RedisLike["sSubscribe"]>).call(sub, channel, this.#receive),
            unsubscribe: (channel) => (sub.sUnsubscribe as NonNullable<RedisLike["sUnsubscribe"]>).call(sub, channel),
            failed: (error, what) => this.#link.failed(error, what),
          },
          this.queryTimeoutMs,
        )
      : undefined;
    this.store = new RedisStore(redis, this.keys, this.#link, this.nodeId);
  }

  /** True in sharded (Redis Cluster) mode. */
  get sharded(): boolean {
    return this.keys.sharded;
  }

  /** True while Redis is reachable on both connections. */
  get connected(): boolean {
    return this.#link.up;
  }

  /** The backplane's state for metrics: reachable now, outages recovered from, messages dropped during outages. */
  backplaneStats(): { up: boolean; reconnects: number; dropped: number } {
    return { up: this.#link.up, reconnects: this.#link.restoredCount, dropped: this.#outbox.droppedTotal };
  }

  /** Sharded mode: the room channels this node is subscribed to now (the rooms its clients are in). */
  get roomChannels(): string[] {
    return this.#rooms?.active ?? [];
  }

  /** Sharded mode: listens to the room's channel from now on (this node's first client joined it). */
  roomOpened(namespace: string, room: string): void {
    this.#rooms?.add(this.keys.room(namespace, room));
  }

  /** Sharded mode: a promise while the subscription to the room's channel is on its way (at most queryTimeoutMs). */
  whenRoomSubscribed(namespace: string, room: string): Promise<void> | undefined {
    return this.#rooms?.whenSubscribed(this.keys.room(namespace, room));
  }

  /** Sharded mode: stops listening to the room's channel (this node's last client left it). */
  roomClosed(namespace: string, room: string): void {
    this.#rooms?.remove(this.keys.room(namespace, room));
  }

  /** Messages waiting in the outage buffer. */
  get buffered(): number {
    return this.#outbox.size;
  }

  async subscribe(host: BrokerHost): Promise<void> {
    this.#host = host;
    this.#link.report(host);
    this.#link.onRestored(() => this.#restored());
    const receive = (this.#receive = (message: string): void => host.receive(message));
    let connected: Promise<void>;
    if (this.keys.sharded) {
      // a cluster client learns the slot map on connect and cannot queue before it: with the cluster down at
      // start-up it retries until the cluster is reachable (the first failure reported through onError), while
      // the node serves its own clients
      connected = this.#link.connectUntilOpen();
      await connected;
      if (this.#closed) return;
      const channels = [this.keys.bus, this.keys.inbox(this.nodeId)];
      // one SSUBSCRIBE per channel: the channels hash to different slots, and so to different shards
      await Promise.all(channels.map((channel) => this.#sub.sSubscribe?.(channel, receive)));
      // the rooms this node's clients joined meanwhile
      this.#rooms?.start();
    } else {
      // the local server does not wait for it: with Redis down at start-up the node serves its own clients and
      // joins the cluster later
      connected = this.#link.connect();
      // queued by the client until Redis is reachable
      await this.#sub.subscribe([this.keys.bus, this.keys.inbox(this.nodeId)], receive);
    }
    const beat = (): void => void this.#beat();
    this.#timer = setInterval(beat, Math.max(100, Math.floor(this.#ttl / 3)));
    (this.#timer as { unref?: () => void }).unref?.();
    // the first beat once the command connection is up too, so the node is visible when ready() resolves
    await connected;
    if (!this.keys.sharded) await this.#whenUp();
    await this.#beat();
  }

  publish(body: EnvelopeBody, to?: string): void {
    if (this.#closed) return;
    let message: string;
    try {
      message = JSON.stringify(seal(body, this.nodeId));
    } catch (error) {
      this.#host?.reportError(error, { source: "broker" });
      return;
    }
    const channel = to === undefined ? this.keys.channelOf(body) : this.keys.inbox(to);
    if (this.#link.up) {
      this.#batch.add(channel, message);
      return;
    }
    this.#outbox.push([channel, message]);
  }

  #send(channel: string, message: string): void {
    const sent = this.keys.sharded
      ? (this.#redis.sPublish as NonNullable<RedisLike["sPublish"]>).call(this.#redis, channel, message)
      : this.#redis.publish(channel, message);
    sent.catch((error) => this.#link.failed(error, "publish"));
  }

  async nodes(): Promise<string[]> {
    if (!this.#link.up) return [this.nodeId];
    try {
      const { alive } = await this.#census();
      if (!alive.includes(this.nodeId)) alive.push(this.nodeId);
      return alive;
    } catch (error) {
      this.#link.failed(error, "node list");
      return [this.nodeId];
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#rooms?.close();
    // what this turn published still goes out before the node withdraws
    if (this.#link.up) this.#batch.flush();
    for (const waiter of [...this.#upWaiters]) waiter();
    clearInterval(this.#timer);
    this.#outbox.drain();
    if (this.#link.up) {
      try {
        await Promise.all([
          this.#redis.del([this.keys.live(this.nodeId)]),
          this.#redis.zRem(this.keys.nodes, [this.nodeId]),
          this.store.reap(this.nodeId),
        ]);
      } catch {
        // leaving while Redis fails: the liveness key expires by itself
      }
    }
    this.#link.close();
    try {
      await this.#sub.close();
    } catch {
      // already closed or never connected
    }
  }

  /** Resolves once both connections are ready (or the broker closed). */
  #whenUp(): Promise<void> {
    const clients = [this.#redis, this.#sub];
    return new Promise<void>((resolve) => {
      const check = (): void => {
        if (!this.#link.up && !this.#closed) return;
        for (const client of clients) client.off("ready", check);
        this.#upWaiters.delete(check);
        resolve();
      };
      for (const client of clients) client.on("ready", check);
      this.#upWaiters.add(check);
      check();
    });
  }

  /** Every node that announced itself, split by whether its liveness key still exists. */
  async #census(): Promise<{ alive: string[]; dead: string[] }> {
    const ids = stringList(await this.#redis.zRange(this.keys.nodes, 0, -1));
    if (ids.length === 0) return { alive: [], dead: [] };
    const live = await this.#redis.mGet(ids.map((id) => this.keys.live(id)));
    const flags = Array.isArray(live) ? live : [];
    const alive: string[] = [];
    const dead: string[] = [];
    for (let i = 0; i < ids.length; i++) (flags[i] === null || flags[i] === undefined ? dead : alive).push(ids[i] as string);
    return { alive, dead };
  }

  /** Refreshes this node's liveness key and removes what nodes that stopped refreshing theirs left behind. */
  async #beat(): Promise<void> {
    if (this.#closed || !this.#link.up) return;
    try {
      await Promise.all([
        this.#redis.set(this.keys.live(this.nodeId), String(Date.now()), { PX: this.#ttl }),
        this.#redis.zAdd(this.keys.nodes, [{ score: Date.now(), value: this.nodeId }]),
      ]);
      const { dead } = await this.#census();
      for (const node of dead) {
        if (node === this.nodeId) continue;
        await this.store.reap(node);
        await this.#redis.zRem(this.keys.nodes, [node]);
        this.#host?.logger.info(`Node ${node} left the cluster (liveness key expired); its client data was removed`);
      }
    } catch (error) {
      this.#link.failed(error, "heartbeat");
    }
  }

  #restored(): void {
    void this.#beat();
    this.#rooms?.start();
    if (this.#host) this.store.resync(this.#host.localData()).catch((error) => this.#link.failed(error, "client data resync"));
    for (const [channel, message] of this.#outbox.drain()) this.#send(channel, message);
  }
}

/**
 * Creates the Redis broker for one node. Pass it as the server's `broker` option; every node with the same
 * Redis and prefix then behaves as one server.
 * @example
 * ```ts
 * import { createClient } from "redis";
 * import { createRedisBroker } from "sockeon-ts/redis";
 * const redis = createClient({ url: process.env.REDIS_URL });
 * const server = createServer({ broker: createRedisBroker({ redis }) });
 * // or a Redis Cluster: sharded pub/sub (SPUBLISH/SSUBSCRIBE) is then on by default
 * const cluster = createCluster({ rootNodes: [{ url: "redis://10.0.0.1:7000" }, { url: "redis://10.0.0.2:7000" }] });
 * const clustered = createServer({ broker: createRedisBroker({ redis: cluster }) });
 * ```
 */
export function createRedisBroker(options: RedisBrokerOptions): RedisBroker {
  return new RedisBroker(options);
}
