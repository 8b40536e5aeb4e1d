import { describe } from "../common/errors.ts";
import { EVENT_NAME_PATTERN } from "../protocol/protocol.ts";
import { randomNodeId, seal } from "./broker.ts";
import type { EnvelopeBody } from "./envelope.ts";
import { isClusterClient, RedisKeys, type RedisLike } from "./redis.ts";

/** Options of {@link createEmitter}. */
export interface EmitterOptions {
  /**
   * A node-redis client (connected or not), `createClient()` or `createCluster()`; only `publish` (or, sharded,
   * `sPublish`) is used.
   */
  redis: Pick<RedisLike, "publish" | "sPublish" | "connect" | "isOpen">;
  /** The cluster's prefix, as given to `createRedisBroker`; default `sockeon`. */
  prefix?: string;
  /** As given to `createRedisBroker`: default on for a `createCluster()` client. */
  sharded?: boolean;
}

interface Target {
  namespace?: string;
  room?: string;
  clients?: string[];
}

function name(kind: string, value: unknown): string {
  if (typeof value !== "string" || value.length === 0)
    throw new TypeError(`Invalid ${kind} name: ${describe(value)} (${kind} names are non-empty strings)`);
  return value;
}

/**
 * Publishes events into a cluster from a process that serves no sockets (a worker, a cron job), like
 * Sockeon's `Event::broadcast` and socket.io's redis-emitter. Immutable: `to()`, `of()` and `toClient()`
 * return a new emitter.
 */
export class Emitter {
  readonly #redis: EmitterOptions["redis"];
  readonly #keys: RedisKeys;
  readonly #node = randomNodeId("emitter");
  readonly #target: Target;

  /** @internal use {@link createEmitter} */
  constructor(redis: EmitterOptions["redis"], keys: RedisKeys, target: Target = {}) {
    this.#redis = redis;
    this.#keys = keys;
    this.#target = target;
  }

  /** Targets a room (of the namespace given by `of()`, default `/`). */
  to(room: string): Emitter {
    return new Emitter(this.#redis, this.#keys, { ...this.#target, room: name("room", room), clients: undefined });
  }

  /** Targets a namespace (every client in it, or a room of it with `to()`). */
  of(namespace: string): Emitter {
    return new Emitter(this.#redis, this.#keys, { ...this.#target, namespace: name("namespace", namespace), clients: undefined });
  }

  /** Targets one client, wherever it is connected. */
  toClient(clientId: string): Emitter {
    return new Emitter(this.#redis, this.#keys, { clients: [name("client", clientId)] });
  }

  /**
   * Publishes the event to every node; each delivers it to its matching clients. Resolves once Redis took it.
   * @throws TypeError for a bad event name or data that is not JSON-serialisable
   * @example await createEmitter({ redis }).to("lobby").emit("news", { text: "deploy at 5" });
   */
  async emit(event: string, data: unknown = {}): Promise<void> {
    if (typeof event !== "string" || !EVENT_NAME_PATTERN.test(event))
      throw new TypeError(`Invalid event name: ${describe(event)} (letters, digits, ".", "_", "-")`);
    const { namespace, room, clients } = this.#target;
    const body: EnvelopeBody = clients
      ? { kind: "to", event, data, clients }
      : {
          kind: "broadcast",
          event,
          data,
          ...(namespace !== undefined || room !== undefined ? { namespace: namespace ?? "/" } : {}),
          ...(room !== undefined ? { rooms: [room] } : {}),
        };
    let message: string;
    try {
      message = JSON.stringify(seal(body, this.#node));
    } catch (error) {
      throw new TypeError(`emit(${JSON.stringify(event)}): data is not JSON-serialisable`, { cause: error });
    }
    if (!this.#redis.isOpen) await this.#redis.connect();
    const channel = this.#keys.channelOf(body);
    if (this.#keys.sharded) await this.#redis.sPublish?.(channel, message);
    else await this.#redis.publish(channel, message);
  }
}

/**
 * Creates an emitter for a cluster.
 * @example
 * ```ts
 * const redis = createClient({ url: process.env.REDIS_URL });
 * await createEmitter({ redis }).to("lobby").emit("announcement", { text: "maintenance at 5" });
 * // against a Redis Cluster: sharded pub/sub, the room's channel on its shard
 * const cluster = createCluster({ rootNodes: [{ url: "redis://10.0.0.1:7000" }] });
 * await createEmitter({ redis: cluster }).to("lobby").emit("announcement", { text: "maintenance at 5" });
 * ```
 */
export function createEmitter(options: EmitterOptions): Emitter {
  if (typeof options?.redis?.publish !== "function")
    throw new TypeError(`createEmitter: redis must be a node-redis client, got ${describe(options?.redis)}`);
  const prefix = options.prefix ?? "sockeon";
  if (typeof prefix !== "string" || prefix.length === 0) throw new TypeError(`createEmitter: bad prefix ${describe(prefix)}`);
  const sharded = options.sharded ?? isClusterClient(options.redis);
  if (typeof sharded !== "boolean") throw new TypeError(`createEmitter: sharded must be a boolean, got ${describe(sharded)}`);
  if (sharded && typeof options.redis.sPublish !== "function")
    throw new TypeError("createEmitter: sharded mode needs a client with sPublish (node-redis 4.6+)");
  return new Emitter(options.redis, new RedisKeys(prefix, sharded));
}
