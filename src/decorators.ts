import { describe } from "./errors.ts";
import { assertMiddlewareOptions, type MiddlewareOptions } from "./middleware.ts";
import { EVENT_NAME_PATTERN } from "./protocol.ts";

// bun and tsc output do not define Symbol.metadata; TC39 decorators then get no context.metadata
(Symbol as { metadata?: symbol }).metadata ??= Symbol.for("Symbol.metadata");

const HANDLERS: unique symbol = Symbol.for("sockeon-ts.handlers");

/** Options of `@SocketOn`: per-handler middleware, and what later features (schemas, rate limits) add. */
export interface SocketOnOptions extends MiddlewareOptions {
  [option: string]: unknown;
}

/** What a decorator records about one method. */
export interface HandlerMetadata {
  kind: "event" | "connect" | "disconnect";
  /** The event name, for `kind: "event"`. */
  event?: string;
  /** The decorated method's name. */
  method: string | symbol;
  options: SocketOnOptions;
}

/** A decorated event handler: `(clientId, data)`; its return value is the ack result. */
export type EventHandler<Data = any> = (clientId: string, data: Data) => unknown;
/** A decorated `@OnConnect`/`@OnDisconnect` handler. */
export type LifecycleHandler = (clientId: string) => unknown;

type Meta = Record<PropertyKey, unknown>;

function record(context: ClassMethodDecoratorContext, entry: HandlerMetadata): void {
  if (context.kind !== "method") throw new TypeError(`Sockeon decorators apply to methods, not to a ${context.kind}`);
  if (context.static) throw new TypeError(`Sockeon decorators apply to instance methods, not static ${String(context.name)}`);
  if (context.name === "constructor") {
    // only reachable through a computed key (Bun compiles it); the method would replace the class's constructor
    throw new TypeError(
      'Sockeon decorators cannot mark a method named "constructor": rename the method; the event name can stay',
    );
  }
  const meta = context.metadata as Meta | undefined;
  if (!meta) throw new TypeError("Decorator metadata is unavailable: compile with TC39 decorators (experimentalDecorators off)");
  // own list only: a subclass's metadata may inherit the parent's list through its prototype
  const list = Object.hasOwn(meta, HANDLERS)
    ? (meta[HANDLERS] as HandlerMetadata[])
    : ((meta[HANDLERS] = []) as HandlerMetadata[]);
  list.push(entry);
}

/**
 * Marks a method as the handler of a client event. One handler per event name; a later registration wins.
 * @param event the event name, `^[a-zA-Z0-9._-]+$`; names starting `sockeon.` are reserved
 * @param options per-handler options
 * @example
 * ```ts
 * class Chat extends SocketController {
 *   @SocketOn("chat.message") onMessage(clientId: string, data: { text: string }) { ... }
 * }
 * ```
 */
export function SocketOn<Data = any>(event: string, options: SocketOnOptions = {}) {
  if (typeof event !== "string" || !EVENT_NAME_PATTERN.test(event)) {
    throw new TypeError(`@SocketOn: invalid event name ${describe(event)} (only letters, digits, dots, underscores, hyphens)`);
  }
  if (event.startsWith("sockeon.")) {
    throw new TypeError(
      `@SocketOn: event name ${describe(event)} is reserved (names starting with "sockeon." belong to the framework)`,
    );
  }
  assertMiddlewareOptions(options, `@SocketOn(${describe(event)})`);
  return (_method: EventHandler<Data>, context: ClassMethodDecoratorContext): void => {
    record(context, { kind: "event", event, method: context.name, options });
  };
}

/**
 * Marks a method to run when a client connects, with `(clientId)`. Every `@OnConnect` of every controller runs,
 * in registration order.
 */
export function OnConnect(_method: LifecycleHandler, context: ClassMethodDecoratorContext): void {
  record(context, { kind: "connect", method: context.name, options: {} });
}

/** Marks a method to run when a client disconnects, with `(clientId)`. Its rooms and data are still readable. */
export function OnDisconnect(_method: LifecycleHandler, context: ClassMethodDecoratorContext): void {
  record(context, { kind: "disconnect", method: context.name, options: {} });
}

/**
 * Every handler declared on a class and its ancestors, base class first, so a subclass's registration of the
 * same event wins. Reads each class's own metadata because Deno does not chain a subclass's to its parent's.
 * @param ctor a controller class
 */
export function readHandlers(ctor: abstract new (...args: never[]) => unknown): HandlerMetadata[] {
  const chain: HandlerMetadata[][] = [];
  for (let c: unknown = ctor; typeof c === "function" && c !== Function.prototype; c = Object.getPrototypeOf(c)) {
    if (!Object.hasOwn(c, Symbol.metadata)) continue;
    const meta = (c as unknown as Record<symbol, Meta | null>)[Symbol.metadata];
    if (meta && Object.hasOwn(meta, HANDLERS)) chain.push(meta[HANDLERS] as HandlerMetadata[]);
  }
  return chain.reverse().flat();
}
