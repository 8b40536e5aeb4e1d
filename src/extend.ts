/**
 * The `sockeon-ts/extend` entry point: what adapter, broker, store and middleware-library authors build on.
 * Application code needs only the main entry (`sockeon-ts`). Re-exports only.
 */

export type { EventHandler, HandlerMetadata, LifecycleHandler } from "./api/decorators.ts";
// connection-state recovery's lifecycle hook (the main entry is at its 50-name cap)
export { OnReconnect } from "./api/decorators.ts";
// the host contract, for adapters (see docs/architecture.md)
export { hostOf } from "./api/server.ts";
// the API documents (server.asyncapi(), server.openapi())
export type { AsyncApiDocument, AsyncApiInfo } from "./asyncapi/asyncapi.ts";
export type { OpenApiDocument } from "./asyncapi/openapi.ts";
export type { ConsoleLogger, ConsoleLoggerOptions, LogSink } from "./common/logger.ts";
export { LOG_LEVELS, toLogger } from "./common/logger.ts";
export type {
  Accepted,
  Connection,
  Host,
  HostOptions,
  IncomingData,
  ListenerHooks,
  PeerInfo,
  SocketHandle,
  Ticket,
  TlsOptions,
} from "./engine/connection.ts";
export { isUpgrade, runtimeFrameLimit } from "./engine/connection.ts";
export { REPLIED } from "./engine/middleware.ts";
// a custom store for cross-node connection-state recovery
export type { Heads, HistoryEntry, SessionRecord } from "./engine/positions.ts";
export type { RecoveryStore, RecoveryStoreHost } from "./engine/recovery-store.ts";
export { SHUTDOWN_CLOSE } from "./engine/shutdown.ts";
// handshake steps, middleware and logging building blocks
export type { HandshakeStep } from "./handshake/handshake.ts";
export { reject } from "./handshake/handshake.ts";
export { setPeer } from "./http/client-ip.ts";
export type { HttpHandler } from "./http/route-decorator.ts";
// observability: metrics and dashboard options, tracing hooks for a custom tracer
export type { Finish } from "./metrics/hooks.ts";
export type { AdminAuth, AdminOptions, MetricsOptions } from "./metrics/options.ts";
export type { BroadcastSpanInfo, HandlerSpanInfo, HandshakeSpanInfo, TracingHooks } from "./metrics/tracing.ts";
// a custom rate-limit store
export type { MemoryStoreOptions } from "./rate-limit/memory-store.ts";
export { MemoryStore } from "./rate-limit/memory-store.ts";
export type { RateLimitHit, RateLimitStore } from "./rate-limit/store.ts";
// a custom broker (scale-out transport) and shared client-data store
export type { Broker, BrokerHost, ClientDataStore } from "./scale/broker.ts";
export type { Envelope, EnvelopeBody } from "./scale/envelope.ts";
export { MemoryBroker, MemoryBus } from "./scale/memory-broker.ts";
export type { RuleOptions } from "./validation/rules.ts";
export type { AnySchema, ValidationErrors, ValidationResult } from "./validation/schema.ts";
export { VALIDATION_FAILED, validate } from "./validation/schema.ts";
