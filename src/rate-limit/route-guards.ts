import type { ErrorContext } from "../common/errors.ts";
import type { Logger } from "../common/logger.ts";
import { composeChain, type MiddlewareOptions, type WebSocketMiddleware } from "../engine/middleware.ts";
import type { Route } from "../engine/registry.ts";
import type { Instruments } from "../metrics/hooks.ts";
import type { AnySchema } from "../validation/schema.ts";
import { validationMiddleware } from "../validation/socket-validation.ts";
import { rateLimitOf } from "./decorator.ts";
import type { Limiter } from "./limiter.ts";
import { socketRateLimit } from "./socket-rate-limit.ts";

/** What the built-in guards need from the server. */
export interface GuardContext {
  readonly limiter: Limiter;
  readonly logger: Logger;
  report(error: unknown, context: ErrorContext): void;
  /** Counts refused messages when metrics are on. */
  readonly instruments?: Instruments | undefined;
}

/**
 * Wraps an event's middleware chain with the guards its options ask for: the rate limit first (Sockeon prepends
 * it to the global stack), the schema check last, right before the handler, so middlewares may still replace
 * the data it checks. A route with neither keeps its chain as is (an empty chain is the dispatcher's fast path).
 */
export function guardChain(route: Route, chain: WebSocketMiddleware[], ctx: GuardContext): WebSocketMiddleware[] {
  const rule = rateLimitOf(route.controller, route.method);
  const schema = route.options.schema as AnySchema | undefined;
  const out = ctx.limiter.applies(rule)
    ? [socketRateLimit(ctx.limiter, rule, ctx.logger, ctx.report, ctx.instruments), ...chain]
    : chain;
  if (schema !== undefined) out.push(validationMiddleware(schema, ctx.logger, ctx.instruments));
  return out;
}

/**
 * How frames that reach no handler (bad frames, unknown events) are counted when rate limits are on: a client
 * flooding them spends its message budget like any other frame. Undefined when rate limits are off.
 */
export function unroutedCounter(
  options: { readonly rateLimit?: { readonly enabled?: boolean } | null | undefined },
  limiter: Limiter,
  report: (error: unknown, context: ErrorContext) => void,
): ((session: { id: string; ip: string | null }, event: string) => void) | undefined {
  if (!options.rateLimit?.enabled) return undefined;
  return (session, event) =>
    void limiter.check("ws", session.id, session.ip, event, undefined).catch((error) => report(error, { source: "rate-limit" }));
}

/**
 * Each route's complete chain (global middleware, the route's own, its guards), built on first use and kept
 * until the global middleware changes.
 */
export class RouteChains {
  #cache = new WeakMap<Route, readonly WebSocketMiddleware[]>();
  readonly #globals: readonly WebSocketMiddleware[];
  readonly #guards: GuardContext;

  constructor(globals: readonly WebSocketMiddleware[], guards: GuardContext) {
    this.#globals = globals;
    this.#guards = guards;
  }

  /** The chain of `route`. */
  of(route: Route): readonly WebSocketMiddleware[] {
    let chain = this.#cache.get(route);
    if (!chain) {
      chain = guardChain(route, composeChain(this.#globals, route.options as MiddlewareOptions), this.#guards);
      this.#cache.set(route, chain);
    }
    return chain;
  }

  /** The global middleware changed: every chain is built again. */
  reset(): void {
    this.#cache = new WeakMap();
  }
}
