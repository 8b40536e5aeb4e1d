import type { SockeonApi } from "../api/compat.ts";
import { describe } from "../common/errors.ts";

/** What a WebSocket middleware sees of one event; it may replace `data` before calling `next()`. */
export interface MessageContext {
  readonly clientId: string;
  /** The event name; `connect`/`disconnect` for lifecycle handlers. */
  readonly event: string;
  /** The payload the handler will receive; assign to replace it. */
  data: unknown;
  /** The ack id of the frame, when the client sent one. */
  readonly id?: number;
  readonly server: SockeonApi;
}

/**
 * A WebSocket middleware, Sockeon's `WebsocketMiddleware::handle` in Koa style: call `next()` to continue
 * (optionally with replacement data), return without calling it to stop the chain (the handler is skipped and
 * an ack, if any, carries `result: null`). Sync or async.
 * @example
 * ```ts
 * const requireUser: WebSocketMiddleware = async (ctx, next) => {
 *   if (await ctx.server.getClientData(ctx.clientId, "userId")) return next();
 *   ctx.server.emit(ctx.clientId, "error", { message: "Login first" });
 * };
 * ```
 */
export type WebSocketMiddleware = (ctx: MessageContext, next: (data?: unknown) => Promise<unknown>) => unknown;

/**
 * What a middleware returns instead of calling `next()` when it already answered the client itself (an `error`
 * or `rate_limit_exceeded` frame carrying the ack id): the dispatcher then sends no ack, so each id gets exactly
 * one reply.
 */
export const REPLIED: unique symbol = Symbol.for("sockeon-ts.replied");

/** Per-handler middleware options of `@SocketOn` (and of `@OnConnect`/`@OnDisconnect` via the global stack). */
export interface MiddlewareOptions {
  /** Run after the global middlewares, in order. */
  middlewares?: WebSocketMiddleware[];
  /** Global middlewares to skip for this handler, by reference or by function name. */
  excludeGlobalMiddlewares?: Array<WebSocketMiddleware | string>;
}

/**
 * Checks per-handler middleware options when a handler is declared, so a typo fails at start-up, not per message.
 * @param where the handler, for the message (e.g. `@SocketOn("chat.send")`)
 * @throws TypeError naming the offending value
 */
export function assertMiddlewareOptions(options: MiddlewareOptions, where: string): void {
  const { middlewares, excludeGlobalMiddlewares } = options;
  if (middlewares !== undefined && (!Array.isArray(middlewares) || middlewares.some((m) => typeof m !== "function")))
    throw new TypeError(`${where}: middlewares must be an array of functions, got ${describe(middlewares)}`);
  if (
    excludeGlobalMiddlewares !== undefined &&
    (!Array.isArray(excludeGlobalMiddlewares) ||
      excludeGlobalMiddlewares.some((m) => typeof m !== "function" && typeof m !== "string"))
  )
    throw new TypeError(
      `${where}: excludeGlobalMiddlewares must be an array of middlewares or names, got ${describe(excludeGlobalMiddlewares)}`,
    );
}

/**
 * The middleware chain for one handler: global middlewares in insertion order minus the excluded ones, then the
 * handler's own (Sockeon's order).
 */
export function composeChain(globals: readonly WebSocketMiddleware[], options: MiddlewareOptions): WebSocketMiddleware[] {
  const excluded = options.excludeGlobalMiddlewares ?? [];
  const kept =
    excluded.length === 0
      ? [...globals]
      : globals.filter((mw) => !excluded.some((x) => x === mw || (typeof x === "string" && x === mw.name)));
  return [...kept, ...(options.middlewares ?? [])];
}

/**
 * Runs a chain then the handler. Resolves with the handler's result, or `undefined` when a middleware stopped
 * the chain ({@link REPLIED} when that middleware answered the client itself). Calling `next()` twice in one middleware is an error.
 */
export async function runChain(
  chain: readonly WebSocketMiddleware[],
  ctx: MessageContext,
  handler: (data: unknown) => unknown,
): Promise<unknown> {
  let reached = false;
  let result: unknown;
  const step = async (index: number): Promise<unknown> => {
    if (index === chain.length) {
      reached = true;
      result = await handler(ctx.data);
      return result;
    }
    const middleware = chain[index] as WebSocketMiddleware;
    let called = false;
    return await middleware(ctx, (data?: unknown) => {
      if (called) return Promise.reject(new Error(`middleware ${middleware.name || "(anonymous)"} called next() twice`));
      called = true;
      if (data !== undefined) ctx.data = data;
      return step(index + 1);
    });
  };
  const stopped = await step(0);
  // what a stopping middleware returns is not the handler's result: the ack then carries null, unless the
  // middleware already answered the client itself (validation, rate limits)
  return reached ? result : stopped === REPLIED ? REPLIED : undefined;
}

/**
 * Appends middleware functions to a list. @throws TypeError naming `where` when one is not a function
 */
export function appendFunctions<T>(where: string, list: T[], items: readonly T[]): void {
  for (const mw of items) {
    if (typeof mw !== "function") throw new TypeError(`${where}: a middleware must be a function, got ${describe(mw)}`);
    list.push(mw);
  }
}
