import { assertName } from "../common/errors.ts";
import { encodeFrame } from "../protocol/protocol.ts";
import { DEFAULT_NAMESPACE } from "./namespaces.ts";
import { type BroadcastTarget, recordedToClients, recordedToTarget } from "./recorded-delivery.ts";
import type { EngineState } from "./state.ts";

// The outbound path behind the API's sends: synchronous, applied locally at once (each frame goes to its
// session's queue), then published to the cluster (when a broker is set) so other nodes deliver to their own
// clients. These run per message: one frame encoded per send, no per-recipient allocation.

export type { BroadcastTarget } from "./recorded-delivery.ts";

/** Sends an event to one client; a client of another node gets it through the cluster. */
export function sendEvent(state: EngineState, clientId: string, event: string, data: unknown): void {
  if (state.history) {
    recordedToClients(state, state.history, event, data, [clientId]);
    return;
  }
  const session = state.sessions.get(clientId);
  if (session) session.send(encodeFrame(event, data));
  else state.cluster?.publish({ kind: "to", event, data, clients: [clientId] });
}

/** Sends an event to each listed client (once each); those not on this node are published to the cluster. */
export function sendToClients(state: EngineState, event: string, data: unknown, clientIds: readonly string[]): void {
  if (state.history) {
    recordedToClients(state, state.history, event, data, clientIds);
    return;
  }
  const frame = encodeFrame(event, data);
  for (const id of new Set(clientIds)) state.sessions.get(id)?.send(frame);
  const remote = state.cluster && clientIds.filter((id) => !state.sessions.has(id));
  if (remote?.length) state.cluster?.publish({ kind: "to", event, data, clients: remote });
}

/** Sends an event to every client a target covers, each recipient once, then publishes it to the cluster. */
export function sendToTarget(state: EngineState, event: string, data: unknown, target: BroadcastTarget): void {
  const { rooms, namespace, except } = target;
  if (namespace !== undefined) assertName("namespace", namespace);
  for (const room of rooms) assertName("room", room);
  if (state.history) {
    recordedToTarget(state, state.history, event, data, target);
    return;
  }
  const frame = encodeFrame(event, data);
  const delivered = state.instruments?.broadcast(event, namespace, rooms);
  const skip = except.length > 0 ? new Set(except) : undefined;
  const sessions = state.sessions;
  if (rooms.length === 0 && namespace === undefined) {
    for (const [id, session] of sessions) if (skip === undefined || !skip.has(id)) session.send(frame);
  } else {
    let ids: Iterable<string> | undefined;
    if (rooms.length === 1) ids = state.rooms.members(rooms[0] as string, namespace ?? DEFAULT_NAMESPACE);
    else if (rooms.length > 1) ids = unionOfRooms(state, rooms, namespace ?? DEFAULT_NAMESPACE);
    else ids = state.namespaces.members(namespace as string);
    // the common case (no exclusions) keeps the per-recipient loop to a lookup and a send
    if (ids && skip === undefined) for (const id of ids) sessions.get(id)?.send(frame);
    else if (ids) for (const id of ids) if (!skip?.has(id)) sessions.get(id)?.send(frame);
  }
  delivered?.();
  if (!state.cluster) return;
  const envelope: { kind: "broadcast"; event: string; data: unknown; namespace?: string; rooms?: string[]; except?: string[] } = {
    kind: "broadcast",
    event,
    data,
  };
  if (namespace !== undefined) envelope.namespace = namespace;
  if (rooms.length > 0) envelope.rooms = [...rooms];
  if (except.length > 0) envelope.except = [...except];
  state.cluster.publish(envelope);
}

function unionOfRooms(state: EngineState, rooms: readonly string[], namespace: string): Set<string> {
  const ids = new Set<string>();
  for (const room of rooms) {
    const members = state.rooms.members(room, namespace);
    if (members) for (const id of members) ids.add(id);
  }
  return ids;
}
