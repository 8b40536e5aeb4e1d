import type { Logger } from "../common/logger.ts";
import { REPLIED, type WebSocketMiddleware } from "../engine/middleware.ts";
import type { Instruments } from "../metrics/hooks.ts";
import { encodeError } from "../protocol/protocol.ts";
import { type AnySchema, VALIDATION_FAILED, validate } from "./schema.ts";

/**
 * The built-in middleware of `@SocketOn(event, { schema })`: it runs last, right before the handler. Valid data
 * (with the schema's transforms applied) goes to the handler; otherwise the client gets Sockeon's `error` frame
 * `{message: "Validation failed", errors, event, timestamp}` (plus the ack `id`) and the handler is skipped.
 */
export function validationMiddleware(schema: AnySchema, logger: Logger, instruments?: Instruments): WebSocketMiddleware {
  return async function validation(ctx, next) {
    const result = await validate(schema, ctx.data);
    if (result.ok) return next(result.value);
    instruments?.refused("validation");
    logger.warning(`Validation failed for event '${ctx.event}' from client ${ctx.clientId}`, {
      clientId: ctx.clientId,
      event: ctx.event,
      fields: Object.keys(result.errors),
    });
    const extra: Record<string, unknown> = { errors: result.errors, event: ctx.event };
    if (ctx.id !== undefined) extra.id = ctx.id;
    ctx.server.sendRaw(ctx.clientId, encodeError(VALIDATION_FAILED, extra));
    return REPLIED;
  };
}
