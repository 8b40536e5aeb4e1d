import { describe } from "../common/errors.ts";
import * as ops from "../engine/client-ops.ts";
import { type BroadcastTarget, sendEvent, sendToClients, sendToTarget } from "../engine/delivery.ts";
import { DEFAULT_NAMESPACE } from "../engine/namespaces.ts";
import type { ClientMap, ServerStats } from "../engine/queries.ts";
import * as queries from "../engine/queries.ts";
import type { EngineState } from "../engine/state.ts";
import { BroadcastOperator, type EventMap } from "./broadcast-operator.ts";

const NO_ROOMS: readonly string[] = Object.freeze([]);
const NO_ONE: readonly string[] = Object.freeze([]);

let bind: (api: ServerApi, state: EngineState) => void;
let stateOf: (api: ServerApi) => EngineState;

/**
 * Gives an API object (a server, or a controller at registration) the engine state it works on.
 * @internal for src/api only: not exported from any entry point
 */
export function bindApi(api: ServerApi, state: EngineState): void {
  bind(api, state);
}

/**
 * The user-facing server an API object belongs to (what a controller's `server` returns).
 * @internal for src/api only
 */
export function ownerOf(api: ServerApi): object {
  return stateOf(api).owner;
}

/**
 * The Sockeon API, defined once: `SockeonServer` and `SocketController` both extend it (through `SockeonApi`,
 * which adds Sockeon's other names), so `server.emit(...)` and `this.emit(...)` in a controller are the same
 * method. Sends and writes are synchronous and apply locally at once; queries are async because state may live
 * on another node.
 */
export abstract class ServerApi {
  #state: EngineState | undefined;

  static {
    bind = (api, state) => {
      api.#state = state;
    };
    stateOf = (api) => api.#s;
  }

  /** The engine state; a controller has it once registered. */
  get #s(): EngineState {
    const state = this.#state;
    if (state === undefined)
      throw new Error(`${this.constructor.name} is not registered with a server: call server.register(controller) first`);
    return state;
  }

  // ---- sends: synchronous, applied locally at once -------------------------------------------------------

  /** Sends an event to one client; a no-op when it is not connected. @example this.emit(clientId, "welcome", {}) */
  emit(clientId: string, event: string, data: unknown): void {
    sendEvent(this.#s, clientId, event, data);
  }

  /** Sends a pre-encoded JSON text as one frame to one client of this node. */
  sendRaw(clientId: string, json: string): void {
    if (typeof json !== "string") throw new TypeError(`sendRaw: expected a JSON string, got ${describe(json)}`);
    this.#s.sessions.get(clientId)?.send(json);
  }

  /**
   * Sends an event to every client (no namespace), to a namespace, or to a room of a namespace. A room without
   * a namespace means the room in `/`. The sender is included when it is a recipient.
   */
  broadcast(event: string, data: unknown, namespace?: string, room?: string): void {
    const rooms = room === undefined ? NO_ROOMS : [room];
    sendToTarget(this.#s, event, data, {
      rooms,
      namespace: room !== undefined ? (namespace ?? DEFAULT_NAMESPACE) : namespace,
      except: NO_ONE,
    });
  }

  /** Sends an event to every member of a room (namespace defaults to `/`). */
  broadcastToRoomClients(event: string, data: unknown, room: string, namespace: string = DEFAULT_NAMESPACE): void {
    sendToTarget(this.#s, event, data, { rooms: [room], namespace, except: NO_ONE });
  }

  /** Sends an event to every client of a namespace. */
  broadcastToNamespaceClients(event: string, data: unknown, namespace: string): void {
    sendToTarget(this.#s, event, data, { rooms: NO_ROOMS, namespace, except: NO_ONE });
  }

  /** Sends an event to each listed client. */
  broadcastTo(event: string, data: unknown, clientIds: readonly string[]): void {
    sendToClients(this.#s, event, data, clientIds);
  }

  /** Sends an event to every client except the listed ones. */
  broadcastExcept(event: string, data: unknown, exceptIds: readonly string[]): void {
    sendToTarget(this.#s, event, data, { rooms: NO_ROOMS, except: exceptIds });
  }

  /**
   * Sends an event to a target (rooms of a namespace, a namespace, or everyone, minus excluded ids), each
   * recipient once: the delivery behind the broadcast builder ({@link ServerApi.to}).
   */
  broadcastToTarget(event: string, data: unknown, target: BroadcastTarget): void {
    sendToTarget(this.#s, event, data, target);
  }

  /**
   * A broadcast builder aimed at rooms (of `/` unless `.in()` names a namespace).
   * @example this.to("lobby").except(clientId).emit("chat.message", { text })
   */
  to<Events extends EventMap = EventMap>(...rooms: Array<string | readonly string[]>): BroadcastOperator<Events> {
    return new BroadcastOperator<Events>(this).to(...rooms);
  }

  /** A broadcast builder aimed at a namespace. @example this.in("/admin").emit("alert", {}) */
  in<Events extends EventMap = EventMap>(namespace: string): BroadcastOperator<Events> {
    return new BroadcastOperator<Events>(this).in(namespace);
  }

  /** A broadcast builder to everyone except these clients. @example this.except(id).emit("joined", { id }) */
  except<Events extends EventMap = EventMap>(...clientIds: Array<string | readonly string[]>): BroadcastOperator<Events> {
    return new BroadcastOperator<Events>(this).except(...clientIds);
  }

  // ---- rooms, namespaces, client data, connections --------------------------------------------------------

  /** Adds a client to a room of a namespace (default `/`). */
  joinRoom(clientId: string, room: string, namespace: string = DEFAULT_NAMESPACE): void {
    ops.joinRoom(this.#s, clientId, room, namespace);
  }

  /** Removes a client from a room of a namespace (default `/`); a no-op when it is not a member. */
  leaveRoom(clientId: string, room: string, namespace: string = DEFAULT_NAMESPACE): void {
    ops.leaveRoom(this.#s, clientId, room, namespace);
  }

  /** Removes a client from every room in every namespace. */
  leaveAllRooms(clientId: string): void {
    ops.leaveAllRooms(this.#s, clientId);
  }

  /** Moves a client to a namespace (default `/`), leaving its old namespace and all its rooms. */
  moveClientToNamespace(clientId: string, namespace: string = DEFAULT_NAMESPACE): void {
    ops.moveClientToNamespace(this.#s, clientId, namespace);
  }

  /** Leaves the client's namespace and all its rooms; it returns to `/`. */
  leaveNamespace(clientId: string): void {
    ops.moveClientToNamespace(this.#s, clientId, DEFAULT_NAMESPACE);
  }

  /** Stores a value for a client. */
  setClientData(clientId: string, key: string, value: unknown): void {
    ops.setClientData(this.#s, clientId, key, value);
  }

  /** Removes one key of a client's data, or all of it. */
  forgetData(clientId: string, key?: string): void {
    ops.forgetData(this.#s, clientId, key);
  }

  /**
   * Closes a client's connection, flushing what is queued first. Its `@OnDisconnect` handlers run at once.
   * @param code 1000 (default), 1001, 1008, 1011, or an application code 3000-4999
   * @param reason at most 123 UTF-8 bytes
   */
  disconnect(clientId: string, code = 1000, reason = ""): void {
    ops.disconnect(this.#s, clientId, code, reason);
  }

  // ---- queries: asynchronous, because state may live on another node -------------------------------------

  /** One value of a client's data (`null` when unset), or all of it as a record when `key` is omitted. */
  async getClientData(clientId: string, key?: string): Promise<unknown> {
    return queries.getClientData(this.#s, clientId, key);
  }

  /** Whether a key is set in a client's data. */
  async hasData(clientId: string, key: string): Promise<boolean> {
    return queries.hasData(this.#s, clientId, key);
  }

  /** Every connected client as `{ id: id }`. */
  async getAllClients(): Promise<ClientMap> {
    return queries.getAllClients(this.#s);
  }

  /** Ids of every connected client. */
  async getClientIds(): Promise<string[]> {
    return queries.getClientIds(this.#s);
  }

  /** Number of connected clients. */
  async getClientCount(): Promise<number> {
    return queries.getClientCount(this.#s);
  }

  /** Whether a client is connected. */
  async isClientConnected(clientId: string): Promise<boolean> {
    return queries.isClientConnected(this.#s, clientId);
  }

  /** `"ws"` for a connected WebSocket client, `null` otherwise. */
  async getClientType(clientId: string): Promise<"ws" | null> {
    return (await queries.isClientConnected(this.#s, clientId)) ? "ws" : null;
  }

  /** The client's address, or `null` when unknown. */
  async getClientIp(clientId: string): Promise<string | null> {
    return queries.getClientIp(this.#s, clientId);
  }

  /** The client's namespace, or `null` when it is not connected. */
  async getClientNamespace(clientId: string): Promise<string | null> {
    return queries.getClientNamespace(this.#s, clientId);
  }

  /** Members of a room (namespace default `/`) as `{ id: id }`. */
  async getClientsInRoom(room: string, namespace: string = DEFAULT_NAMESPACE): Promise<ClientMap> {
    return queries.getClientsInRoom(this.#s, room, namespace);
  }

  /** Members of a namespace (default `/`) as `{ id: id }`. */
  async getClientsInNamespace(namespace: string = DEFAULT_NAMESPACE): Promise<ClientMap> {
    return queries.getClientsInNamespace(this.#s, namespace);
  }

  /** Names of the non-empty rooms of a namespace (default `/`). */
  async getRooms(namespace: string = DEFAULT_NAMESPACE): Promise<string[]> {
    return queries.getRooms(this.#s, namespace);
  }

  /** Names of the rooms a client is in; only those of `namespace` when given. */
  async getClientRooms(clientId: string, namespace?: string): Promise<string[]> {
    return queries.getClientRooms(this.#s, clientId, namespace);
  }

  /** Whole seconds since the server was created. */
  getUptime(): number {
    return queries.uptimeSince(this.#s.startedAt);
  }

  /** Counts of clients, rooms and namespaces, and uptime. */
  async getServerStats(): Promise<ServerStats> {
    return queries.getServerStats(this.#s);
  }
}
