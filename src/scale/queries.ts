import type { ClientData } from "../engine/client-data.ts";
import type { Namespaces } from "../engine/namespaces.ts";
import type { Rooms } from "../engine/rooms.ts";

/** The state of one node that cluster queries read: the server's own maps, never copied. */
export interface LocalView {
  readonly sessions: ReadonlyMap<string, { readonly ip: string | null }>;
  readonly rooms: Rooms;
  readonly namespaces: Namespaces;
  readonly data: ClientData;
  /** This node's id in the cluster (for the per-node `node` query). */
  readonly nodeId?: string;
}

/** One node's row, as the `node` query answers it (the admin dashboard's per-node table). */
export interface NodeRow {
  node: string;
  clients: number;
  rooms: number;
  namespaces: number;
}

/** One cluster-wide query: how a node answers it from its own state, and how the answers combine. */
interface QuerySpec<T> {
  local(view: LocalView, args: readonly unknown[]): T;
  merge(answers: readonly unknown[]): T;
}

/** Node statistics as exchanged by the `stats` query. */
export interface NodeStats {
  clients: number;
  /** `namespace\u0000room` keys, so rooms of the same name in two namespaces stay two rooms. */
  rooms: string[];
  namespaces: string[];
}

const str = (value: unknown): string => (typeof value === "string" ? value : "");
const ids = (set: Iterable<string> | undefined): string[] => (set ? [...set] : []);
const union = (answers: readonly unknown[]): string[] => {
  const out = new Set<string>();
  for (const answer of answers) if (Array.isArray(answer)) for (const x of answer) if (typeof x === "string") out.add(x);
  return [...out];
};
const firstString = (answers: readonly unknown[]): string | null =>
  (answers.find((a) => typeof a === "string") as string | undefined) ?? null;

function roomKeys(view: LocalView): string[] {
  // a client may join a room of a namespace it is not in, so rooms are found through their members
  const out = new Set<string>();
  for (const id of view.sessions.keys())
    for (const { namespace, room } of view.rooms.roomsOf(id)) out.add(`${namespace}\u0000${room}`);
  return [...out];
}

/** Every query a node answers for the cluster, by name (the name travels in the envelope). */
export const QUERIES = {
  count: {
    local: (view) => view.sessions.size,
    merge: (answers) => answers.reduce<number>((sum, a) => sum + (typeof a === "number" ? a : 0), 0),
  } satisfies QuerySpec<number>,
  clients: { local: (view) => ids(view.sessions.keys()), merge: union } satisfies QuerySpec<string[]>,
  connected: {
    local: (view, [id]) => view.sessions.has(str(id)),
    merge: (answers) => answers.some((a) => a === true),
  } satisfies QuerySpec<boolean>,
  room: {
    local: (view, [room, ns]) => ids(view.rooms.members(str(room), str(ns))),
    merge: union,
  } satisfies QuerySpec<string[]>,
  namespace: { local: (view, [ns]) => ids(view.namespaces.members(str(ns))), merge: union } satisfies QuerySpec<string[]>,
  rooms: { local: (view, [ns]) => view.rooms.roomsIn(str(ns)), merge: union } satisfies QuerySpec<string[]>,
  clientRooms: {
    local: (view, [id, ns]) =>
      view.rooms
        .roomsOf(str(id))
        .filter((entry) => typeof ns !== "string" || entry.namespace === ns)
        .map((entry) => entry.room),
    merge: union,
  } satisfies QuerySpec<string[]>,
  clientNamespace: {
    local: (view, [id]) => view.namespaces.of(str(id)) ?? null,
    merge: firstString,
  } satisfies QuerySpec<string | null>,
  clientIp: { local: (view, [id]) => view.sessions.get(str(id))?.ip ?? null, merge: firstString } satisfies QuerySpec<
    string | null
  >,
  stats: {
    local: (view): NodeStats => ({ clients: view.sessions.size, rooms: roomKeys(view), namespaces: view.namespaces.names() }),
    merge: (answers): NodeStats => {
      const stats = answers.filter((a): a is NodeStats => typeof a === "object" && a !== null);
      return {
        clients: stats.reduce((sum, s) => sum + (typeof s.clients === "number" ? s.clients : 0), 0),
        rooms: union(stats.map((s) => s.rooms)),
        namespaces: union(stats.map((s) => s.namespaces)),
      };
    },
  } satisfies QuerySpec<NodeStats>,
  node: {
    local: (view): NodeRow => ({
      node: view.nodeId ?? "",
      clients: view.sessions.size,
      rooms: roomKeys(view).length,
      namespaces: view.namespaces.names().length,
    }),
    merge: (answers): NodeRow[] =>
      answers
        .filter((a): a is NodeRow => typeof a === "object" && a !== null && typeof (a as NodeRow).node === "string")
        .sort((a, b) => (a.node < b.node ? -1 : a.node > b.node ? 1 : 0)),
  } satisfies { local(view: LocalView): NodeRow; merge(answers: readonly unknown[]): NodeRow[] },
} as const;

/** Name of a cluster query. */
export type QueryName = keyof typeof QUERIES;

/** The answer type of a query. */
export type QueryResult<Q extends QueryName> = ReturnType<(typeof QUERIES)[Q]["merge"]>;

/** Whether a name from the wire is a known query. */
export function isQueryName(name: string): name is QueryName {
  return Object.hasOwn(QUERIES, name);
}
