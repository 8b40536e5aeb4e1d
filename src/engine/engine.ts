import type { SockeonApi } from "../api/compat.ts";
import type { ErrorContext } from "../common/errors.ts";
import { resolveClientIp } from "../common/ip.ts";
import { ThrottledLog } from "../common/throttled-log.ts";
import { ConnectionLimits } from "../handshake/connection-limits.ts";
import { type HandshakeContext, type HandshakeStep, reject, runHandshake } from "../handshake/handshake.ts";
import { type HandshakeMiddleware, handshakePolicy } from "../handshake/handshake-policy.ts";
import { checkUpgrade } from "../handshake/upgrade-validation.ts";
import { createObservability, type Observability } from "../metrics/instruments.ts";
import type { ResolvedOptions } from "../options/options.ts";
import { Limiter } from "../rate-limit/limiter.ts";
import { RouteChains, unroutedCounter } from "../rate-limit/route-guards.ts";
import { Cluster, type ClusterServer } from "../scale/cluster.ts";
import { ClientData } from "./client-data.ts";
import { randomId } from "./client-id.ts";
import {
  type Accepted,
  type Connection,
  type Host,
  isUpgrade,
  type ListenerHooks,
  type PeerInfo,
  type SocketHandle,
  type Ticket,
} from "./connection.ts";
import { Dispatcher, PING_EVENT } from "./dispatcher.ts";
import { FlushQueue } from "./flush-queue.ts";
import { leaveCluster } from "./history.ts";
import { appendFunctions, type WebSocketMiddleware } from "./middleware.ts";
import { DEFAULT_NAMESPACE, Namespaces } from "./namespaces.ts";
import { Recovery, type RecoveryClaim } from "./recovery.ts";
import { type ControllerInstance, Registry } from "./registry.ts";
import { Rooms } from "./rooms.ts";
import { Session } from "./session.ts";
import { type CloseOptions, Shutdown, type ShutdownHook, type ShutdownPhase } from "./shutdown.ts";
import { type EngineState, forgetLocally } from "./state.ts";

/** What the engine is built from: the resolved options and the user-facing server it serves. */
export interface EngineInit {
  readonly options: ResolvedOptions;
  /** The user-facing server: what `ctx.server` is for middleware, and what remote cluster envelopes apply through. */
  readonly api: SockeonApi & ClusterServer;
  /** Answers a plain HTTP request (the server's Hono app). */
  readonly fetch: (request: Request, peer: PeerInfo) => Response | Promise<Response>;
  /** The member names a controller's decorated handlers may not reuse (its framework base classes'). */
  readonly reserved: (controller: ControllerInstance) => ReadonlySet<string>;
}

/**
 * The runtime-agnostic engine behind a server: sessions, rooms, namespaces, client data, dispatch, flushing,
 * the handshake policy, connection caps, the cluster and the graceful shutdown. Adapters reach it only through
 * the {@link Host} contract; user code only through the API classes (src/api/), which share its
 * {@link EngineState}.
 */
export class Engine implements Host {
  readonly options: ResolvedOptions;
  /** What the API's sends and queries read; built once. */
  readonly state: EngineState;
  readonly registry: Registry;
  /** Counts hits for `rateLimit` and `@RateLimit`, over the configured store. */
  readonly limiter: Limiter;
  /** Counters and hooks (src/metrics/); both undefined unless metrics, the dashboard or tracing are on. */
  readonly observed: Observability;
  /** The same hooks as a plain field: sessions read it on every send. */
  readonly instruments: Observability["instruments"];
  readonly #init: EngineInit;
  readonly #sessions = new Map<string, Session>();
  /** Where sessions send their clients' frames. */
  readonly dispatcher: Dispatcher;
  readonly #flushQueue = new FlushQueue();
  readonly #shutdown = new Shutdown();
  readonly #limits: ConnectionLimits;
  readonly #cluster: Cluster | undefined;
  /** Connection-state recovery, when the option is on. */
  readonly #recovery: Recovery | undefined;
  readonly #middlewares: WebSocketMiddleware[] = [];
  readonly #handshakeMiddlewares: HandshakeMiddleware[] = [];
  /** Handshake policy, in order: connection caps, origin, auth key, then user handshake middleware. */
  readonly #handshakeSteps: HandshakeStep[];
  readonly #chains: RouteChains;
  /** Refused upgrades are a client's doing: logged at a bounded rate. */
  readonly #upgradeLog: ThrottledLog;

  constructor(init: EngineInit) {
    this.#init = init;
    const options = (this.options = init.options);
    this.registry = new Registry(init.reserved);
    this.limiter = new Limiter(options.rateLimit);
    this.#limits = new ConnectionLimits(options);
    this.#upgradeLog = new ThrottledLog(options.logger);
    this.#handshakeSteps = [this.#limits.step, ...handshakePolicy(options, this.#handshakeMiddlewares)];
    const report = (error: unknown, context: ErrorContext): void => this.reportError(error, context);
    const known = (event: string): boolean => event === PING_EVENT || this.registry.events.has(event);
    const observed = (this.observed = createObservability(options, known, () => this.state));
    this.instruments = observed.instruments;
    const guards = { limiter: this.limiter, logger: options.logger, report, instruments: observed.instruments };
    const chains = (this.#chains = new RouteChains(this.#middlewares, guards));
    this.dispatcher = new Dispatcher({
      registry: this.registry,
      logger: options.logger,
      decode: options,
      api: init.api,
      middlewares: this.#middlewares,
      reportError: report,
      countUnrouted: unroutedCounter(options, this.limiter, report),
      instruments: observed.instruments,
      chainFor: (route) => chains.of(route),
    });
    const { broker, logger } = options;
    const recoveryHost = { nodeId: broker?.nodeId, state: () => this.state, api: init.api, report };
    this.#recovery = options.recovery && new Recovery(options.recovery, recoveryHost);
    const suspended: ReadonlySet<string> = this.#recovery?.suspended ?? new Set();
    const view = {
      sessions: this.#sessions,
      suspended,
      rooms: new Rooms(),
      namespaces: new Namespaces(),
      data: new ClientData(options),
      nodeId: broker?.nodeId,
    };
    const handover = (id: string): void => this.#leave(id, false, 1001, "Session resumed on another node");
    this.#cluster = broker && new Cluster({ broker, server: init.api, view, logger, reportError: report, handover });
    // a broker may listen per room (Redis Cluster): it hears when this node's rooms open and close
    if (this.#cluster) view.rooms.watch(this.#cluster);
    this.state = {
      ...view,
      cluster: this.#cluster,
      startedAt: Date.now(),
      owner: init.api,
      instruments: observed.instruments,
      limits: options,
      history: this.#recovery?.history,
    };
    // after every client is gone (their disconnect cleanup still writes through), the node leaves the cluster
    if (this.#cluster) this.onShutdown(() => this.#recovery?.history?.handOffAll(), "accepting");
    if (this.#cluster) this.onShutdown(() => leaveCluster(this.#cluster, this.#recovery?.history));
  }

  /** Resolves once the broker (if any) delivers other nodes' messages to this node. */
  async ready(): Promise<void> {
    await this.#cluster?.ready;
  }

  /** Adds a controller's `@SocketOn`, `@OnConnect` and `@OnDisconnect` handlers. */
  addController(controller: ControllerInstance): void {
    this.registry.add(controller);
  }

  /** Adds global WebSocket middleware. */
  use(middlewares: readonly WebSocketMiddleware[]): void {
    appendFunctions("use", this.#middlewares, middlewares);
    this.#chains.reset();
  }

  /** Adds handshake middleware (after the origin and auth-key checks). */
  addHandshakeMiddleware(middlewares: readonly HandshakeMiddleware[]): void {
    appendFunctions("addHandshakeMiddleware", this.#handshakeMiddlewares, middlewares);
  }

  /** True once a graceful shutdown started (readiness fails). */
  get closing(): boolean {
    return this.#shutdown.closing;
  }

  /** Registers work for the graceful shutdown. */
  onShutdown(hook: ShutdownHook, phase: ShutdownPhase = "closed"): void {
    this.#shutdown.add(hook, phase);
  }

  /** Reports a caught failure to `onError`; never throws. */
  reportError(error: unknown, context: ErrorContext): void {
    try {
      this.options.onError(error, context);
    } catch (secondary) {
      console.error("sockeon-ts: onError threw", secondary, "while reporting", error);
    }
  }

  async accept(request: Request, peer: PeerInfo = {}): Promise<Accepted> {
    if (isUpgrade(request)) return this.handshake(request, peer);
    try {
      return { response: await this.#init.fetch(request, peer) };
    } catch (error) {
      this.reportError(error, { source: "http" });
      return { response: new Response("Internal Server Error", { status: 500 }) };
    }
  }

  async handshake(request: Request, peer: PeerInfo = {}): Promise<Accepted> {
    if (this.instruments === undefined) return this.#handshake(request, peer);
    const finish = this.instruments.handshake(request);
    const accepted = await this.#handshake(request, peer);
    finish(accepted.response?.status);
    return accepted;
  }

  async #handshake(request: Request, peer: PeerInfo): Promise<Accepted> {
    if (this.#shutdown.closing) return { response: reject(503, "Server shutting down") };
    let clientId = randomId();
    let claim: RecoveryClaim | undefined;
    try {
      // before any policy step or slot: every runtime refuses the same malformed upgrades the same way
      const upgrade = checkUpgrade(request, this.options.subprotocols);
      if (upgrade.response) {
        this.#upgradeLog.warning("upgrade", `Refused upgrade: ${upgrade.reason}`, { ip: peer.remoteAddress ?? null });
        return { response: upgrade.response };
      }
      let url: URL;
      try {
        url = new URL(request.url);
      } catch {
        return { response: reject(400, "Bad request URL") };
      }
      // a resume keeps its id; the whole handshake policy runs again for it
      if (this.#recovery) claim = await this.#recovery.claim(url);
      clientId = claim?.session?.id ?? claim?.remote?.record.id ?? clientId;
      const ip = resolveClientIp(peer.remoteAddress, request.headers, this.options.isTrustedProxy);
      const ctx: HandshakeContext = { request, url, clientId, ip, peer, data: Object.create(null) };
      const rejected = (await runHandshake(this.#handshakeSteps, ctx)) ?? this.#limits.admit(clientId, ctx.ip);
      if (rejected) {
        this.#recovery?.unclaim(claim);
        return { response: rejected };
      }
      const ticket = { clientId, ip: ctx.ip, data: ctx.data, recovery: claim };
      return { ticket: upgrade.protocol === undefined ? ticket : { ...ticket, protocol: upgrade.protocol } };
    } catch (error) {
      this.#recovery?.unclaim(claim);
      this.reportError(error, { source: "handshake", clientId });
      return { response: new Response("Internal Server Error", { status: 500 }) };
    }
  }

  abandon(ticket: Ticket): Response {
    this.#limits.abandoned(ticket.clientId);
    this.#recovery?.unclaim(ticket.recovery as RecoveryClaim | undefined);
    return reject(400, "Invalid WebSocket request");
  }

  open(connection: Connection, ticket: Ticket): SocketHandle {
    const claim = ticket.recovery as RecoveryClaim | undefined;
    const resumed = (claim?.session || claim?.remote) && this.#recovery?.resume(claim, connection);
    let id = ticket.clientId;
    if ((claim?.session || claim?.remote) && !resumed) {
      // the claimed session ended between the handshake and now: a fresh session, under a fresh id
      this.#limits.abandoned(id);
      id = randomId();
    }
    const session = new Session(this, resumed?.remote?.hold ?? connection, id, ticket.ip, this.options.maxBufferedAmount);
    const state = this.state;
    if (resumed?.wasOpen && resumed.previous) {
      this.#limits.closed(id);
      this.#shutdown.socketClosed(resumed.previous);
    }
    this.#sessions.set(id, session);
    this.#limits.opened(id, session.ip);
    this.#shutdown.socketOpened(session);
    if (!resumed) state.namespaces.move(id, DEFAULT_NAMESPACE);
    try {
      for (const key of Object.keys(ticket.data)) this.#init.api.setClientData(id, key, ticket.data[key]);
    } catch (error) {
      // handshake data over maxClientDataKeys/Bytes: the client connects with what fitted
      this.reportError(error, { source: "handshake", clientId: id });
    }
    if (claim) this.#recovery?.start(session, resumed);
    this.options.logger.debug(`Client ${resumed ? "resumed" : "connected"}: ${id}`, { clientId: id, ip: session.ip });
    void this.dispatcher.lifecycle(resumed ? "reconnect" : "connect", id);
    return session;
  }

  listening(hooks: ListenerHooks): void {
    if (hooks.stopAccepting) this.onShutdown(() => hooks.stopAccepting?.(), "accepting");
    if (hooks.closeAll) this.onShutdown(() => hooks.closeAll?.());
  }

  /** Graceful shutdown (see `SockeonServer.close`). */
  close(options: CloseOptions = {}): Promise<void> {
    return this.#shutdown.run(this, options);
  }

  /** The session ended: runs `@OnDisconnect`, then frees its rooms, namespace and data. */
  release(session: Session, code: number, reason: string): void {
    if (this.#sessions.get(session.id) !== session) return;
    this.#sessions.delete(session.id);
    this.#limits.closed(session.id);
    this.#recovery?.ended(session);
    this.options.logger.debug(`Client disconnected: ${session.id}`, { clientId: session.id, code, reason });
    const { data, cluster } = this.state;
    const cleanup = (): void => {
      if (cluster && Object.keys(data.all(session.id)).length > 0) cluster.dataForget(session.id);
      forgetLocally(this.state, session.id);
    };
    if (this.registry.disconnect.length === 0) cleanup();
    else this.#shutdown.track(this.dispatcher.lifecycle("disconnect", session.id).finally(cleanup));
  }

  /** The runtime reported a session's socket closed: the graceful shutdown waits for this. */
  socketClosed(session: Session): void {
    this.#shutdown.socketClosed(session);
  }

  /** A recoverable session dropped: it stays (rooms, data, logged frames) but no longer counts as connected. */
  suspend(session: Session): void {
    this.#limits.closed(session.id);
    this.#recovery?.suspend(session);
    this.options.logger.debug(`Client suspended: ${session.id}`, { clientId: session.id });
  }

  /** Batches this session's writes until the end of the turn. */
  scheduleFlush(session: Session): void {
    this.#flushQueue.schedule(session);
  }

  /** Checks this session's backlog on the flush queue's timer until it drains or is cut. */
  watchDrain(session: Session): void {
    this.#flushQueue.watch(session);
  }

  /** A client is not reading fast enough: close it as a slow consumer. */
  overflow(session: Session, bytes: number, why: string): void {
    this.instruments?.slowConsumer();
    this.options.logger.warning(`Closing slow client ${session.id}: ${bytes} bytes unsent (${why})`, { clientId: session.id });
    session.close(1008, "Outbound buffer limit exceeded");
  }

  /** Closes every session of this process (shutdown); with cross-node recovery, opted-in ones are handed off (1012). */
  closeAllSessions(code: number, reason: string): void {
    for (const session of [...this.#sessions.values()])
      if (this.#recovery?.handsOff(session)) this.#leave(session.id, true, 1012, "Service Restart");
      else session.close(code, reason);
  }

  /** A session leaves without ending (no `@OnDisconnect`): resumed elsewhere, or handed off by a shutdown (`keep`). */
  #leave(id: string, keep: boolean, code: number, reason: string): void {
    const session = this.#sessions.get(id);
    if (!session) return;
    const open = session.state === "open";
    this.#recovery?.left(session, keep);
    session.retire(code, reason);
    this.#sessions.delete(id);
    if (open) this.#limits.closed(id);
    // a handed-off socket is still closing (1012): the shutdown waits for the runtime to report it closed
    if (open && !keep) this.#shutdown.socketClosed(session);
    forgetLocally(this.state, id);
  }
}
