/**
 * The shared event map: one object, imported by the server (for its schemas) and, type-only, by the client,
 * so `emit`, `request` and `on` are checked against what the server accepts and returns.
 */
import { EVENT_NAME_PATTERN } from "../src/protocol/protocol.ts";
import type { ServerError } from "./errors.ts";

/**
 * The Standard Schema v1 shape that valibot (and zod, arktype) schemas have; only its types are read here,
 * so the client never loads a schema library.
 */
export interface StandardSchemaLike<In = unknown, Out = In> {
  readonly "~standard": {
    readonly version: 1;
    readonly validate: (value: unknown) => unknown;
    readonly types?: { readonly input: In; readonly output: Out } | undefined;
  };
}

declare const TYPE: unique symbol;

/** A type without a schema: what {@link type} returns. Carries no data at run time. */
export interface TypeMarker<T> {
  readonly [TYPE]?: T;
}

/**
 * Stands for a payload type in an event map when there is no schema for it (e.g. a result or a server event).
 * @example defineEvents({ toClient: { "chat.message": type<{ text: string }>() } })
 */
export function type<T>(): TypeMarker<T> {
  return {} as TypeMarker<T>;
}

/** A payload in an event map: a valibot (Standard) schema, or a {@link type} marker. */
export type Payload = StandardSchemaLike<any, any> | TypeMarker<any>;

/** One client-to-server event: its data, and what a {@link SockeonClient.request} resolves with. */
export interface RequestSpec {
  /** The data schema (its input type is what the client sends). */
  data?: Payload;
  /** The result type, when there is no `handler` to infer it from. */
  result?: Payload;
  /** The server's handler (e.g. `ChatController.prototype.say`): its resolved return type is the result type. */
  handler?: (clientId: string, data: any) => unknown;
}

/** An event map: what the client may send (`toServer`) and what it may receive (`toClient`). */
export interface EventMap {
  toServer?: Record<string, RequestSpec>;
  toClient?: Record<string, Payload>;
}

/** The map an untyped client uses: any event name, any JSON object or array, results unknown. */
export interface UntypedEvents {
  toServer: Record<string, { "~untyped": true; result: TypeMarker<unknown> }>;
  toClient: Record<string, TypeMarker<any>>;
}

/** The input type of a payload (what is sent). */
export type InputOf<P> = P extends StandardSchemaLike<infer In, any> ? In : P extends TypeMarker<infer T> ? T : never;
/** The output type of a payload (what a handler or listener receives). */
export type OutputOf<P> = P extends StandardSchemaLike<any, infer Out> ? Out : P extends TypeMarker<infer T> ? T : never;

type ToServer<M extends EventMap> = M["toServer"] extends Record<string, RequestSpec> ? M["toServer"] : {};
type ToClient<M extends EventMap> = M["toClient"] extends Record<string, Payload> ? M["toClient"] : {};

/** Names the client may `emit` or `request`. */
export type EmitName<M extends EventMap> = keyof ToServer<M> & string;

type Spec<M extends EventMap, E extends EmitName<M>> = ToServer<M>[E];

/** The handler's `data` parameter as a one-element tuple, or `[]` when the handler takes none. */
type HandlerData<S> = S extends { handler: (...args: infer P) => unknown } ? (P extends [any, infer D, ...any[]] ? [D] : []) : [];

/** The data an event takes (`{}` when its spec names none). */
export type EmitData<M extends EventMap, E extends EmitName<M>> =
  Spec<M, E> extends { "~untyped": true }
    ? Record<string, unknown> | unknown[]
    : Spec<M, E> extends { data: infer D }
      ? InputOf<D>
      : HandlerData<Spec<M, E>> extends [infer D]
        ? D
        : Record<string, never>;

type DataOptional<S> = S extends { "~untyped": true }
  ? true
  : S extends { data: Payload }
    ? false
    : HandlerData<S> extends [unknown]
      ? false
      : true;

/** The arguments of `emit` after the event name: the data is optional only when the event takes none. */
export type EmitArgs<M extends EventMap, E extends EmitName<M>> =
  DataOptional<Spec<M, E>> extends true ? [data?: EmitData<M, E>] : [data: EmitData<M, E>];

/** Options of one `request()`. */
export interface RequestOptions {
  /** Milliseconds to wait for the answer (counted from the call, queueing included). Default: `requestTimeout`. */
  timeout?: number;
}

/** The arguments of `request` after the event name. */
export type RequestArgs<M extends EventMap, E extends EmitName<M>> =
  DataOptional<Spec<M, E>> extends true
    ? [data?: EmitData<M, E>, options?: RequestOptions]
    : [data: EmitData<M, E>, options?: RequestOptions];

/** What `request(event)` resolves with: the `result` type, else the handler's resolved return type. */
export type RequestResult<M extends EventMap, E extends EmitName<M>> = ToServer<M>[E] extends { result: infer R }
  ? OutputOf<R>
  : ToServer<M>[E] extends { handler: (...args: any[]) => infer R }
    ? Awaited<R> extends undefined | void
      ? null
      : Awaited<R>
    : unknown;

/** `room_joined` / `room_left` as the server sends them. */
export interface RoomEvent {
  room: string;
  namespace: string;
  timestamp: number;
}

/** Events every Sockeon server may send, typed on every client. */
export interface BuiltinEvents {
  room_joined: RoomEvent;
  room_left: RoomEvent;
  /** Server `error` frames that answer no request, as {@link ServerError}s. */
  error: ServerError;
}

/** Names `on`/`once`/`off` accept. */
export type ListenName<M extends EventMap> = (keyof ToClient<M> & string) | keyof BuiltinEvents;

/** What a listener of `event` receives. */
export type ListenData<M extends EventMap, E extends ListenName<M>> = E extends keyof BuiltinEvents
  ? BuiltinEvents[E]
  : E extends keyof ToClient<M>
    ? OutputOf<ToClient<M>[E]>
    : never;

function checkName(event: string, where: string): void {
  if (!EVENT_NAME_PATTERN.test(event)) {
    throw new TypeError(`defineEvents: invalid event name ${JSON.stringify(event)} in ${where} (letters, digits, . _ - only)`);
  }
  if (event.startsWith("sockeon.")) {
    throw new TypeError(`defineEvents: event name ${JSON.stringify(event)} in ${where} is reserved (the "sockeon." prefix)`);
  }
}

/**
 * Declares the events shared by a server and its clients. Checks the names at run time and returns the map
 * unchanged; its value is in its type: pass `typeof map` to `createClient<typeof map>()`.
 * @throws TypeError for an invalid or reserved event name
 * @example
 * ```ts
 * export const chatEvents = defineEvents({
 *   toServer: { "chat.say": { data: v.object({ room: v.string(), text: v.string() }), result: type<{ delivered: number }>() } },
 *   toClient: { "chat.message": type<{ room: string; text: string }>() },
 * });
 * ```
 */
export function defineEvents<const M extends EventMap>(map: M): M {
  if (typeof map !== "object" || map === null) throw new TypeError(`defineEvents: expected an object, got ${String(map)}`);
  for (const event of Object.keys(map.toServer ?? {})) checkName(event, "toServer");
  for (const event of Object.keys(map.toClient ?? {})) checkName(event, "toClient");
  return map;
}
