import type { Cluster } from "../scale/cluster.ts";
import type { LocalView } from "../scale/queries.ts";
import type { ClientData } from "./client-data.ts";
import type { Namespaces } from "./namespaces.ts";
import type { Rooms } from "./rooms.ts";
import type { Session } from "./session.ts";

/**
 * The state a server's sends and queries read: its sessions, rooms, namespaces and client data, and the
 * cluster when a broker is configured. One object per server, built once, so the send path allocates nothing.
 */
export interface ServerState extends LocalView {
  readonly sessions: ReadonlyMap<string, Session>;
  readonly rooms: Rooms;
  readonly namespaces: Namespaces;
  readonly data: ClientData;
  /** Present when a broker is configured: other nodes see what this one does (src/scale/cluster.ts). */
  readonly cluster: Cluster | undefined;
}

/** Whether the client is this node's: connected, or still running its disconnect handlers. */
export function isLocal(state: ServerState, clientId: string): boolean {
  return state.namespaces.of(clientId) !== undefined;
}
