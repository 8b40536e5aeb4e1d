import { DEFAULT_NAMESPACE } from "./namespaces.ts";
import { type EngineState, isLocal } from "./state.ts";

// The bodies of SockeonServer's queries: asynchronous, because state may live on another node. With a
// broker set they ask the cluster (or, for a client of this node, answer locally); without, the local state.

/** A client id map, Sockeon v3's shape: `{ id: id }` with a null prototype, so `Object.keys()` gives the ids. */
export type ClientMap = Record<string, string>;

/** Server statistics, as `getServerStats` returns them. */
export interface ServerStats {
  clients: number;
  rooms: number;
  namespaces: number;
  uptime: number;
}

function idMap(ids: Iterable<string>): ClientMap {
  const out: ClientMap = Object.create(null);
  for (const id of ids) out[id] = id;
  return out;
}

/** One value of a client's data (`null` when unset), or all of it as a record when `key` is omitted. */
export async function getClientData(state: EngineState, clientId: string, key?: string): Promise<unknown> {
  if (state.cluster && !isLocal(state, clientId))
    return key === undefined ? state.cluster.remoteAllData(clientId) : state.cluster.remoteData(clientId, key);
  // a client is known until its release cleanup, so @OnDisconnect handlers can still read its data
  if (key === undefined) return state.namespaces.of(clientId) !== undefined ? state.data.all(clientId) : null;
  return state.data.get(clientId, key);
}

/** Whether a key is set in a client's data. */
export async function hasData(state: EngineState, clientId: string, key: string): Promise<boolean> {
  if (state.cluster && !isLocal(state, clientId)) return Object.hasOwn((await state.cluster.remoteAllData(clientId)) ?? {}, key);
  return state.data.has(clientId, key);
}

/** Every connected client as `{ id: id }`. */
export async function getAllClients(state: EngineState): Promise<ClientMap> {
  if (state.cluster) return idMap(await state.cluster.ask("clients", []));
  return idMap(state.sessions.keys());
}

/** Ids of every connected client. */
export async function getClientIds(state: EngineState): Promise<string[]> {
  if (state.cluster) return state.cluster.ask("clients", []);
  return [...state.sessions.keys()];
}

/** Number of connected clients. */
export async function getClientCount(state: EngineState): Promise<number> {
  if (state.cluster) return state.cluster.ask("count", []);
  return state.sessions.size;
}

/** Whether a client is connected. */
export async function isClientConnected(state: EngineState, clientId: string): Promise<boolean> {
  if (state.cluster && !isLocal(state, clientId)) return state.cluster.ask("connected", [clientId]);
  return state.sessions.has(clientId);
}

/** The client's address, or `null` when unknown. */
export async function getClientIp(state: EngineState, clientId: string): Promise<string | null> {
  if (state.cluster && !isLocal(state, clientId)) return state.cluster.ask("clientIp", [clientId]);
  return state.sessions.get(clientId)?.ip ?? null;
}

/** The client's namespace, or `null` when it is not connected. */
export async function getClientNamespace(state: EngineState, clientId: string): Promise<string | null> {
  if (state.cluster && !isLocal(state, clientId)) return state.cluster.ask("clientNamespace", [clientId]);
  return state.namespaces.of(clientId) ?? null;
}

/** Members of a room (namespace default `/`) as `{ id: id }`. */
export async function getClientsInRoom(
  state: EngineState,
  room: string,
  namespace: string = DEFAULT_NAMESPACE,
): Promise<ClientMap> {
  if (state.cluster) return idMap(await state.cluster.ask("room", [room, namespace]));
  return idMap(state.rooms.members(room, namespace) ?? []);
}

/** Members of a namespace (default `/`) as `{ id: id }`. */
export async function getClientsInNamespace(state: EngineState, namespace: string = DEFAULT_NAMESPACE): Promise<ClientMap> {
  if (state.cluster) return idMap(await state.cluster.ask("namespace", [namespace]));
  return idMap(state.namespaces.members(namespace) ?? []);
}

/** Names of the non-empty rooms of a namespace (default `/`). */
export async function getRooms(state: EngineState, namespace: string = DEFAULT_NAMESPACE): Promise<string[]> {
  if (state.cluster) return state.cluster.ask("rooms", [namespace]);
  return state.rooms.roomsIn(namespace);
}

/** Names of the rooms a client is in; only those of `namespace` when given. */
export async function getClientRooms(state: EngineState, clientId: string, namespace?: string): Promise<string[]> {
  if (state.cluster && !isLocal(state, clientId)) return state.cluster.ask("clientRooms", [clientId, namespace]);
  const names = new Set<string>();
  for (const entry of state.rooms.roomsOf(clientId))
    if (namespace === undefined || entry.namespace === namespace) names.add(entry.room);
  return [...names];
}

/** Whole seconds since `startedAt` (a `Date.now()` timestamp). */
export function uptimeSince(startedAt: number): number {
  return Math.floor((Date.now() - startedAt) / 1000);
}

/** Counts of clients, rooms and namespaces, and uptime. */
export async function getServerStats(state: EngineState): Promise<ServerStats> {
  if (state.cluster) {
    const stats = await state.cluster.ask("stats", []);
    return {
      clients: stats.clients,
      rooms: stats.rooms.length,
      namespaces: stats.namespaces.length,
      uptime: uptimeSince(state.startedAt),
    };
  }
  return {
    clients: state.sessions.size,
    rooms: state.rooms.size,
    namespaces: state.namespaces.names().length,
    uptime: uptimeSince(state.startedAt),
  };
}
