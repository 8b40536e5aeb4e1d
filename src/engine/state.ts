import type { Instruments } from "../metrics/hooks.ts";
import type { Cluster } from "../scale/cluster.ts";
import type { LocalView } from "../scale/queries.ts";
import type { ClientData } from "./client-data.ts";
import type { Namespaces } from "./namespaces.ts";
import type { Rooms } from "./rooms.ts";
import type { Session } from "./session.ts";

/**
 * The state a server's sends and queries read: its sessions, rooms, namespaces and client data, and the
 * cluster when a broker is configured. One object per server, built once by the engine and shared with every
 * API object (server and controllers), so the send path allocates nothing.
 */
export interface EngineState extends LocalView {
  readonly sessions: ReadonlyMap<string, Session>;
  readonly rooms: Rooms;
  readonly namespaces: Namespaces;
  readonly data: ClientData;
  /** Present when a broker is configured: other nodes see what this one does (src/scale/cluster.ts). */
  readonly cluster: Cluster | undefined;
  /** `Date.now()` when the server was created. */
  readonly startedAt: number;
  /** The server object user code sees (a controller's `server`). */
  readonly owner: object;
  /** Bounds on what a client may hold: name length, rooms per client. */
  readonly limits: { readonly maxNameLength: number; readonly maxRoomsPerClient: number };
  /** Metrics and tracing hooks; undefined when both are off (src/metrics/). */
  readonly instruments: Instruments | undefined;
}

/** Whether the client is this node's: connected, or still running its disconnect handlers. */
export function isLocal(state: EngineState, clientId: string): boolean {
  return state.namespaces.of(clientId) !== undefined;
}
