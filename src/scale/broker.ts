import type { ErrorContext } from "../common/errors.ts";
import type { Logger } from "../common/logger.ts";
import type { Envelope, EnvelopeBody } from "./envelope.ts";

/** What a broker needs from the server it serves; given once to {@link Broker.subscribe}. */
export interface BrokerHost {
  /** Called with every message that arrives for this node (raw: the cluster validates it). */
  receive(message: unknown): void;
  /** The data of every client connected to this node, for re-syncing a store after an outage. */
  localData(): Iterable<[clientId: string, data: Record<string, unknown>]>;
  /** The server's logger. */
  readonly logger: Logger;
  /** The server's `onError`; never throws. */
  reportError(error: unknown, context: ErrorContext): void;
}

/**
 * Client data shared between nodes. The owning node writes through (its local copy stays authoritative and
 * readable during an outage); any node reads a remote client's data from here.
 */
export interface ClientDataStore {
  /** Stores one value of a client's data. */
  set(clientId: string, key: string, value: unknown): void;
  /** Removes one key, or all data of the client when `key` is omitted. */
  forget(clientId: string, key?: string): void;
  /** One value (`null` when unset or unknown). */
  get(clientId: string, key: string): Promise<unknown>;
  /** All data of a client, or `null` when the store has none. */
  all(clientId: string): Promise<Record<string, unknown> | null>;
  /**
   * A client's session moved here from node `from` (connection-state recovery): its data is this node's now,
   * and is not removed with `from` when that node is gone. Optional.
   */
  adopt?(clientId: string, from: string): void;
}

/**
 * The backplane between nodes: publishes envelopes to every other node (or one node), delivers what other
 * nodes publish, knows which nodes are alive, and holds shared client data. Failures never throw from
 * `publish`: they go to the host's `reportError`.
 *
 * Implementations: {@link MemoryBroker} (one process, the default) and `createRedisBroker` from
 * `sockeon-ts/redis`.
 */
export interface Broker {
  /** This node's id, unique in the cluster; envelopes this node published are not delivered back to it. */
  readonly nodeId: string;
  /** Shared client data. */
  readonly store: ClientDataStore;
  /** Longest a cluster-wide query waits for other nodes' answers; default 1000 ms. */
  readonly queryTimeoutMs?: number;
  /** Starts delivering messages to `host`. Called once by the server; resolves when subscribed. */
  subscribe(host: BrokerHost): Promise<void>;
  /** Sends an envelope to every other node, or only to node `to`. Never throws. */
  publish(body: EnvelopeBody, to?: string): void;
  /**
   * This node's first client joined a room (of a namespace): a broker that routes room broadcasts by room
   * (Redis Cluster) starts listening to it. Optional; called synchronously by the engine, never throws.
   */
  roomOpened?(namespace: string, room: string): void;
  /** This node's last client left a room: the broker may stop listening to it. Optional, never throws. */
  roomClosed?(namespace: string, room: string): void;
  /**
   * A promise while this node's subscription to an open room is on its way (resolves when it is active, or
   * gives up after a bound), else undefined: the engine holds the joining client's frames until then, so
   * whatever the client does after its join finds this node listening.
   */
  whenRoomSubscribed?(namespace: string, room: string): Promise<void> | undefined;
  /** Ids of the nodes alive now, this one included. */
  nodes(): Promise<string[]>;
  /** Stops delivering, withdraws this node from the cluster, releases what the broker opened. */
  close(): Promise<void>;
}

/** Adds the version and sender to a body: the one place an envelope is completed. */
export function seal(body: EnvelopeBody, node: string): Envelope {
  return { ...body, v: 1, node } as Envelope;
}

/** A random node or request id (96 bits, URL-safe). */
export function randomNodeId(prefix = "node"): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  let hex = "";
  for (const b of bytes) hex += b.toString(16).padStart(2, "0");
  return `${prefix}-${hex}`;
}
