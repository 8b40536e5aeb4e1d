import type { ErrorContext } from "../common/errors.ts";
import type { Logger } from "../common/logger.ts";
import type { WebSocketMiddleware } from "../engine/middleware.ts";
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
