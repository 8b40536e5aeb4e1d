import type { BroadcastTarget } from "../api/broadcast-operator.ts";
import { assertName } from "../common/errors.ts";
import { encodeFrame } from "../protocol/protocol.ts";
import { DEFAULT_NAMESPACE } from "./namespaces.ts";
import type { ServerState } from "./server-state.ts";
import type { Session } from "./session.ts";

// The outbound path behind SockeonServer's sends: synchronous, applied locally at once, then published to
// the cluster (when a broker is set) so other nodes deliver to their own clients. These run per message:
// one frame encoded per send, no per-recipient allocation.

/** Runs `task` after the current event-loop turn's I/O, batching every send of the turn. */
const defer: (task: () => void) => void =
  typeof globalThis.setImmediate === "function"
    ? (task) => void globalThis.setImmediate(task)
    : (task) => void setTimeout(task, 0);

/** Batches sessions' writes until the end of the turn, then flushes each dirty session once per schedule. */
export class FlushQueue {
  #dirty: Session[] = [];
  #flushScheduled = false;

  /** Marks a session dirty; the first of a turn schedules the flush. */
  schedule(session: Session): void {
    this.#dirty.push(session);
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    defer(this.#flushAll);
  }

  readonly #flushAll = (): void => {
    this.#flushScheduled = false;
    const dirty = this.#dirty;
    this.#dirty = [];
    for (let i = 0; i < dirty.length; i++) (dirty[i] as Session).flush();
  };
}

function deliver(state: ServerState, ids: Iterable<string>, frame: string): void {
  for (const id of ids) state.sessions.get(id)?.send(frame);
}

/** Sends an event to one client; a no-op when it is not connected. */
export function sendEvent(state: ServerState, clientId: string, event: string, data: unknown): void {
  const session = state.sessions.get(clientId);
  if (session) session.send(encodeFrame(event, data));
  else state.cluster?.publish({ kind: "to", event, data, clients: [clientId] });
}

/** Sends an event to every client, of every namespace. */
export function sendToAll(state: ServerState, event: string, data: unknown): void {
  deliver(state, state.sessions.keys(), encodeFrame(event, data));
  state.cluster?.publish({ kind: "broadcast", event, data });
}

/** Sends an event to every member of a room of a namespace. */
export function sendToRoom(state: ServerState, event: string, data: unknown, namespace: string, room: string): void {
  assertName("namespace", namespace);
  assertName("room", room);
  const members = state.rooms.members(room, namespace);
  if (members) deliver(state, members, encodeFrame(event, data));
  state.cluster?.publish({ kind: "broadcast", event, data, namespace, rooms: [room] });
}

/** Sends an event to every client of a namespace. */
export function sendToNamespace(state: ServerState, event: string, data: unknown, namespace: string): void {
  assertName("namespace", namespace);
  const members = state.namespaces.members(namespace);
  if (members) deliver(state, members, encodeFrame(event, data));
  state.cluster?.publish({ kind: "broadcast", event, data, namespace });
}

/** Sends an event to each listed client; those not on this node are published to the cluster. */
export function sendToClients(state: ServerState, event: string, data: unknown, clientIds: readonly string[]): void {
  deliver(state, new Set(clientIds), encodeFrame(event, data));
  const remote = state.cluster && clientIds.filter((id) => !state.sessions.has(id));
  if (remote?.length) state.cluster?.publish({ kind: "to", event, data, clients: remote });
}

/** Sends an event to every client except the listed ones. */
export function sendToAllExcept(state: ServerState, event: string, data: unknown, exceptIds: readonly string[]): void {
  const except = new Set(exceptIds);
  const frame = encodeFrame(event, data);
  for (const [id, session] of state.sessions) if (!except.has(id)) session.send(frame);
  state.cluster?.publish({ kind: "broadcast", event, data, except: [...except] });
}

/** Sends an event to a target (rooms of a namespace, a namespace, or everyone, minus excluded ids), each recipient once. */
export function sendToTarget(state: ServerState, event: string, data: unknown, target: BroadcastTarget): void {
  const except = target.except.length > 0 ? new Set(target.except) : undefined;
  let ids: Iterable<string>;
  if (target.rooms.length > 0) {
    const namespace = target.namespace ?? DEFAULT_NAMESPACE;
    const members = target.rooms.map((room) => state.rooms.members(room, namespace));
    ids = members.length === 1 ? (members[0] ?? []) : new Set(members.flatMap((m) => (m ? [...m] : [])));
  } else if (target.namespace !== undefined) ids = state.namespaces.members(target.namespace) ?? [];
  else ids = state.sessions.keys();
  const frame = encodeFrame(event, data);
  for (const id of ids) if (!except?.has(id)) state.sessions.get(id)?.send(frame);
  state.cluster?.publish({
    kind: "broadcast",
    event,
    data,
    namespace: target.namespace,
    rooms: [...target.rooms],
    except: [...target.except],
  });
}
