import { Hono, type MiddlewareHandler } from "hono";
import { type AsyncApiDocument, type AsyncApiInfo, asyncapi } from "../asyncapi/asyncapi.ts";
import { mountAsyncApi } from "../asyncapi/http.ts";
import { type OpenApiDocument, openapi } from "../asyncapi/openapi.ts";
import { describe } from "../common/errors.ts";
import { resolveClientIp } from "../common/ip.ts";
import { ClientData } from "../engine/client-data.ts";
import { randomId } from "../engine/client-id.ts";
import * as clientOps from "../engine/client-ops.ts";
import type { Connection, PeerInfo } from "../engine/connection.ts";
import {
  FlushQueue,
  sendEvent,
  sendToAll,
  sendToAllExcept,
  sendToClients,
  sendToNamespace,
  sendToRoom,
  sendToTarget,
} from "../engine/delivery.ts";
import { Dispatcher } from "../engine/dispatcher.ts";
import {
  composeChain,
  type MessageContext,
  type MiddlewareOptions,
  runChain,
  type WebSocketMiddleware,
} from "../engine/middleware.ts";
import { DEFAULT_NAMESPACE, Namespaces } from "../engine/namespaces.ts";
import { type ControllerInstance, Registry, type Route } from "../engine/registry.ts";
import { Rooms } from "../engine/rooms.ts";
import type { ClientMap } from "../engine/server-queries.ts";
import * as queries from "../engine/server-queries.ts";
import type { ServerState } from "../engine/server-state.ts";
import { Session, type SessionHost } from "../engine/session.ts";
import { type CloseOptions, Shutdown, type ShutdownHook, type ShutdownPhase } from "../engine/shutdown.ts";
import { ConnectionLimits } from "../handshake/connection-limits.ts";
import { type HandshakeContext, type HandshakeStep, reject, runHandshake } from "../handshake/handshake.ts";
import { type HandshakeMiddleware, handshakePolicy } from "../handshake/handshake-policy.ts";
import { PEER_KEY } from "../http/client-ip.ts";
import { HttpRoutes } from "../http/http-routes.ts";
import { type ErrorContext, type ResolvedOptions, resolveOptions, type ServerOptions } from "../options/options.ts";
import { Limiter } from "../rate-limit/limiter.ts";
import { guardChain } from "../rate-limit/route-guards.ts";
import { Cluster } from "../scale/cluster.ts";
import { BroadcastOperator, type BroadcastTarget, type EventMap } from "./broadcast-operator.ts";
import { attachServer, CONTROLLER_API, SocketController } from "./controller.ts";
import { SystemRoomController } from "./system-room-controller.ts";

export type { ClientMap } from "../engine/server-queries.ts";

/** An accepted handshake, handed back to `server.open()` after the runtime upgraded the socket. */
export interface Ticket {
  readonly clientId: string;
  readonly ip: string | null;
  /** Data handshake steps attached; stored as the client's data on open. */
  readonly data: Readonly<Record<string, unknown>>;
}

/**
 * The runtime-agnostic server: controllers, rooms, namespaces, client data and the outbound path. Adapters
 * call {@link SockeonServer.handshake} and {@link SockeonServer.open}; user code calls the Sockeon API, usually
 * through a {@link SocketController}.
 */
export class SockeonServer implements SessionHost {
  /** The options after defaults. */
  readonly options: ResolvedOptions;
  /** The Hono app serving this server's HTTP side; mount it in another Hono app with `app.route("/", server.app)`. */
  readonly app: Hono = new Hono();
  readonly #sessions = new Map<string, Session>();
  readonly #rooms = new Rooms();
  readonly #namespaces = new Namespaces();
  readonly #data = new ClientData();
  readonly #registry = new Registry(CONTROLLER_API);
  readonly #dispatcher: Dispatcher;
  readonly #startedAt = Date.now();
  readonly #middlewares: WebSocketMiddleware[] = [];
  /** Handshake policy, in order; built-in steps first, then user handshake middleware. */
  protected readonly handshakeSteps: HandshakeStep[] = [];
  readonly #handshakeMiddlewares: HandshakeMiddleware[] = [];
  #chains = new WeakMap<Route, readonly WebSocketMiddleware[]>();
  /** Counts hits for `rateLimit` and `@RateLimit`, over the configured store. */
  readonly limiter: Limiter;
  readonly #guards: Parameters<typeof guardChain>[2];
  /** The HTTP side: `@HttpRoute` handlers, HTTP middleware, CORS and the health check on {@link SockeonServer.app}. */
  readonly http: HttpRoutes;
  readonly #limits: ConnectionLimits;
  readonly #shutdown = new Shutdown();
  readonly #flushQueue = new FlushQueue();
  /** Present when a broker is configured: other nodes see what this one does (src/scale/cluster.ts). */
  readonly #cluster: Cluster | undefined;
  /** What the sends and queries read (src/delivery.ts, src/server-queries.ts); one object, built once. */
  readonly #state: ServerState;

  constructor(options: ServerOptions = {}) {
    this.options = resolveOptions(options);
    this.limiter = new Limiter(this.options.rateLimit);
    this.#guards = {
      limiter: this.limiter,
      logger: this.options.logger,
      report: (error, context) => this.reportError(error, context),
    };
    this.#dispatcher = new Dispatcher({
      registry: this.#registry,
      logger: this.options.logger,
      decode: this.options,
      server: this,
      reportError: (error, context) => this.reportError(error, context),
      chainFor: (route) => this.#chainFor(route),
    });
    this.#limits = new ConnectionLimits(this.options);
    this.handshakeSteps.push(this.#limits.step);
    this.app.notFound((c) => c.json({ error: "Not Found" }, 404));
    this.handshakeSteps.push(...handshakePolicy(this.options, this.#handshakeMiddlewares));
    this.http = new HttpRoutes(this);
    if (this.options.registerSystemControllers) this.register(new SystemRoomController());
    if (this.options.asyncapi !== null) mountAsyncApi(this, this.options.asyncapi);
    const { broker, logger } = this.options;
    const view = { sessions: this.#sessions, rooms: this.#rooms, namespaces: this.#namespaces, data: this.#data };
    const reportError = (error: unknown, context: ErrorContext) => this.reportError(error, context);
    this.#cluster = broker && new Cluster({ broker, server: this, view, logger, reportError });
    this.#state = { ...view, cluster: this.#cluster };
    // after every client is gone (their disconnect cleanup still writes through), the node leaves the cluster
    if (this.#cluster) this.onShutdown(() => this.#cluster?.close());
  }

  /** @internal The registered event routes, read by src/asyncapi/source.ts. */
  get eventRoutes(): ReadonlyMap<string, Route> {
    return this.#registry.events;
  }

  /**
   * The AsyncAPI 3.0 document of this server's WebSocket API: every `@SocketOn` event with its schema, the
   * events of `createServer({ events })`, the system events, acks and error frames (see docs/asyncapi.md).
   * @example await Bun.write("asyncapi.json", JSON.stringify(server.asyncapi({ title: "Chat" })));
   */
  asyncapi(info?: AsyncApiInfo): AsyncApiDocument {
    return asyncapi(this, info);
  }

  /** The OpenAPI 3.1 document of this server's `@HttpRoute`s. @example server.openapi().paths */
  openapi(info?: AsyncApiInfo): OpenApiDocument {
    return openapi(this, info);
  }

  /** Resolves once the broker (if any) delivers other nodes' messages to this server. */
  async ready(): Promise<void> {
    await this.#cluster?.ready;
  }

  /**
   * Answers a plain HTTP request (not an upgrade) through {@link SockeonServer.app}.
   * @param peer the socket's peer, from the adapter; without it HTTP rate limits cannot key on the client
   */
  fetch = (request: Request, peer?: PeerInfo): Response | Promise<Response> =>
    this.app.fetch(request, peer ? { [PEER_KEY]: peer } : undefined);

  /**
   * Adds global HTTP middleware (Hono middleware) for every `@HttpRoute`, before each route's own.
   * @example server.useHttp(async (c, next) => { await next(); c.header("x-served-by", "sockeon-ts"); })
   */
  useHttp(...middlewares: MiddlewareHandler[]): this {
    this.http.use(...middlewares);
    return this;
  }

  /** Sockeon's name of {@link SockeonServer.useHttp}. */
  addHttpMiddleware(middleware: MiddlewareHandler): this {
    return this.useHttp(middleware);
  }

  /**
   * Registers controllers: instances, or classes constructed without arguments. Handlers of later controllers
   * replace earlier ones for the same event, as in Sockeon.
   * @throws TypeError when a handler shadows a SocketController member
   * @example server.register(new ChatController(), RoomController)
   */
  register(...controllers: Array<ControllerInstance | (new () => ControllerInstance)>): this {
    for (const entry of controllers) {
      const controller = typeof entry === "function" ? new (entry as new () => ControllerInstance)() : entry;
      if (typeof controller !== "object" || controller === null)
        throw new TypeError(`register: not a controller: ${describe(entry)}`);
      this.#registry.add(controller);
      this.http.add(controller);
      if (controller instanceof SocketController) attachServer(controller, this);
    }
    return this;
  }

  /**
   * Adds a global WebSocket middleware; it runs for every event (and for `connect`/`disconnect` handlers) in
   * insertion order, before each handler's own middlewares.
   * @example server.use(async (ctx, next) => { console.log(ctx.event); return next(); })
   */
  use(...middlewares: WebSocketMiddleware[]): this {
    for (const mw of middlewares) {
      if (typeof mw !== "function") throw new TypeError(`use: a middleware must be a function, got ${describe(mw)}`);
      this.#middlewares.push(mw);
    }
    this.#chains = new WeakMap();
    return this;
  }

  /** Sockeon's name of {@link SockeonServer.use}. */
  addWebSocketMiddleware(middleware: WebSocketMiddleware): this {
    return this.use(middleware);
  }

  /**
   * Adds handshake middleware: it runs for every upgrade request after the origin and auth-key checks, before a
   * client exists, and may reject it or attach data to the new client (see {@link HandshakeMiddleware}).
   * @example server.addHandshakeMiddleware((ctx) => ctx.url.searchParams.has("token"))
   */
  addHandshakeMiddleware(...middlewares: HandshakeMiddleware[]): this {
    for (const mw of middlewares) {
      if (typeof mw !== "function")
        throw new TypeError(`addHandshakeMiddleware: a middleware must be a function, got ${describe(mw)}`);
      this.#handshakeMiddlewares.push(mw);
    }
    return this;
  }

  #chainFor(route: Route): readonly WebSocketMiddleware[] {
    let chain = this.#chains.get(route);
    if (!chain) {
      chain = guardChain(route, composeChain(this.#middlewares, route.options as MiddlewareOptions), this.#guards);
      this.#chains.set(route, chain);
    }
    return chain;
  }

  /** Reports a caught failure to `onError`; never throws. */
  reportError(error: unknown, context: ErrorContext): void {
    try {
      this.options.onError(error, context);
    } catch (secondary) {
      console.error("sockeon-ts: onError threw", secondary, "while reporting", error);
    }
  }

  // ---- adapter side -------------------------------------------------------------------------------------

  /**
   * Decides an upgrade request. Returns a `Response` to send instead of upgrading, or a ticket for `open()`.
   * @param request the upgrade request
   * @param peer what the adapter knows of the peer (its address)
   */
  async handshake(request: Request, peer: PeerInfo = {}): Promise<Response | Ticket> {
    const ctx: HandshakeContext = {
      request,
      url: new URL(request.url),
      clientId: randomId(),
      ip: resolveClientIp(peer.remoteAddress, request.headers, this.options.isTrustedProxy),
      peer,
      data: Object.create(null),
    };
    if (this.#shutdown.closing) return reject(503, "Server shutting down");
    try {
      const rejected = (await runHandshake(this.handshakeSteps, ctx)) ?? this.#limits.admit(ctx.clientId, ctx.ip);
      if (rejected) return rejected;
    } catch (error) {
      this.reportError(error, { source: "handshake", clientId: ctx.clientId });
      return new Response("Internal Server Error", { status: 500 });
    }
    return { clientId: ctx.clientId, ip: ctx.ip, data: ctx.data };
  }

  /**
   * Starts a session for an upgraded socket: joins `/`, runs every `@OnConnect` handler.
   * @returns the session whose `message()` and `closed()` the adapter calls
   */
  open(connection: Connection, ticket: Ticket): Session {
    const session = new Session(this, connection, ticket.clientId, ticket.ip, this.options.maxBufferedAmount);
    this.#sessions.set(session.id, session);
    this.#limits.opened(session.id, session.ip);
    this.#shutdown.socketOpened(session);
    this.#namespaces.move(session.id, DEFAULT_NAMESPACE);
    for (const key of Object.keys(ticket.data)) this.setClientData(session.id, key, ticket.data[key]);
    this.options.logger.debug(`Client connected: ${session.id}`, { clientId: session.id, ip: session.ip });
    void this.#runLifecycle("connect", session.id);
    return session;
  }

  async #runLifecycle(kind: "connect" | "disconnect", clientId: string): Promise<void> {
    for (const route of this.#registry[kind]) {
      try {
        if (this.#middlewares.length === 0) {
          const result = route.handler.call(route.controller, clientId);
          if (result && typeof (result as PromiseLike<unknown>).then === "function") await result;
        } else {
          const ctx: MessageContext = { clientId, event: kind, data: {}, server: this };
          await runChain(this.#middlewares, ctx, () => route.handler.call(route.controller, clientId));
        }
      } catch (error) {
        this.reportError(error, { source: kind, clientId, event: kind });
      }
    }
  }

  /** @internal SessionHost: a frame arrived. */
  receive(session: Session, raw: string | ArrayBuffer | ArrayBufferView): void {
    this.#dispatcher.dispatch(session, raw);
  }

  /** @internal SessionHost: the socket is gone; run `@OnDisconnect`, then free rooms, namespace and data. */
  release(session: Session, code: number, reason: string): void {
    if (this.#sessions.get(session.id) !== session) return;
    this.#sessions.delete(session.id);
    this.#limits.closed(session.id);
    this.options.logger.debug(`Client disconnected: ${session.id}`, { clientId: session.id, code, reason });
    const cleanup = (): void => {
      this.#rooms.leaveAll(session.id);
      this.#namespaces.remove(session.id);
      if (this.#cluster && Object.keys(this.#data.all(session.id)).length > 0) this.#cluster.dataForget(session.id);
      this.#data.forget(session.id);
    };
    if (this.#registry.disconnect.length === 0) cleanup();
    else this.#shutdown.track(this.#runLifecycle("disconnect", session.id).finally(cleanup));
  }

  /** @internal SessionHost: the runtime reported the socket closed. */
  socketClosed(session: Session): void {
    this.#shutdown.socketClosed(session);
  }

  // ---- shutdown -------------------------------------------------------------------------------------------

  /**
   * Shuts down gracefully: refuses new upgrades (503) and stops the listeners, closes every client with 1001
   * "server shutting down" after flushing its queued frames, runs `@OnDisconnect` handlers, waits up to
   * `timeout` ms (default 10000) for sockets to close and handlers to finish, then runs the `onShutdown`
   * hooks (broker disconnect, listeners force-closed). Calling it again returns the same promise.
   * @example process.once("SIGTERM", () => server.close({ timeout: 5000 }).then(() => process.exit(0)));
   */
  close(options: CloseOptions = {}): Promise<void> {
    return this.#shutdown.run(this, options);
  }

  /**
   * Registers work for {@link SockeonServer.close}: phase `"closed"` (default) runs once every client is gone
   * (disconnect a broker, free a port); `"accepting"` runs first (stop a listener accepting new connections).
   * @example server.onShutdown(() => redis.quit())
   */
  onShutdown(hook: ShutdownHook, phase: ShutdownPhase = "closed"): this {
    this.#shutdown.add(hook, phase);
    return this;
  }

  /** @internal ShutdownHost: closes every session of this process. */
  closeAllSessions(code: number, reason: string): void {
    for (const session of [...this.#sessions.values()]) session.close(code, reason);
  }

  /** @internal SessionHost: batch this session's writes until the end of the turn. */
  scheduleFlush(session: Session): void {
    this.#flushQueue.schedule(session);
  }

  /** @internal SessionHost: a client is not reading fast enough; close it as a slow consumer. */
  overflow(session: Session, bufferedBytes: number): void {
    this.options.logger.warning(`Closing slow client ${session.id}: ${bufferedBytes} bytes unsent`, { clientId: session.id });
    session.close(1008, "Outbound buffer limit exceeded");
  }

  /** The session of a connected client, if it is connected to this process. */
  session(clientId: string): Session | undefined {
    return this.#sessions.get(clientId);
  }

  // ---- sends: synchronous, applied locally at once -------------------------------------------------------

  /** Sends an event to one client; a no-op when it is not connected. */
  emit(clientId: string, event: string, data: unknown): void {
    sendEvent(this.#state, clientId, event, data);
  }

  /** Sends a pre-encoded JSON text as one frame to one client. */
  sendRaw(clientId: string, json: string): void {
    if (typeof json !== "string") throw new TypeError(`sendRaw: expected a JSON string, got ${describe(json)}`);
    this.#sessions.get(clientId)?.send(json);
  }

  /**
   * Sends an event to every client (no namespace), to a namespace, or to a room of a namespace. A room without
   * a namespace means the room in `/`. The sender is included when it is a recipient.
   */
  broadcast(event: string, data: unknown, namespace?: string, room?: string): void {
    if (room !== undefined) this.broadcastToRoom(event, data, namespace ?? DEFAULT_NAMESPACE, room);
    else if (namespace !== undefined) this.broadcastToNamespace(event, data, namespace);
    else sendToAll(this.#state, event, data);
  }

  /** Sends an event to every member of a room (docs-page argument order; namespace defaults to `/`). */
  broadcastToRoomClients(event: string, data: unknown, room: string, namespace: string = DEFAULT_NAMESPACE): void {
    this.broadcastToRoom(event, data, namespace, room);
  }

  /** Sends an event to every member of a room (Sockeon v3 argument order). */
  broadcastToRoom(event: string, data: unknown, namespace: string, room: string): void {
    sendToRoom(this.#state, event, data, namespace, room);
  }

  /** Sends an event to every client of a namespace. */
  broadcastToNamespaceClients(event: string, data: unknown, namespace: string): void {
    this.broadcastToNamespace(event, data, namespace);
  }

  /** Sends an event to every client of a namespace (Sockeon v3 name). */
  broadcastToNamespace(event: string, data: unknown, namespace: string): void {
    sendToNamespace(this.#state, event, data, namespace);
  }

  /** Sends an event to each listed client. */
  broadcastTo(event: string, data: unknown, clientIds: readonly string[]): void {
    sendToClients(this.#state, event, data, clientIds);
  }

  /** Sends an event to every client except the listed ones. */
  broadcastExcept(event: string, data: unknown, exceptIds: readonly string[]): void {
    sendToAllExcept(this.#state, event, data, exceptIds);
  }

  /**
   * Sends an event to a target (rooms of a namespace, a namespace, or everyone, minus excluded ids), each
   * recipient once. The delivery behind {@link SockeonServer.to}'s builder.
   */
  broadcastToTarget(event: string, data: unknown, target: BroadcastTarget): void {
    sendToTarget(this.#state, event, data, target);
  }

  /**
   * A broadcast builder aimed at rooms (of `/` unless `.in()` names a namespace).
   * @example server.to("lobby").except(clientId).emit("chat.message", { text })
   */
  to<Events extends EventMap = EventMap>(...rooms: Array<string | readonly string[]>): BroadcastOperator<Events> {
    return new BroadcastOperator<Events>(this).to(...rooms);
  }

  /** A broadcast builder aimed at a namespace. @example server.in("/admin").emit("alert", {}) */
  in<Events extends EventMap = EventMap>(namespace: string): BroadcastOperator<Events> {
    return new BroadcastOperator<Events>(this).in(namespace);
  }

  /** A broadcast builder to everyone except these clients. @example server.except(id).emit("joined", { id }) */
  except<Events extends EventMap = EventMap>(...clientIds: Array<string | readonly string[]>): BroadcastOperator<Events> {
    return new BroadcastOperator<Events>(this).except(...clientIds);
  }

  /** Adds a client to a room of a namespace (default `/`). */
  joinRoom(clientId: string, room: string, namespace: string = DEFAULT_NAMESPACE): void {
    clientOps.joinRoom(this.#state, clientId, room, namespace);
  }

  /** Removes a client from a room of a namespace (default `/`); a no-op when it is not a member. */
  leaveRoom(clientId: string, room: string, namespace: string = DEFAULT_NAMESPACE): void {
    clientOps.leaveRoom(this.#state, clientId, room, namespace);
  }

  /** Removes a client from every room in every namespace. */
  leaveAllRooms(clientId: string): void {
    clientOps.leaveAllRooms(this.#state, clientId);
  }

  /** Moves a client to a namespace (default `/`), leaving its old namespace and all its rooms. */
  moveClientToNamespace(clientId: string, namespace: string = DEFAULT_NAMESPACE): void {
    clientOps.moveClientToNamespace(this.#state, clientId, namespace);
  }

  /** Sockeon v3 name of {@link SockeonServer.moveClientToNamespace}. */
  joinNamespace(clientId: string, namespace: string = DEFAULT_NAMESPACE): void {
    this.moveClientToNamespace(clientId, namespace);
  }

  /** Leaves the client's namespace and all its rooms; it returns to `/`. */
  leaveNamespace(clientId: string): void {
    this.moveClientToNamespace(clientId, DEFAULT_NAMESPACE);
  }

  /** Stores a value for a client (docs-page name). */
  setClientData(clientId: string, key: string, value: unknown): void {
    clientOps.setClientData(this.#state, clientId, key, value);
  }

  /** Sockeon v3 name of {@link SockeonServer.setClientData}. */
  putData(clientId: string, key: string, value: unknown): void {
    this.setClientData(clientId, key, value);
  }

  /** Removes one key of a client's data, or all of it. */
  forgetData(clientId: string, key?: string): void {
    clientOps.forgetData(this.#state, clientId, key);
  }

  /**
   * Closes a client's connection, flushing what is queued first. Its `@OnDisconnect` handlers run at once.
   * @param code 1000 (default), 1001, 1008, 1011, or an application code 3000-4999
   * @param reason at most 123 UTF-8 bytes
   */
  disconnect(clientId: string, code = 1000, reason = ""): void {
    clientOps.disconnect(this.#state, clientId, code, reason);
  }

  // ---- queries: asynchronous, because state may live on another node -------------------------------------

  /** One value of a client's data (`null` when unset), or all of it as a record when `key` is omitted. */
  async getClientData(clientId: string, key?: string): Promise<unknown> {
    return queries.getClientData(this.#state, clientId, key);
  }

  /** Sockeon v3 name of {@link SockeonServer.getClientData} with a key: one value, `null` when unset. */
  async data(clientId: string, key: string): Promise<unknown> {
    return this.getClientData(clientId, key);
  }

  /** Sockeon v3 name of {@link SockeonServer.getClientData} without a key: all data, `null` for an unknown client. */
  async allData(clientId: string): Promise<Record<string, unknown> | null> {
    return (await this.getClientData(clientId)) as Record<string, unknown> | null;
  }

  /** Whether a key is set in a client's data. */
  async hasData(clientId: string, key: string): Promise<boolean> {
    return queries.hasData(this.#state, clientId, key);
  }

  /** Every connected client as `{ id: id }`. */
  async getAllClients(): Promise<ClientMap> {
    return queries.getAllClients(this.#state);
  }

  /** Ids of every connected client. */
  async getClientIds(): Promise<string[]> {
    return queries.getClientIds(this.#state);
  }

  /** Number of connected clients. */
  async getClientCount(): Promise<number> {
    return queries.getClientCount(this.#state);
  }

  /** Whether a client is connected. */
  async isClientConnected(clientId: string): Promise<boolean> {
    return queries.isClientConnected(this.#state, clientId);
  }

  /** Sockeon v3 name of {@link SockeonServer.isClientConnected}. */
  async isConnected(clientId: string): Promise<boolean> {
    return this.isClientConnected(clientId);
  }

  /** `"ws"` for a connected WebSocket client, `null` otherwise. */
  async getClientType(clientId: string): Promise<"ws" | null> {
    return (await this.isClientConnected(clientId)) ? "ws" : null;
  }

  /** The client's address, or `null` when unknown. */
  async getClientIp(clientId: string): Promise<string | null> {
    return queries.getClientIp(this.#state, clientId);
  }

  /** The client's namespace, or `null` when it is not connected. */
  async getClientNamespace(clientId: string): Promise<string | null> {
    return queries.getClientNamespace(this.#state, clientId);
  }

  /** Members of a room (namespace default `/`) as `{ id: id }`. */
  async getClientsInRoom(room: string, namespace: string = DEFAULT_NAMESPACE): Promise<ClientMap> {
    return queries.getClientsInRoom(this.#state, room, namespace);
  }

  /** Members of a namespace (default `/`) as `{ id: id }`. */
  async getClientsInNamespace(namespace: string = DEFAULT_NAMESPACE): Promise<ClientMap> {
    return queries.getClientsInNamespace(this.#state, namespace);
  }

  /** Names of the non-empty rooms of a namespace (default `/`). */
  async getRooms(namespace: string = DEFAULT_NAMESPACE): Promise<string[]> {
    return queries.getRooms(this.#state, namespace);
  }

  /** Names of the rooms a client is in; only those of `namespace` when given. */
  async getClientRooms(clientId: string, namespace?: string): Promise<string[]> {
    return queries.getClientRooms(this.#state, clientId, namespace);
  }

  /** Whole seconds since the server was created. */
  getUptime(): number {
    return queries.uptimeSince(this.#startedAt);
  }

  /** Counts of clients, rooms and namespaces, and uptime. */
  async getServerStats(): Promise<{ clients: number; rooms: number; namespaces: number; uptime: number }> {
    return queries.getServerStats(this.#state, this.#startedAt);
  }
}

/**
 * Creates a server. Register controllers on it, then serve it with an adapter or `serve()`.
 * @example
 * ```ts
 * const server = createServer({ port: 6001 }).register(new ChatController());
 * await serve(server);
 * ```
 */
export function createServer(options: ServerOptions = {}): SockeonServer {
  return new SockeonServer(options);
}
