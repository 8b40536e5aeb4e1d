import type { ErrorContext } from "../common/errors.ts";
import type { Logger } from "../common/logger.ts";
import { type Broker, type BrokerHost, randomNodeId } from "./broker.ts";
import { type BroadcastEnvelope, type ClientOpEnvelope, type Envelope, type EnvelopeBody, parseEnvelope } from "./envelope.ts";
import { isQueryName, type LocalView, QUERIES, type QueryName, type QueryResult } from "./queries.ts";

/** The server methods a remote envelope is applied through (they deliver locally; publishing is suppressed). */
export interface ClusterServer {
  broadcast(event: string, data: unknown): void;
  broadcastToNamespace(event: string, data: unknown, namespace: string): void;
  broadcastToRoom(event: string, data: unknown, namespace: string, room: string): void;
  broadcastTo(event: string, data: unknown, clientIds: readonly string[]): void;
  broadcastExcept(event: string, data: unknown, exceptIds: readonly string[]): void;
  /** Any mix of rooms, namespace and exclusions at once, where the server has it (the broadcast builder). */
  broadcastToTarget?(event: string, data: unknown, target: { rooms: string[]; namespace?: string; except: string[] }): void;
  disconnect(clientId: string, code?: number, reason?: string): void;
  joinRoom(clientId: string, room: string, namespace?: string): void;
  leaveRoom(clientId: string, room: string, namespace?: string): void;
  leaveAllRooms(clientId: string): void;
  moveClientToNamespace(clientId: string, namespace?: string): void;
  setClientData(clientId: string, key: string, value: unknown): void;
  forgetData(clientId: string, key?: string): void;
}

/** Options of the cluster layer, from the server. */
export interface ClusterOptions {
  broker: Broker;
  server: ClusterServer;
  view: LocalView;
  logger: Logger;
  reportError(error: unknown, context: ErrorContext): void;
  /** A client resumed its session on another node: this node lets its copy go without ending it. */
  handover?(clientId: string): void;
}

interface Pending {
  waiting: Set<string>;
  /** The peers the query waits for: those not known to be silent. */
  required: Set<string>;
  answers: unknown[];
  resolve(answers: unknown[]): void;
  timer: ReturnType<typeof setTimeout>;
}

/** How long a query waits for nodes that let an earlier query time out. */
const SILENT_GRACE_MS = 50;

/** Malformed envelopes are logged at most this often, with a count of those not logged. */
const REJECT_LOG_INTERVAL_MS = 10_000;

/**
 * How a server uses its broker: publishes what it did locally so other nodes do the same for their clients,
 * applies what other nodes published, answers and asks cluster-wide queries, and writes client data through
 * to the shared store. Nothing here throws into user code: failures go to `reportError`.
 */
export class Cluster {
  readonly broker: Broker;
  /** Resolves once the broker delivers messages to this node (with Redis down: once it is reachable). */
  readonly ready: Promise<void>;
  readonly #o: ClusterOptions;
  readonly #pending = new Map<string, Pending>();
  /** Peers that let a query time out and sent nothing since: queries do not wait for them (a crashed node). */
  readonly #silent = new Set<string>();
  readonly #timeout: number;
  #applying = false;
  /** The envelope being applied now (cross-node recovery reads its sender and sequence number). */
  applying: Envelope | undefined;
  #closed = false;
  #rejected = 0;
  #lastRejectLog = 0;

  constructor(options: ClusterOptions) {
    this.#o = options;
    this.broker = options.broker;
    this.#timeout = options.broker.queryTimeoutMs ?? 1000;
    const host: BrokerHost = {
      receive: (message) => this.#receive(message),
      localData: () => this.#localData(),
      logger: options.logger,
      reportError: options.reportError,
    };
    this.ready = Promise.resolve()
      .then(() => this.broker.subscribe(host))
      .catch((error) => options.reportError(error, { source: "broker" }));
  }

  /** Publishes what this node just did locally; a no-op while applying another node's envelope. */
  publish(body: EnvelopeBody): void {
    if (this.#applying || this.#closed) return;
    this.broker.publish(body);
  }

  /** This node's first client joined a room: the broker may start listening to it. */
  roomOpened(namespace: string, room: string): void {
    this.#tellBroker((broker) => broker.roomOpened?.(namespace, room));
  }

  /** This node's last client left a room: the broker may stop listening to it. */
  roomClosed(namespace: string, room: string): void {
    this.#tellBroker((broker) => broker.roomClosed?.(namespace, room));
  }

  /** Membership news for the broker; it runs inside a join or leave, so a broker failure is reported, not thrown. */
  #tellBroker(call: (broker: Broker) => void): void {
    if (this.#closed) return;
    try {
      call(this.broker);
    } catch (error) {
      this.#o.reportError(error, { source: "broker" });
    }
  }

  /** A promise while this node's subscription to a room it just opened is on its way, else undefined. */
  whenRoomSubscribed(namespace: string, room: string): Promise<void> | undefined {
    return this.#closed ? undefined : this.broker.whenRoomSubscribed?.(namespace, room);
  }

  /** Writes a local client's value through to the shared store. */
  dataSet(clientId: string, key: string, value: unknown): void {
    if (!this.#closed) this.broker.store.set(clientId, key, value);
  }

  /** Removes a local client's key (or all its data) from the shared store. */
  dataForget(clientId: string, key?: string): void {
    if (!this.#closed) this.broker.store.forget(clientId, key);
  }

  /** A remote client's value from the shared store; `null` when unset, unknown, or the store is unreachable. */
  async remoteData(clientId: string, key: string): Promise<unknown> {
    try {
      return await this.broker.store.get(clientId, key);
    } catch (error) {
      this.#o.reportError(error, { source: "broker", clientId });
      return null;
    }
  }

  /** All data of a remote client: `{}` when it is connected without data, `null` when it is not connected. */
  async remoteAllData(clientId: string): Promise<Record<string, unknown> | null> {
    try {
      const all = await this.broker.store.all(clientId);
      if (all) return all;
    } catch (error) {
      this.#o.reportError(error, { source: "broker", clientId });
      return null;
    }
    return (await this.ask("connected", [clientId])) ? Object.create(null) : null;
  }

  /**
   * Asks every live node for its answer and combines them with this node's. Nodes that do not answer within
   * the query timeout (a node that crashed, before its liveness key expired) are left out.
   */
  async ask<Q extends QueryName>(query: Q, args: unknown[]): Promise<QueryResult<Q>> {
    const spec = QUERIES[query];
    const local = spec.local(this.#o.view, args);
    let peers: string[] = [];
    if (!this.#closed) {
      try {
        peers = (await this.broker.nodes()).filter((id) => id !== this.broker.nodeId);
      } catch (error) {
        // the broker reports outages itself; the answer is then this node's alone
        this.#o.logger.debug(`Cluster query ${query} answered locally: ${(error as Error)?.message ?? error}`);
      }
    }
    if (peers.length === 0) return spec.merge([local]) as QueryResult<Q>;
    for (const node of this.#silent) if (!peers.includes(node)) this.#silent.delete(node);
    const id = randomNodeId("q");
    const required = new Set(peers.filter((node) => !this.#silent.has(node)));
    const answers = await new Promise<unknown[]>((resolve) => {
      const timer = setTimeout(() => {
        const pending = this.#pending.get(id);
        this.#pending.delete(id);
        for (const node of pending?.required ?? []) this.#silent.add(node);
        this.#o.logger.debug(`Cluster query ${query}: no answer from ${[...(pending?.required ?? [])].join(", ")}`);
        resolve(pending?.answers ?? []);
      }, this.#timeout);
      this.#pending.set(id, { waiting: new Set(peers), required, answers: [], resolve, timer });
      // asked even when only silent peers are left: an answer from one brings it back
      this.broker.publish({ kind: "query", id, query, args });
      if (required.size === 0) this.#settleSoon(id);
    });
    return spec.merge([local, ...answers]) as QueryResult<Q>;
  }

  /** Stops publishing, answers pending queries with what arrived, and closes the broker. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const [id, pending] of this.#pending) {
      clearTimeout(pending.timer);
      this.#pending.delete(id);
      pending.resolve(pending.answers);
    }
    await this.broker.close();
  }

  *#localData(): Iterable<[string, Record<string, unknown>]> {
    for (const id of this.#o.view.sessions.keys()) {
      const data = this.#o.view.data.all(id);
      if (Object.keys(data).length > 0) yield [id, data];
    }
  }

  #receive(message: unknown): void {
    if (this.#closed) return;
    // a node sends the envelopes of one turn for one channel as a JSON array (src/scale/publish-batch.ts)
    if (typeof message === "string" && message.charCodeAt(0) === 0x5b) {
      let batch: unknown;
      try {
        batch = JSON.parse(message);
      } catch {
        this.#reject("not JSON", message);
        return;
      }
      if (Array.isArray(batch) && batch.length > 0) for (const item of batch) this.#receiveOne(item);
      else this.#reject(Array.isArray(batch) ? "an empty batch" : "not a JSON object", message);
      return;
    }
    this.#receiveOne(message);
  }

  #receiveOne(message: unknown): void {
    if (this.#closed) return;
    const envelope = parseEnvelope(message);
    if (typeof envelope === "string") {
      this.#reject(envelope, message);
      return;
    }
    if (envelope.node === this.broker.nodeId) return;
    // anything from a node shows it is alive: queries wait for it again
    this.#silent.delete(envelope.node);
    try {
      this.#applying = true;
      this.applying = envelope;
      this.#apply(envelope);
    } catch (error) {
      this.#o.reportError(error, { source: "broker", event: envelope.kind });
    } finally {
      this.#applying = false;
      this.applying = undefined;
    }
  }

  #apply(e: Envelope): void {
    const server = this.#o.server;
    switch (e.kind) {
      case "broadcast":
        this.#applyBroadcast(e);
        return;
      case "to":
        server.broadcastTo(e.event, e.data, e.clients);
        return;
      case "op":
        if (e.op === "handover") this.#o.handover?.(e.client);
        else if (this.#o.view.sessions.has(e.client)) this.#applyOp(e);
        return;
      case "query": {
        if (isQueryName(e.query)) {
          const result = QUERIES[e.query].local(this.#o.view, e.args);
          this.broker.publish({ kind: "reply", id: e.id, result }, e.node);
        } else this.#reject(`unknown query ${JSON.stringify(e.query)}`, e);
        return;
      }
      case "reply": {
        const pending = this.#pending.get(e.id);
        if (!pending?.waiting.delete(e.node)) return;
        pending.answers.push(e.result);
        pending.required.delete(e.node);
        if (pending.waiting.size === 0) this.#settle(e.id);
        else if (pending.required.size === 0) this.#settleSoon(e.id);
        return;
      }
    }
  }

  /** Answers a pending query with what arrived. */
  /**
   * Every node the query waits for answered; nodes known to be silent get a short grace (a node that was only
   * cut off by a Redis outage answers within it and is counted again), a dead one costs at most that.
   */
  #settleSoon(id: string): void {
    const pending = this.#pending.get(id);
    if (!pending) return;
    clearTimeout(pending.timer);
    pending.timer = setTimeout(() => this.#settle(id), SILENT_GRACE_MS);
  }

  #settle(id: string): void {
    const pending = this.#pending.get(id);
    if (!pending) return;
    clearTimeout(pending.timer);
    this.#pending.delete(id);
    pending.resolve(pending.answers);
  }

  #applyBroadcast(e: BroadcastEnvelope): void {
    const server = this.#o.server;
    const { event, data, namespace } = e;
    const rooms = e.rooms ?? [];
    const except = e.except ?? [];
    const everyone = rooms.length === 0 && namespace === undefined;
    // the common shapes go through the plain methods; combinations through the broadcast builder's delivery
    if (except.length === 0 && rooms.length === 1) server.broadcastToRoom(event, data, namespace ?? "/", rooms[0] as string);
    else if (except.length === 0 && rooms.length === 0 && namespace !== undefined)
      server.broadcastToNamespace(event, data, namespace);
    else if (everyone && except.length > 0) server.broadcastExcept(event, data, except);
    else if (everyone) server.broadcast(event, data);
    else if (server.broadcastToTarget) server.broadcastToTarget(event, data, { rooms, namespace, except });
    else throw new Error(`this node cannot deliver a broadcast to ${rooms.length} rooms with exclusions`);
  }

  #applyOp(e: ClientOpEnvelope): void {
    const server = this.#o.server;
    const [a, b] = e.args as [never, never];
    const ops: Record<Exclude<ClientOpEnvelope["op"], "handover">, () => void> = {
      disconnect: () => server.disconnect(e.client, typeof a === "number" ? a : 1000, typeof b === "string" ? b : ""),
      join: () => server.joinRoom(e.client, a, b),
      leave: () => server.leaveRoom(e.client, a, b),
      leaveAll: () => server.leaveAllRooms(e.client),
      move: () => server.moveClientToNamespace(e.client, a),
      setData: () => server.setClientData(e.client, a, b),
      forgetData: () => server.forgetData(e.client, a),
    };
    ops[e.op as keyof typeof ops]();
  }

  #reject(reason: string, message: unknown): void {
    this.#rejected++;
    const now = Date.now();
    if (now - this.#lastRejectLog < REJECT_LOG_INTERVAL_MS) return;
    const sample = typeof message === "string" ? message.slice(0, 120) : JSON.stringify(message)?.slice(0, 120);
    this.#o.logger.warning(`Ignored a message on the cluster channel: ${reason}`, {
      sample,
      ignoredSinceLastLog: this.#rejected,
    });
    this.#rejected = 0;
    this.#lastRejectLog = now;
  }
}
