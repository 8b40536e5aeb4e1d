/**
 * `sockeon-ts/client`: a typed Sockeon client for browsers, Bun, Deno and Node. Re-exports only.
 * @example
 * ```ts
 * import { createClient } from "sockeon-ts/client";
 * const client = createClient("ws://127.0.0.1:6001/");
 * client.on("chat.message", (m) => console.log(m));
 * ```
 */
export type { ReconnectOptions } from "./backoff.ts";
export { backoffDelay, RECONNECT_DEFAULTS } from "./backoff.ts";
export type { ClientStatus, StatusDetail } from "./client.ts";
export { createClient, SockeonClient } from "./client.ts";
export type { OverflowPolicy } from "./emit-queue.ts";
export { EmitQueue } from "./emit-queue.ts";
export type { ServerErrorData } from "./errors.ts";
export { ConnectionError, RequestTimeoutError, ServerError, SockeonClientError } from "./errors.ts";
export type {
  BuiltinEvents,
  EmitArgs,
  EmitData,
  EmitName,
  EventMap,
  InputOf,
  ListenData,
  ListenName,
  OutputOf,
  Payload,
  RequestArgs,
  RequestOptions,
  RequestResult,
  RequestSpec,
  RoomEvent,
  StandardSchemaLike,
  TypeMarker,
  UntypedEvents,
} from "./events.ts";
export { defineEvents, type } from "./events.ts";
export type { ClientOptions, HeartbeatOptions, QueueOptions, WebSocketConstructor, WebSocketLike } from "./options.ts";
export { resolveClientOptions } from "./options.ts";
export type { RoomRef } from "./room-book.ts";
