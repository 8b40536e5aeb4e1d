import { encodeFrame } from "../protocol/protocol.ts";
import type { BroadcastEnvelope } from "../scale/envelope.ts";
import { DEFAULT_NAMESPACE } from "./namespaces.ts";
import { stamp } from "./positions.ts";
import type { EngineState, HistoryPort as History } from "./state.ts";

/** Who a broadcast reaches: rooms of a namespace, a namespace, or everyone; minus excluded client ids. */
export interface BroadcastTarget {
  /** Rooms (of `namespace`, default `/`); empty for a whole namespace or everyone. */
  readonly rooms: readonly string[];
  /** A namespace; with no rooms and no namespace, every client of every namespace. */
  readonly namespace?: string;
  /** Client ids left out. */
  readonly except: readonly string[];
}

// The send path of cross-node recovery (a recovery store and a broker): as engine/delivery.ts, plus a position
// for each broadcast and emit, the entry appended to the shared history (never awaited), and the positioned
// frame for opted-in recipients: one extra string per send, shared by all of them. Non-opted-in clients get
// exactly the frame they would get without recovery.

/** Sends an event to each listed client (once each), kept in the history; others are published to the cluster. */
export function recordedToClients(
  state: EngineState,
  history: History,
  event: string,
  data: unknown,
  ids: readonly string[],
): void {
  const frame = encodeFrame(event, data);
  const clients = [...new Set(ids)];
  const sessions = state.sessions;
  const remote = clients.filter((id) => !sessions.has(id));
  // a client elsewhere may be suspended (or on a node that died): the emit is kept for its resume
  const kept = remote.length > 0 || clients.some((id) => sessions.get(id)?.log);
  const pos = kept ? history.position({ frame, clients }, state.cluster) : undefined;
  const stamped = pos && stamp(frame, pos.origin, pos.seq);
  for (const id of clients) {
    const session = sessions.get(id);
    session?.send(stamped && session.log ? stamped : frame);
  }
  if (remote.length > 0 && state.cluster) {
    const own = pos?.origin === history.nodeId ? { seq: pos.seq } : {};
    state.cluster.publish({ kind: "to", event, data, clients: remote, ...own });
  }
}

/** Sends an event to every client a target covers, each once, kept in the history; then publishes it. */
export function recordedToTarget(
  state: EngineState,
  history: History,
  event: string,
  data: unknown,
  target: BroadcastTarget,
): void {
  const { rooms, namespace, except } = target;
  const frame = encodeFrame(event, data);
  const entryNamespace = namespace ?? (rooms.length > 0 ? DEFAULT_NAMESPACE : undefined);
  const entry = { frame, rooms: rooms.length > 0 ? [...rooms] : undefined, except: except.length > 0 ? [...except] : undefined };
  const pos = history.position(entryNamespace === undefined ? entry : { ...entry, namespace: entryNamespace }, state.cluster);
  const stamped = pos && stamp(frame, pos.origin, pos.seq);
  const delivered = state.instruments?.broadcast(event, namespace, rooms);
  const skip = new Set(except);
  const sessions = state.sessions;
  let ids: Iterable<string>;
  if (rooms.length === 0 && namespace === undefined) ids = sessions.keys();
  else if (rooms.length === 0) ids = state.namespaces.members(namespace as string) ?? [];
  else {
    const union = new Set<string>();
    for (const room of rooms) for (const id of state.rooms.members(room, entryNamespace as string) ?? []) union.add(id);
    ids = union;
  }
  for (const id of ids) {
    if (skip.has(id)) continue;
    const session = sessions.get(id);
    session?.send(stamped && session.log ? stamped : frame);
  }
  delivered?.();
  if (!state.cluster) return;
  const envelope: BroadcastEnvelope = {
    kind: "broadcast",
    event,
    data,
  };
  if (namespace !== undefined) envelope.namespace = namespace;
  if (entry.rooms) envelope.rooms = entry.rooms;
  if (entry.except) envelope.except = entry.except;
  if (pos?.origin === history.nodeId) envelope.seq = pos.seq;
  state.cluster.publish(envelope);
}
