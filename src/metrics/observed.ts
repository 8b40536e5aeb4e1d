import type { Hono } from "hono";
import type { Logger } from "../common/logger.ts";
import type { ServerStats } from "../engine/queries.ts";
import type { EngineState } from "../engine/state.ts";
import type { ResolvedObservability } from "./options.ts";
import type { ServerMetrics } from "./server-metrics.ts";

/** The server methods the dashboard calls (cluster-wide where the server is). */
export interface AdminServer {
  getServerStats(): Promise<ServerStats>;
  disconnect(clientId: string, code?: number, reason?: string): void;
  broadcast(event: string, data: unknown): void;
  broadcastToNamespace(event: string, data: unknown, namespace: string): void;
}

/** What the observability routes read from a server. */
export interface ObservedServer {
  readonly app: Hono;
  readonly options: ResolvedObservability & { readonly logger: Logger };
  readonly state: EngineState;
  readonly metrics: ServerMetrics | undefined;
  /** True once a graceful shutdown started. */
  readonly closing: () => boolean;
  /** The user-facing server: the dashboard's queries and actions go through it (cluster-wide). */
  readonly api: AdminServer;
}
