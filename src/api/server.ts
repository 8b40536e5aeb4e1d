import { Hono, type MiddlewareHandler } from "hono";
import { type AsyncApiDocument, type AsyncApiInfo, asyncapi } from "../asyncapi/asyncapi.ts";
import { mountAsyncApi } from "../asyncapi/http.ts";
import { type OpenApiDocument, openapi } from "../asyncapi/openapi.ts";
import type { DescribedServer } from "../asyncapi/source.ts";
import { describe } from "../common/errors.ts";
import type { Host, PeerInfo } from "../engine/connection.ts";
import { Engine } from "../engine/engine.ts";
import type { WebSocketMiddleware } from "../engine/middleware.ts";
import type { ControllerInstance } from "../engine/registry.ts";
import type { CloseOptions, ShutdownHook, ShutdownPhase } from "../engine/shutdown.ts";
import type { HandshakeMiddleware } from "../handshake/handshake-policy.ts";
import { PEER_KEY } from "../http/client-ip.ts";
import { HttpRoutes } from "../http/http-routes.ts";
import { mountObservability } from "../metrics/http.ts";
import { type ResolvedOptions, resolveOptions, type ServerOptions } from "../options/options.ts";
import { reservedNames, SockeonApi } from "./compat.ts";
import { bindApi, ServerApi } from "./server-api.ts";
import { SystemRoomController } from "./system-room-controller.ts";

let engineOf: (server: SockeonServer) => Engine;

/**
 * The adapter side of a server: the {@link Host} contract an adapter speaks (accept, open, listening). User code
 * never needs it; custom adapters get it from `sockeon-ts/extend`.
 * @example const host = hostOf(server); const accepted = await host.accept(request, { remoteAddress });
 */
export function hostOf(server: SockeonServer): Host {
  return engineOf(server);
}

/**
 * A sockeon-ts server: register controllers, add middleware, then serve it with an adapter or `serve()`. It is
 * the Sockeon API too (`server.emit(...)`, `await server.getClientCount()`), the same methods a controller has.
 */
export class SockeonServer extends SockeonApi {
  /** The options after defaults. */
  readonly options: ResolvedOptions;
  /** The Hono app serving this server's HTTP side; mount it in another Hono app with `app.route("/", server.app)`. */
  readonly app: Hono = new Hono();
  /** The HTTP side: `@HttpRoute` handlers, HTTP middleware, CORS and the health check on {@link SockeonServer.app}. */
  readonly http: HttpRoutes;
  readonly #engine: Engine;
  /** What the API documents read (src/asyncapi/): kept private, so no internals show on the server. */
  readonly #described: DescribedServer;

  static {
    engineOf = (server) => server.#engine;
  }

  constructor(options: ServerOptions = {}) {
    super();
    this.options = resolveOptions(options);
    const fetch = (request: Request, peer: PeerInfo) => this.fetch(request, peer);
    this.#engine = new Engine({ options: this.options, api: this, fetch, reserved: reservedNames });
    bindApi(this, this.#engine.state);
    this.app.notFound((c) => c.json({ error: "Not Found" }, 404));
    this.http = new HttpRoutes({
      app: this.app,
      options: this.options,
      limiter: this.#engine.limiter,
      reportError: (error, context) => this.#engine.reportError(error, context),
      getClientCount: () => this.getClientCount(),
      getUptime: () => this.getUptime(),
    });
    const engine = this.#engine;
    mountObservability({
      ...engine.observed,
      app: this.app,
      options: this.options,
      state: engine.state,
      closing: () => engine.closing,
      api: this,
    });
    if (this.options.registerSystemControllers) this.register(new SystemRoomController());
    this.#described = { options: this.options, app: this.app, eventRoutes: this.#engine.registry.events, http: this.http };
    if (this.options.asyncapi !== null) mountAsyncApi(this.#described, this.options.asyncapi);
  }

  /**
   * The AsyncAPI 3.0 document of this server's WebSocket API: every `@SocketOn` event with its schema, the
   * events of `createServer({ events })`, the system events, acks and error frames (see docs/asyncapi.md).
   * @example await Bun.write("asyncapi.json", JSON.stringify(server.asyncapi({ title: "Chat" })));
   */
  asyncapi(info?: AsyncApiInfo): AsyncApiDocument {
    return asyncapi(this.#described, info);
  }

  /** The OpenAPI 3.1 document of this server's `@HttpRoute`s. @example server.openapi().paths */
  openapi(info?: AsyncApiInfo): OpenApiDocument {
    return openapi(this.#described, info);
  }

  /** Resolves once the broker (if any) delivers other nodes' messages to this server. */
  async ready(): Promise<void> {
    await this.#engine.ready();
  }

  /**
   * Answers a plain HTTP request (not an upgrade) through {@link SockeonServer.app}.
   * @param peer the socket's peer, from the adapter; without it HTTP rate limits cannot key on the client
   */
  fetch(request: Request, peer?: PeerInfo): Response | Promise<Response> {
    return this.app.fetch(request, peer ? { [PEER_KEY]: peer } : undefined);
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
      this.#engine.addController(controller);
      this.http.add(controller);
      if (controller instanceof ServerApi) bindApi(controller, this.#engine.state);
    }
    return this;
  }

  /**
   * Adds a global WebSocket middleware; it runs for every event (and for `connect`/`disconnect` handlers) in
   * insertion order, before each handler's own middlewares.
   * @example server.use(async (ctx, next) => { console.log(ctx.event); return next(); })
   */
  use(...middlewares: WebSocketMiddleware[]): this {
    this.#engine.use(middlewares);
    return this;
  }

  /** Sockeon's name of {@link SockeonServer.use}. */
  addWebSocketMiddleware(middleware: WebSocketMiddleware): this {
    return this.use(middleware);
  }

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
   * Adds handshake middleware: it runs for every upgrade request after the origin and auth-key checks, before a
   * client exists, and may reject it or attach data to the new client (see {@link HandshakeMiddleware}).
   * @example server.addHandshakeMiddleware((ctx) => ctx.url.searchParams.has("token"))
   */
  addHandshakeMiddleware(...middlewares: HandshakeMiddleware[]): this {
    this.#engine.addHandshakeMiddleware(middlewares);
    return this;
  }

  /**
   * Shuts down gracefully: refuses new upgrades (503) and stops the listeners, closes every client with 1001
   * "server shutting down" after flushing its queued frames, runs `@OnDisconnect` handlers, waits up to
   * `timeout` ms (default 10000) for sockets to close and handlers to finish, then runs the `onShutdown`
   * hooks (broker disconnect, listeners force-closed). Calling it again returns the same promise.
   * @example process.once("SIGTERM", () => server.close({ timeout: 5000 }).then(() => process.exit(0)));
   */
  close(options: CloseOptions = {}): Promise<void> {
    return this.#engine.close(options);
  }

  /**
   * Registers work for {@link SockeonServer.close}: phase `"closed"` (default) runs once every client is gone
   * (disconnect a broker, free a port); `"accepting"` runs first (stop a listener accepting new connections).
   * @example server.onShutdown(() => redis.quit())
   */
  onShutdown(hook: ShutdownHook, phase: ShutdownPhase = "closed"): this {
    this.#engine.onShutdown(hook, phase);
    return this;
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
