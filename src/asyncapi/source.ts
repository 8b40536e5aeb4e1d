/**
 * Everything the API documents read from a server, gathered in one place: the only file of src/asyncapi/ that
 * knows the server's internals (its event routes, HTTP routes and resolved options).
 */
import type { Hono } from "hono";
import type { Route } from "../engine/registry.ts";
import type { HttpRouteMetadata } from "../http/route-decorator.ts";
import type { ResolvedOptions } from "../options/options.ts";
import { rateLimitOf } from "../rate-limit/decorator.ts";

/**
 * What the documents read from a server (a `SockeonServer` is one): structural, so src/asyncapi/ imports
 * nothing of src/api/ and the server can import the generators without a cycle.
 */
export interface DescribedServer {
  readonly options: ResolvedOptions;
  readonly app: Hono;
  /** The registered event routes (the engine registry's map). */
  readonly eventRoutes: ReadonlyMap<string, Route>;
  readonly http: { readonly described: ReadonlyArray<{ readonly controller: object; readonly route: HttpRouteMetadata }> };
}

/** One client-to-server event. */
export interface SourceEvent {
  readonly event: string;
  /** The `@SocketOn` schema, else the event map's `toServer[event].data`; undefined when neither is set. */
  readonly schema: unknown;
  /** The event map's declared `toServer[event].result`, if any. */
  readonly result: unknown;
  /** `Controller.method`, for the operation's description. */
  readonly handler: string;
  readonly rateLimited: boolean;
  /** A built-in event (`join_room`, `leave_room`) of the system controller. */
  readonly system: boolean;
}

/** One `@HttpRoute`. */
export interface SourceHttpRoute {
  readonly method: string;
  /** As written: `/users/{id}` or `/users/:id`. */
  readonly path: string;
  readonly handler: string;
  readonly body: unknown;
  readonly query: unknown;
  readonly params: unknown;
  readonly rateLimited: boolean;
}

/** What a server exposes, as the documents need it. The auth key's value is never read into it. */
export interface ApiSource {
  readonly events: readonly SourceEvent[];
  readonly toClient: ReadonlyArray<{ readonly event: string; readonly schema: unknown }>;
  readonly http: readonly SourceHttpRoute[];
  readonly host: string;
  readonly port: number;
  /** The WebSocket path; `/` unless the server has a `path` option. */
  readonly path: string;
  readonly authKey: boolean;
  readonly acks: boolean;
  readonly allowedOrigins: readonly string[];
  /** Global rate limits on (then every event may answer `rate_limit_exceeded`). */
  readonly rateLimit: boolean;
  readonly maxMessageSize: number;
  readonly healthCheckPath: string | null;
  /** A per-address connection cap is set (refusals 429). */
  readonly perIpCap: boolean;
  /** Where the documents are served, or null. */
  readonly asyncapiPath: string | null;
}

const nameOf = (controller: object, method: string | symbol): string =>
  `${controller.constructor?.name || "(anonymous)"}.${String(method)}`;

/**
 * Reads a server's routes and options for the documents.
 * @example const source = readSource(server); source.events.map((e) => e.event)
 */
export function readSource(server: DescribedServer): ApiSource {
  const o = server.options;
  const declared = o.events?.toServer ?? {};
  const events: SourceEvent[] = [];
  for (const route of server.eventRoutes.values()) {
    const spec = Object.hasOwn(declared, route.event) ? declared[route.event] : undefined;
    events.push({
      event: route.event,
      schema: route.options.schema ?? spec?.data,
      result: spec?.result,
      handler: nameOf(route.controller, route.method),
      rateLimited: rateLimitOf(route.controller, route.method) !== undefined,
      system: route.controller.constructor?.name === "SystemRoomController",
    });
  }
  const toClient = Object.entries(o.events?.toClient ?? {}).map(([event, schema]) => ({ event, schema }));
  // a later registration of the same method and path replaces the earlier one, as on the server
  const http = new Map<string, SourceHttpRoute>();
  for (const { controller, route } of server.http.described) {
    http.set(`${route.httpMethod} ${route.path.replace(/\{(\w+)\}/g, ":$1")}`, {
      method: route.httpMethod,
      path: route.path,
      handler: nameOf(controller, route.method),
      body: route.options.body,
      query: route.options.query,
      params: route.options.params,
      rateLimited: rateLimitOf(controller, route.method) !== undefined,
    });
  }
  const path = (o as { path?: unknown }).path;
  return {
    events,
    toClient,
    http: [...http.values()],
    host: o.host,
    port: o.port,
    path: typeof path === "string" && path.startsWith("/") ? path : "/",
    authKey: o.authKey !== null,
    acks: o.acks,
    allowedOrigins: o.cors.allowedOrigins,
    rateLimit: o.rateLimit?.enabled === true,
    maxMessageSize: o.maxMessageSize,
    healthCheckPath: o.healthCheckPath,
    perIpCap: o.maxConnectionsPerIp !== null,
    asyncapiPath: o.asyncapi,
  };
}
