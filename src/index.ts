/**
 * The `sockeon-ts` entry point: what an application writes code with. Adapter, broker and store authors find
 * the contracts they implement in `sockeon-ts/extend`. Re-exports only.
 */

// sending: the broadcast builder, and what queries return
export type { BroadcastOperator, EventMap } from "./api/broadcast-operator.ts";
// the server and its controllers
export type { SockeonApi } from "./api/compat.ts";
export { SocketController } from "./api/controller.ts";
export type { SocketOnOptions } from "./api/decorators.ts";
export { OnConnect, OnDisconnect, SocketOn } from "./api/decorators.ts";
export { createServer, SockeonServer } from "./api/server.ts";
export type { ErrorContext } from "./common/errors.ts";
export { ConfigError, LimitError } from "./common/errors.ts";
export type { TrustProxy } from "./common/ip.ts";
// logging and errors
export type { LogContext, Logger, LoggerLike, LogLevel } from "./common/logger.ts";
export { createConsoleLogger } from "./common/logger.ts";
export type { Listener, ListenOptions } from "./engine/connection.ts";
export type { BroadcastTarget } from "./engine/delivery.ts";

// middleware and the handshake policy
export type { MessageContext, MiddlewareOptions, WebSocketMiddleware } from "./engine/middleware.ts";
export { DEFAULT_NAMESPACE } from "./engine/namespaces.ts";
export type { ClientMap, ServerStats } from "./engine/queries.ts";
export type { CloseOptions, ShutdownHook, ShutdownPhase } from "./engine/shutdown.ts";
export type { HandshakeContext } from "./handshake/handshake.ts";
export type { HandshakeMiddleware, HandshakeRejection, HandshakeVerdict } from "./handshake/handshake-policy.ts";
// HTTP routes, validation and rate limits
export { requestIp } from "./http/client-ip.ts";
export type { HttpInput, HttpRouteOptions } from "./http/route-decorator.ts";
export { HttpRoute } from "./http/route-decorator.ts";
export type { RateLimitOptions } from "./options/http-options.ts";
export type { ServerOptions } from "./options/options.ts";
export type { CorsOptions } from "./options/realtime-options.ts";
export { ERRORS } from "./protocol/protocol.ts";
export type { RateLimitRuleOptions } from "./rate-limit/decorator.ts";
export { RateLimit } from "./rate-limit/decorator.ts";
export type { RuleSpec } from "./validation/rules.ts";
export { rule, rules } from "./validation/rules.ts";
export { Sanitizer } from "./validation/sanitizer.ts";
export type { Output } from "./validation/schema.ts";
