import { assertName, describe, LimitError } from "../common/errors.ts";
import { assertCloseFrame } from "../protocol/close-frame.ts";
import { nameProblem } from "../protocol/names.ts";
import { DEFAULT_NAMESPACE } from "./namespaces.ts";
import { type EngineState, isLocal } from "./state.ts";

// The bodies of SockeonServer's client operations: synchronous, applied at once to a client of this node;
// for a client this node does not have, published to the cluster (when a broker is set) as an "op" envelope
// so the node that has it applies it there.

/** Checks a name against `maxNameLength` and printability. @throws LimitError naming the bound */
function checkName(state: EngineState, kind: "room" | "namespace", name: string): void {
  const problem = nameProblem(kind, name, state.limits.maxNameLength);
  if (problem) throw new LimitError("maxNameLength", problem);
}

/**
 * Adds a client to a room of a namespace (default `/`).
 * @throws LimitError for a name over `maxNameLength` or unprintable, or a client already in `maxRoomsPerClient` rooms
 */
export function joinRoom(state: EngineState, clientId: string, room: string, namespace: string = DEFAULT_NAMESPACE): void {
  assertName("room", room);
  assertName("namespace", namespace);
  checkName(state, "room", room);
  checkName(state, "namespace", namespace);
  if (state.sessions.has(clientId)) {
    const max = state.limits.maxRoomsPerClient;
    if (state.rooms.countOf(clientId) >= max && !state.rooms.has(clientId, room, namespace))
      throw new LimitError("maxRoomsPerClient", `Room limit reached: at most ${max} rooms per client (maxRoomsPerClient)`);
    // the node's subscription to a room it just opened may be on its way (Redis Cluster): the client's frames
    // (its ack first) wait for it, so whatever the client does next finds this node listening
    if (state.rooms.join(clientId, room, namespace) && state.cluster) {
      const subscribed = state.cluster.whenRoomSubscribed(namespace, room);
      if (subscribed) state.sessions.get(clientId)?.hold(subscribed);
    }
    state.history?.changed(clientId);
  } else state.cluster?.publish({ kind: "op", op: "join", client: clientId, args: [room, namespace] });
}

/** Removes a client from a room of a namespace (default `/`); a no-op when it is not a member. */
export function leaveRoom(state: EngineState, clientId: string, room: string, namespace: string = DEFAULT_NAMESPACE): void {
  assertName("room", room);
  assertName("namespace", namespace);
  checkName(state, "room", room);
  checkName(state, "namespace", namespace);
  if (state.rooms.leave(clientId, room, namespace)) state.history?.changed(clientId);
  else if (!isLocal(state, clientId))
    state.cluster?.publish({ kind: "op", op: "leave", client: clientId, args: [room, namespace] });
}

/** Removes a client from every room in every namespace. */
export function leaveAllRooms(state: EngineState, clientId: string): void {
  if (state.rooms.leaveAll(clientId) > 0) state.history?.changed(clientId);
  else if (!isLocal(state, clientId)) state.cluster?.publish({ kind: "op", op: "leaveAll", client: clientId, args: [] });
}

/** Moves a client to a namespace (default `/`), leaving its old namespace and all its rooms. */
export function moveClientToNamespace(state: EngineState, clientId: string, namespace: string = DEFAULT_NAMESPACE): void {
  assertName("namespace", namespace);
  checkName(state, "namespace", namespace);
  if (!state.sessions.has(clientId)) {
    state.cluster?.publish({ kind: "op", op: "move", client: clientId, args: [namespace] });
    return;
  }
  state.rooms.leaveAll(clientId);
  state.namespaces.move(clientId, namespace);
  state.history?.changed(clientId);
}

/** Stores a value for a client, writing it through to the cluster's shared store. */
export function setClientData(state: EngineState, clientId: string, key: string, value: unknown): void {
  if (typeof key !== "string") throw new TypeError(`setClientData: key must be a string, got ${describe(key)}`);
  if (!state.sessions.has(clientId)) {
    state.cluster?.publish({ kind: "op", op: "setData", client: clientId, args: [key, value] });
    return;
  }
  state.data.set(clientId, key, value);
  state.cluster?.dataSet(clientId, key, value);
  state.history?.changed(clientId);
}

/** Removes one key of a client's data, or all of it. */
export function forgetData(state: EngineState, clientId: string, key?: string): void {
  if (!isLocal(state, clientId)) {
    state.cluster?.publish({ kind: "op", op: "forgetData", client: clientId, args: key === undefined ? [] : [key] });
    return;
  }
  state.data.forget(clientId, key);
  state.cluster?.dataForget(clientId, key);
  state.history?.changed(clientId);
}

/** Closes a client's connection (see `SockeonServer.disconnect`). @throws TypeError for a bad code or reason */
export function disconnect(state: EngineState, clientId: string, code: number, reason: string): void {
  assertCloseFrame(code, reason);
  const session = state.sessions.get(clientId);
  if (session) session.close(code, reason);
  else state.cluster?.publish({ kind: "op", op: "disconnect", client: clientId, args: [code, reason] });
}
