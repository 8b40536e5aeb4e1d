/**
 * The five controllers of Sockeon's "Connection Management" docs page, ported line by line. Handler methods
 * that shared a name with the API (joinRoom, leaveRoom, joinNamespace, leaveNamespace, getServerStats) are
 * renamed; their events and payloads are unchanged.
 */
import { OnConnect, OnDisconnect, SocketController, SocketOn } from "../../src/index.ts";

const time = (): number => Math.floor(Date.now() / 1000);

export class ConnectionController extends SocketController {
  @OnConnect
  onConnect(clientId: string): void {
    this.emit(clientId, "welcome", { message: "Welcome to the server!", clientId });
    this.broadcast("user.connected", { clientId, timestamp: time() });
  }

  @OnDisconnect
  onDisconnect(clientId: string): void {
    this.broadcast("user.disconnected", { clientId, timestamp: time() });
  }
}

export class ClientInfoController extends SocketController {
  @SocketOn("client.info")
  async getClientInfo(clientId: string): Promise<void> {
    this.emit(clientId, "client.info", {
      id: clientId,
      type: await this.getClientType(clientId),
      connected: await this.isClientConnected(clientId),
    });
  }

  @SocketOn("server.stats")
  async sendServerStats(clientId: string): Promise<void> {
    this.emit(clientId, "server.stats", {
      total_clients: await this.getClientCount(),
      client_ids: Object.keys(await this.getAllClients()),
    });
  }
}

export class ClientDataController extends SocketController {
  @OnConnect
  onConnect(clientId: string): void {
    this.setClientData(clientId, "connected_at", time());
    this.setClientData(clientId, "status", "online");
  }

  @SocketOn("user.update")
  updateUser(clientId: string, data: { name?: unknown; email?: unknown }): void {
    const name = data.name ?? "";
    const email = data.email ?? "";
    this.setClientData(clientId, "name", name);
    this.setClientData(clientId, "email", email);
    this.emit(clientId, "user.updated", { name, email });
  }

  @SocketOn("user.info")
  async getUserInfo(clientId: string): Promise<void> {
    this.emit(clientId, "user.info", {
      name: await this.getClientData(clientId, "name"),
      email: await this.getClientData(clientId, "email"),
      connected_at: await this.getClientData(clientId, "connected_at"),
    });
  }
}

/** PHP's `empty()` for the values a JSON payload can hold, minus the `"0"` quirk: "0" is a valid name here. */
function isEmpty(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    value === "" ||
    value === false ||
    value === 0 ||
    (Array.isArray(value) && value.length === 0)
  );
}

export class NamespaceController extends SocketController {
  @SocketOn("namespace.join")
  handleJoinNamespace(clientId: string, data: { namespace?: unknown }): void {
    const namespace = data.namespace ?? "";
    if (isEmpty(namespace) || typeof namespace !== "string") {
      this.emit(clientId, "error", { message: "Namespace is required" });
      return;
    }
    this.moveClientToNamespace(clientId, namespace);
    this.emit(clientId, "namespace.joined", { namespace });
  }

  @SocketOn("namespace.leave")
  handleLeaveNamespace(clientId: string): void {
    this.moveClientToNamespace(clientId, "/");
    this.emit(clientId, "namespace.left", { message: "Left namespace" });
  }
}

export class RoomController extends SocketController {
  @SocketOn("room.join")
  handleJoinRoom(clientId: string, data: { room?: unknown }): void {
    const room = data.room ?? "";
    if (isEmpty(room) || typeof room !== "string") {
      this.emit(clientId, "error", { message: "Room is required" });
      return;
    }
    this.joinRoom(clientId, room);
    this.emit(clientId, "room.joined", { room });
    this.broadcastToRoomClients("room.user_joined", { clientId, room }, room);
  }

  @SocketOn("room.leave")
  handleLeaveRoom(clientId: string, data: { room?: unknown }): void {
    const room = data.room ?? "";
    if (isEmpty(room) || typeof room !== "string") {
      this.emit(clientId, "error", { message: "Room is required" });
      return;
    }
    this.leaveRoom(clientId, room);
    this.emit(clientId, "room.left", { room });
    this.broadcastToRoomClients("room.user_left", { clientId, room }, room);
  }
}

/** All five controllers, in the docs page's order. */
export const connectionManagementControllers = [
  ConnectionController,
  ClientInfoController,
  ClientDataController,
  NamespaceController,
  RoomController,
] as const;
