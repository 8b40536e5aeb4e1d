import type { SockeonApi } from "../api/compat.ts";
import { type ErrorContext, LimitError } from "../common/errors.ts";
import type { Logger } from "../common/logger.ts";
import { clip, ThrottledLog } from "../common/throttled-log.ts";
import type { Instruments } from "../metrics/hooks.ts";
import {
  type DecodedFrame,
  type DecodeOptions,
  decodeFrame,
  ERRORS,
  encodeError,
  encodeFrame,
  unixTime,
} from "../protocol/protocol.ts";
import type { IncomingData } from "./connection.ts";
import { type MessageContext, REPLIED, runChain, type WebSocketMiddleware } from "./middleware.ts";
import type { Registry, Route } from "./registry.ts";
import type { Session } from "./session.ts";

/** Events the framework answers itself; user handlers may not use the `sockeon.` prefix. */
export const PING_EVENT = "sockeon.ping";
/** The answer to {@link PING_EVENT}. */
export const PONG_EVENT = "sockeon.pong";

/** What the dispatcher needs from the server. */
export interface DispatchContext {
  readonly registry: Registry;
  readonly logger: Logger;
  readonly decode: DecodeOptions;
  /** The server object handlers and middleware see as `ctx.server`. */
  readonly api: SockeonApi;
  /** Global middleware, for the connect and disconnect handlers. */
  readonly middlewares: readonly WebSocketMiddleware[];
  reportError(error: unknown, context: ErrorContext): void;
  /** Metrics and tracing hooks; undefined when off. */
  readonly instruments: Instruments | undefined;
  /** The middleware chain of a route (empty for the fast path). */
  chainFor(route: Route): readonly WebSocketMiddleware[];
  /** Counts a frame that reached no handler (refused, unknown event) against the client's message rate limit. */
  countUnrouted?(session: Session, event: string): void;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === "object" && value !== null && typeof (value as { then?: unknown }).then === "function";
}

/**
 * Turns one client frame into a handler call: Sockeon's checks and error frames, the reserved ping, acks, and
 * exception reporting. Never throws; the connection stays open after every error (except oversize: 1009).
 */
export class Dispatcher {
  readonly #ctx: DispatchContext;
  /** Warnings a client triggers, at a bounded rate. */
  readonly #log: ThrottledLog;

  constructor(ctx: DispatchContext) {
    this.#ctx = ctx;
    this.#log = new ThrottledLog(ctx.logger);
  }

  /** Handles one raw frame from a session. */
  dispatch(session: Session, raw: IncomingData): void {
    const ctx = this.#ctx;
    const frame = decodeFrame(raw, ctx.decode);
    ctx.instruments?.received(raw, "error" in frame ? undefined : frame.event);
    if ("error" in frame) {
      ctx.countUnrouted?.(session, "(invalid)");
      this.#log.warning("rejected-frame", `Rejected frame from client ${session.id}: ${frame.error}`, { clientId: session.id });
      session.send(encodeError(frame.error, frame.id === undefined ? undefined : { id: frame.id }));
      if (frame.tooLarge) session.close(1009, "Message too big");
      return;
    }
    if (frame.event === PING_EVENT) {
      session.send(encodeFrame(PONG_EVENT, { timestamp: unixTime() }));
      if (frame.id !== undefined) this.#ack(session, frame.id, null);
      return;
    }
    const route = ctx.registry.events.get(frame.event);
    if (!route) {
      ctx.countUnrouted?.(session, frame.event);
      const event = clip(frame.event);
      this.#log.warning("unknown-event", `Unknown event '${event}' from client ${session.id}`, { clientId: session.id });
      this.#fail(session, `Event '${event}' does not exist`, frame.id);
      return;
    }
    this.#run(session, route, frame);
  }

  /**
   * Runs every `@OnConnect` or `@OnDisconnect` handler for a client, in registration order, through the global
   * middleware. Failures are reported, never thrown.
   */
  async lifecycle(kind: "connect" | "disconnect" | "reconnect", clientId: string): Promise<void> {
    const ctx = this.#ctx;
    for (const route of ctx.registry[kind]) {
      try {
        if (ctx.middlewares.length === 0) {
          const result = route.handler.call(route.controller, clientId);
          if (isThenable(result)) await result;
        } else {
          const context: MessageContext = { clientId, event: kind, data: {}, server: ctx.api };
          await runChain(ctx.middlewares, context, route.handler.bind(route.controller, clientId));
        }
      } catch (error) {
        ctx.reportError(error, { source: kind, clientId, event: kind });
      }
    }
  }

  #run(session: Session, route: Route, frame: DecodedFrame): void {
    const chain = this.#ctx.chainFor(route);
    const done = this.#ctx.instruments?.handler(route.event, session.id);
    let result: unknown;
    try {
      result =
        chain.length === 0
          ? route.handler.call(route.controller, session.id, frame.data)
          : this.#runChained(session, route, frame, chain);
    } catch (error) {
      done?.(error);
      this.#crashed(session, route, frame, error);
      return;
    }
    if (isThenable(result)) {
      result.then(
        (value) => {
          done?.();
          if (frame.id !== undefined && value !== REPLIED) this.#ack(session, frame.id, value);
        },
        (error) => {
          done?.(error);
          this.#crashed(session, route, frame, error);
        },
      );
    } else {
      done?.();
      if (frame.id !== undefined) this.#ack(session, frame.id, result);
    }
  }

  #runChained(session: Session, route: Route, frame: DecodedFrame, chain: readonly WebSocketMiddleware[]): Promise<unknown> {
    const ctx: MessageContext = { clientId: session.id, event: frame.event, data: frame.data, server: this.#ctx.api };
    if (frame.id !== undefined) (ctx as { id?: number }).id = frame.id;
    // a bound handler keeps this file out of the stack between the middleware and the handler
    return runChain(chain, ctx, route.handler.bind(route.controller, session.id));
  }

  #crashed(session: Session, route: Route, frame: DecodedFrame, error: unknown): void {
    this.#ctx.reportError(error, { source: "handler", clientId: session.id, event: route.event });
    // a per-client bound names itself to the client; anything else stays the generic text
    this.#fail(session, error instanceof LimitError ? error.message : ERRORS.internal, frame.id);
  }

  #fail(session: Session, message: string, id: number | undefined): void {
    session.send(encodeError(message, id === undefined ? undefined : { id }));
  }

  #ack(session: Session, id: number, result: unknown): void {
    let frame: string;
    try {
      frame = JSON.stringify({ event: "ack", data: { id, result: result === undefined ? null : result } });
    } catch (error) {
      this.#ctx.reportError(error, { source: "ack", clientId: session.id });
      this.#fail(session, ERRORS.internal, id);
      return;
    }
    session.send(frame);
  }
}
