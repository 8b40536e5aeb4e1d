import type { ErrorContext } from "../common/errors.ts";
import type { Logger } from "../common/logger.ts";
import { REPLIED, type WebSocketMiddleware } from "../engine/middleware.ts";
import type { Instruments } from "../metrics/hooks.ts";
import type { RateLimitRule } from "./decorator.ts";
import type { Limited, Limiter } from "./limiter.ts";

/** Sockeon's `rate_limit_exceeded` payload for a limited message. */
export function rateLimitFrame(event: string, limited: Limited, id?: number): string {
  const data: Record<string, unknown> = {
    error: "Rate limit exceeded",
    message:
      limited.scope === "rule"
        ? `You have exceeded the rate limit for event '${event}'. Please try again later.`
        : "You have exceeded the global WebSocket message rate limit. Please try again later.",
    original_event: event,
    retry_after: limited.window,
    limit: limited.limit,
    window: limited.window,
    type: limited.scope === "rule" ? "event-specific" : "global",
  };
  if (id !== undefined) data.id = id;
  return JSON.stringify({ event: "rate_limit_exceeded", data });
}

/**
 * The built-in first middleware of a rate-limited event: counts the message per client; over the limit the
 * client gets `rate_limit_exceeded` (with the ack id), the handler is skipped and the connection stays open.
 * A failing store lets the message pass and is reported.
 */
export function socketRateLimit(
  limiter: Limiter,
  rule: RateLimitRule | undefined,
  logger: Logger,
  report: (error: unknown, context: ErrorContext) => void,
  instruments?: Instruments,
): WebSocketMiddleware {
  return async function rateLimit(ctx, next) {
    let limited: Limited | undefined;
    try {
      limited = await limiter.check("ws", ctx.clientId, await ctx.server.getClientIp(ctx.clientId), ctx.event, rule);
    } catch (error) {
      report(error, { source: "rate-limit", clientId: ctx.clientId, event: ctx.event });
    }
    if (!limited) return next();
    instruments?.refused("rate_limit");
    logger.info(`Rate limit exceeded for event '${ctx.event}' by client ${ctx.clientId}`, {
      clientId: ctx.clientId,
      event: ctx.event,
      type: limited.scope,
      limit: limited.limit,
    });
    ctx.server.sendRaw(ctx.clientId, rateLimitFrame(ctx.event, limited, ctx.id));
    return REPLIED;
  };
}
