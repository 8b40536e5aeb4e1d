import type { Context, Hono, MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import type { ErrorContext } from "../common/errors.ts";
import { describe } from "../common/errors.ts";
import type { Logger } from "../common/logger.ts";
import type { ResolvedOptions } from "../options/options.ts";
import { rateLimitOf } from "../rate-limit/decorator.ts";
import { tooManyRequests } from "../rate-limit/http-rate-limit.ts";
import type { Limiter } from "../rate-limit/limiter.ts";
import { assignRequestIp, trustMatcher } from "./client-ip.ts";
import { healthDocument } from "./health.ts";
import { routeInput } from "./http-input.ts";
import { errorResponse, isResponse, toResponse } from "./respond.ts";
import { type HttpRouteMetadata, isPatternPath, readHttpRoutes, toHonoPath } from "./route-decorator.ts";

/** What the HTTP side needs from the server. */
export interface HttpHost {
  readonly app: Hono;
  readonly options: ResolvedOptions;
  readonly limiter: Limiter;
  reportError(error: unknown, context: ErrorContext): void;
  getClientCount(): Promise<number>;
  getUptime(): number;
}

// Hono marks a sub-app's handler wrapped for its error handler with the original under this key
const COMPOSED_HANDLER = "__COMPOSED_HANDLER";

/**
 * Runs Hono middleware in order around `final`, with Hono's own rules: a middleware continues with
 * `await next()`, or answers by returning a Response without calling it.
 */
async function runMiddleware(list: readonly MiddlewareHandler[], c: Context, final: () => Promise<Response>): Promise<void> {
  const dispatch = async (i: number): Promise<void> => {
    const mw = list[i];
    if (!mw) {
      c.res = await final();
      return;
    }
    let called = false;
    const res = await mw(c, async () => {
      if (called) throw new Error(`HTTP middleware ${mw.name || "(anonymous)"} called next() twice`);
      called = true;
      await dispatch(i + 1);
    });
    if (isResponse(res) && !c.finalized) c.res = res;
  };
  await dispatch(0);
}

/**
 * The server's HTTP side on its Hono app: CORS (hono/cors from Sockeon's options), the health check, and
 * `@HttpRoute` handlers with global and per-route middleware, rate limits, validation and Sockeon's
 * return-value mapping.
 */
export class HttpRoutes {
  readonly #host: HttpHost;
  readonly #globals: MiddlewareHandler[] = [];
  readonly #exact = new WeakSet<object>();
  /** The live handler per "METHOD path": a later registration replaces an earlier one, as in Sockeon. */
  readonly #current = new Map<string, object>();
  /** Every registered route with its controller, in order (later entries replace earlier ones for the same key). */
  readonly described: Array<{ readonly controller: object; readonly route: HttpRouteMetadata }> = [];
  readonly #trust: ReturnType<typeof trustMatcher>;
  readonly #logger: Logger;
  #warnedNoIp = false;

  constructor(host: HttpHost) {
    this.#host = host;
    this.#logger = host.options.logger;
    this.#trust = trustMatcher(host.options.trustProxy);
    const o = host.options.cors;
    const anyOrigin = o.allowedOrigins.includes("*");
    const allowed = (origin: string): boolean => origin !== "" && (anyOrigin || o.allowedOrigins.includes(origin));
    host.app.use(
      "*",
      cors({
        // Sockeon echoes an allowed origin (never `*`) and sends no CORS headers to others, without blocking
        origin: (origin) => (allowed(origin) ? origin : null),
        allowMethods: (origin) => (allowed(origin) ? o.allowedMethods.map((m) => m.toUpperCase()) : []),
        allowHeaders: [...o.allowedHeaders],
        credentials: o.allowCredentials,
        maxAge: o.maxAge,
      }),
    );
    const health = host.options.healthCheckPath;
    if (health !== null) {
      host.app.on(["GET"], health, async (c) => c.json(healthDocument(await host.getClientCount(), host.getUptime())));
      host.app.all(health, (c) => c.json({ error: "Method Not Allowed" }, 405));
    }
  }

  /**
   * Adds global HTTP middleware (Hono middleware), run for every `@HttpRoute` in insertion order before the
   * route's own, unless the route excludes it.
   */
  use(...middlewares: MiddlewareHandler[]): void {
    for (const mw of middlewares) {
      if (typeof mw !== "function") throw new TypeError(`useHttp: a middleware must be a function, got ${describe(mw)}`);
      this.#globals.push(mw);
    }
  }

  /** Registers every `@HttpRoute` of a controller on the app; returns how many. */
  add(controller: object): number {
    const routes = readHttpRoutes(controller);
    for (const route of routes) {
      const fn = (controller as Record<string | symbol, unknown>)[route.method];
      if (typeof fn !== "function")
        throw new TypeError(`${controller.constructor.name}.${String(route.method)} is not a method (got ${describe(fn)})`);
    }
    for (const route of routes) this.#register(controller, route);
    for (const route of routes) this.described.push({ controller, route });
    return routes.length;
  }

  #register(controller: object, route: HttpRouteMetadata): void {
    const host = this.#host;
    const honoPath = toHonoPath(route.path);
    const pattern = isPatternPath(honoPath);
    const name = `${route.httpMethod} ${route.path}`;
    const rule = rateLimitOf(controller, route.method);
    const fn = (controller as Record<string | symbol, (...args: unknown[]) => unknown>)[route.method] as (
      ...args: unknown[]
    ) => unknown;
    const excluded = route.options.excludeGlobalMiddlewares ?? [];
    const own = route.options.middlewares ?? [];
    const key = `${route.httpMethod} ${honoPath}`;
    const handler: MiddlewareHandler = async (c, next) => {
      // Hono keeps every registration; a replaced one passes the request on to its successor
      if (this.#current.get(key) !== handler) return next();
      if (pattern && this.#exactRouteFollows(c, route.httpMethod)) return next();
      const ip = assignRequestIp(c, this.#trust);
      if (host.limiter.applies(rule)) {
        const limited = await this.#limit(ip, name, rule);
        if (limited) return limited;
      }
      const chain = [
        ...(excluded.length === 0
          ? this.#globals
          : this.#globals.filter((mw) => !excluded.some((x) => x === mw || (typeof x === "string" && x === mw.name)))),
        ...own,
      ];
      try {
        await runMiddleware(chain, c, async () => {
          const input = await routeInput(c, route.options, name);
          if (isResponse(input)) {
            this.#logger.warning(`${input.status === 422 ? "Validation failed" : "Unreadable body"} for ${name}`, {
              route: name,
              ip,
            });
            return input;
          }
          return toResponse(c, await fn.call(controller, c, input));
        });
      } catch (error) {
        host.reportError(error, { source: "http", event: name });
        return errorResponse();
      }
      return c.res;
    };
    if (!pattern) this.#exact.add(handler);
    this.#current.set(key, handler);
    host.app.on(route.httpMethod, honoPath, handler);
  }

  /** Sockeon's precedence: a parameterised route yields to an exact route matching the same request. */
  #exactRouteFollows(c: Context, method: string): boolean {
    // `c.req.matchedRoutes`, not hono/route's helper: the helper reads a module-private symbol, which is undefined
    // on a request made by another hono copy (a user's app mounting ours with app.route())
    for (const r of c.req.matchedRoutes) {
      const h = r.handler as unknown as Record<string, unknown>;
      const original = (h[COMPOSED_HANDLER] ?? h) as object;
      if (r.method === method && this.#exact.has(original)) return true;
    }
    return false;
  }

  async #limit(ip: string | null, name: string, rule: ReturnType<typeof rateLimitOf>): Promise<Response | undefined> {
    if (ip === null) {
      // without a peer address there is nothing safe to key on; say so once instead of limiting everyone together
      if (!this.#warnedNoIp) this.#logger.warning("HTTP rate limit skipped: the adapter gave no client address", { route: name });
      this.#warnedNoIp = true;
      return undefined;
    }
    try {
      const limited = await this.#host.limiter.check("http", ip, ip, name, rule);
      if (!limited) return undefined;
      this.#logger.info(`HTTP rate limit exceeded for ${name} by ${ip}`, { ip, route: name, type: limited.scope });
      return tooManyRequests(limited);
    } catch (error) {
      this.#host.reportError(error, { source: "rate-limit", event: name });
      return undefined;
    }
  }
}
