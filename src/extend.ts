/**
 * The `sockeon-ts/extend` entry point: what adapter, broker and store authors build on. Application code needs
 * only the main entry (`sockeon-ts`). Re-exports only.
 */

// the adapter contract
export type { Connection, IncomingData, Listener, ListenOptions, PeerInfo } from "./engine/connection.ts";
export { SHUTDOWN_CLOSE } from "./engine/shutdown.ts";
// handshake steps and shutdown
export type { HandshakeStep } from "./handshake/handshake.ts";
// a custom rate-limit store
export type { MemoryStoreOptions } from "./rate-limit/memory-store.ts";
export { MemoryStore } from "./rate-limit/memory-store.ts";
export type { RateLimitHit, RateLimitStore } from "./rate-limit/store.ts";
// a custom broker (scale-out transport) and shared client-data store
export type { Broker, BrokerHost, ClientDataStore } from "./scale/broker.ts";
export type { Envelope, EnvelopeBody } from "./scale/envelope.ts";
export { MemoryBroker } from "./scale/memory-broker.ts";
