import { type Broker, type BrokerHost, type ClientDataStore, randomNodeId, seal } from "./broker.ts";
import type { EnvelopeBody } from "./envelope.ts";

/**
 * An in-process message bus: the brokers created on one bus form a cluster inside one process (several
 * servers in one process, or tests). Messages are JSON-encoded on the way, as on a real channel.
 */
export class MemoryBus {
  readonly #members = new Map<string, BrokerHost>();
  readonly #data = new Map<string, Map<string, unknown>>();

  /** @internal */
  join(nodeId: string, host: BrokerHost): void {
    this.#members.set(nodeId, host);
  }

  /** @internal */
  leave(nodeId: string): void {
    this.#members.delete(nodeId);
  }

  /** @internal delivers a message to every member but the sender (or to one), on a later microtask. */
  send(from: string, text: string, to?: string): void {
    for (const [id, host] of this.#members) {
      if (id === from || (to !== undefined && id !== to)) continue;
      queueMicrotask(() => {
        if (this.#members.get(id) === host) host.receive(text);
      });
    }
  }

  /** Ids of the nodes on this bus. */
  nodes(): string[] {
    return [...this.#members.keys()];
  }

  /** @internal the bus-wide client data map. */
  get data(): Map<string, Map<string, unknown>> {
    return this.#data;
  }
}

class MemoryStore implements ClientDataStore {
  readonly #bus: MemoryBus;
  constructor(bus: MemoryBus) {
    this.#bus = bus;
  }
  set(clientId: string, key: string, value: unknown): void {
    let mine = this.#bus.data.get(clientId);
    if (!mine) this.#bus.data.set(clientId, (mine = new Map()));
    // a copy, so a remote reader never shares an object with the owner (as through Redis)
    mine.set(key, value === undefined ? null : JSON.parse(JSON.stringify(value)));
  }
  forget(clientId: string, key?: string): void {
    if (key === undefined) this.#bus.data.delete(clientId);
    else this.#bus.data.get(clientId)?.delete(key);
  }
  async get(clientId: string, key: string): Promise<unknown> {
    return this.#bus.data.get(clientId)?.get(key) ?? null;
  }
  async all(clientId: string): Promise<Record<string, unknown> | null> {
    const mine = this.#bus.data.get(clientId);
    if (!mine) return null;
    const out: Record<string, unknown> = Object.create(null);
    for (const [key, value] of mine) out[key] = value;
    return out;
  }
}

/**
 * The default broker: one node alone, or several nodes of one process sharing a {@link MemoryBus}.
 * No external service; nothing survives the process.
 * @example
 * ```ts
 * const bus = new MemoryBus();
 * const a = createServer({ broker: new MemoryBroker(bus) });
 * const b = createServer({ broker: new MemoryBroker(bus) });
 * ```
 */
export class MemoryBroker implements Broker {
  readonly nodeId: string;
  readonly store: ClientDataStore;
  readonly #bus: MemoryBus;

  /** @param bus the bus shared with other nodes of this process; a private one when omitted */
  constructor(bus: MemoryBus = new MemoryBus(), nodeId: string = randomNodeId()) {
    this.#bus = bus;
    this.nodeId = nodeId;
    this.store = new MemoryStore(bus);
  }

  async subscribe(host: BrokerHost): Promise<void> {
    this.#bus.join(this.nodeId, host);
  }

  publish(body: EnvelopeBody, to?: string): void {
    this.#bus.send(this.nodeId, JSON.stringify(seal(body, this.nodeId)), to);
  }

  async nodes(): Promise<string[]> {
    return this.#bus.nodes();
  }

  async close(): Promise<void> {
    this.#bus.leave(this.nodeId);
  }
}
