import type { Instruments } from "../metrics/hooks.ts";
import type { Cluster } from "../scale/cluster.ts";
import type { LocalView } from "../scale/queries.ts";
import type { ClientData } from "./client-data.ts";
import type { Namespaces } from "./namespaces.ts";
import type { HistoryEntry } from "./positions.ts";
import type { Rooms } from "./rooms.ts";
import type { Session } from "./session.ts";

/** What the send path and client operations use of cross-node recovery (src/engine/history.ts). */
export interface HistoryPort {
  readonly nodeId: string;
  /** The position of the send being made (see `History.position`). */
  position(entry: Omit<HistoryEntry, "seq" | "t">, cluster: Cluster | undefined): { origin: string; seq: number } | undefined;
  /** A session's rooms, namespace or data changed. */
  changed(id: string): void;
}

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
  /** Cross-node recovery (a recovery store with a broker), else undefined: the send path then stays as it was. */
  readonly history?: HistoryPort | undefined;
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

/** Removes a client from this node's rooms, namespaces and data (not from the shared store). */
export function forgetLocally(state: EngineState, clientId: string): void {
  state.rooms.leaveAll(clientId);
  state.namespaces.remove(clientId);
  state.data.forget(clientId);
}
