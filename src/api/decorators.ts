import { describe } from "../common/errors.ts";
import { assertMiddlewareOptions, type MiddlewareOptions } from "../engine/middleware.ts";
import { EVENT_NAME_PATTERN } from "../protocol/protocol.ts";
import { type AnySchema, assertSchema, type Output } from "../validation/schema.ts";

// bun and tsc output do not define Symbol.metadata; TC39 decorators then get no context.metadata
(Symbol as { metadata?: symbol }).metadata ??= Symbol.for("Symbol.metadata");

const HANDLERS: unique symbol = Symbol.for("sockeon-ts.handlers");

/** Options of `@SocketOn`: per-handler middleware, and what later features (schemas, rate limits) add. */
export interface SocketOnOptions extends MiddlewareOptions {
  /** A valibot schema the data must pass before the handler runs; the handler gets its output. */
  schema?: AnySchema;
  [option: string]: unknown;
}

/** What a decorator records about one method. */
export interface HandlerMetadata {
  kind: "event" | "connect" | "disconnect" | "reconnect";
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

/**
 * Appends an entry to a class's own metadata list under `key` (used by every sockeon-ts method decorator).
 * @throws TypeError when applied to something other than an instance method, or without TC39 metadata
 */
export function recordMetadata<T>(context: ClassMethodDecoratorContext, key: symbol, entry: T): void {
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
  const list = Object.hasOwn(meta, key) ? (meta[key] as T[]) : ((meta[key] = []) as T[]);
  list.push(entry);
}

function record(context: ClassMethodDecoratorContext, entry: HandlerMetadata): void {
  recordMetadata(context, HANDLERS, entry);
}

/**
 * Marks a method as the handler of a client event. One handler per event name; a later registration wins.
 * With `schema` (valibot), the data is validated before the handler runs (a failure answers the client with
 * `error` "Validation failed" and skips the handler), and the method's `data` parameter must accept the schema's
 * output type, or `tsc` fails.
 * @param event the event name, `^[a-zA-Z0-9._-]+$`; names starting `sockeon.` are reserved
 * @param options per-handler options
 * @example
 * ```ts
 * class Chat extends SocketController {
 *   @SocketOn("chat.message") onMessage(clientId: string, data: { text: string }) { ... }
 * }
 * ```
 */
export function SocketOn<S extends AnySchema>(
  event: string,
  options: SocketOnOptions & { schema: S },
): (method: EventHandler<Output<S>>, context: ClassMethodDecoratorContext) => void;
/**
 * Marks a method as the handler of a client event (without a schema; `data` is whatever the client sent).
 * @param event the event name
 * @param options per-handler options
 */
export function SocketOn<Data = any>(
  event: string,
  options?: SocketOnOptions,
): (method: EventHandler<Data>, context: ClassMethodDecoratorContext) => void;
export function SocketOn(event: string, options: SocketOnOptions = {}) {
  if (typeof event !== "string" || !EVENT_NAME_PATTERN.test(event)) {
    throw new TypeError(`@SocketOn: invalid event name ${describe(event)} (only letters, digits, dots, underscores, hyphens)`);
  }
  if (event.startsWith("sockeon.")) {
    throw new TypeError(
      `@SocketOn: event name ${describe(event)} is reserved (names starting with "sockeon." belong to the framework)`,
    );
  }
  assertMiddlewareOptions(options, `@SocketOn(${describe(event)})`);
  if (options.schema !== undefined) assertSchema(`@SocketOn(${JSON.stringify(event)}) schema`, options.schema);
  return (_method: EventHandler, context: ClassMethodDecoratorContext): void => {
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

/**
 * Marks a method to run, with `(clientId)`, when a client resumes its session after a network drop
 * (connection-state recovery): `@OnConnect` and `@OnDisconnect` do not run for the drop. Its rooms and data are back.
 */
export function OnReconnect(_method: LifecycleHandler, context: ClassMethodDecoratorContext): void {
  record(context, { kind: "reconnect", method: context.name, options: {} });
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
  return readMetadata<HandlerMetadata>(ctor, HANDLERS);
}

/**
 * Every entry recorded under `key` on a class and its ancestors, base class first.
 * @param ctor a controller class
 * @param key the metadata key the decorator used with {@link recordMetadata}
 */
export function readMetadata<T>(ctor: abstract new (...args: never[]) => unknown, key: symbol): T[] {
  const chain: T[][] = [];
  for (let c: unknown = ctor; typeof c === "function" && c !== Function.prototype; c = Object.getPrototypeOf(c)) {
    if (!Object.hasOwn(c, Symbol.metadata)) continue;
    const meta = (c as unknown as Record<symbol, Meta | null>)[Symbol.metadata];
    if (meta && Object.hasOwn(meta, key)) chain.push(meta[key] as T[]);
  }
  return chain.reverse().flat();
}
