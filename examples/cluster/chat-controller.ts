/**
 * A chat that works the same on one node or many: every call below reaches clients on other nodes through the
 * broker, and every query answers for the whole cluster. The cluster tests drive their nodes through it.
 */
import { OnConnect, SocketController, SocketOn } from "../../src/index.ts";

type Text = { text: string };

export class ChatController extends SocketController {
  /** This node's name, shown in welcome frames (the tests use it to see where a client landed). */
  constructor(readonly node: string = "node") {
    super();
  }

  @OnConnect
  welcome(clientId: string): void {
    this.emit(clientId, "welcome", { clientId, node: this.node });
  }

  @SocketOn("room.join")
  enter(clientId: string, data: { room: string; namespace?: string }): string {
    this.joinRoom(clientId, data.room, data.namespace);
    return data.room;
  }

  @SocketOn("room.leave")
  exit(clientId: string, data: { room: string; namespace?: string }): string {
    this.leaveRoom(clientId, data.room, data.namespace);
    return data.room;
  }

  @SocketOn("room.say")
  say(clientId: string, data: Text & { room: string; namespace?: string }): void {
    this.broadcastToRoomClients("room.message", { from: clientId, text: data.text }, data.room, data.namespace);
  }

  @SocketOn("namespace.join")
  moveTo(clientId: string, data: { namespace: string }): void {
    this.moveClientToNamespace(clientId, data.namespace);
  }

  @SocketOn("namespace.say")
  sayInNamespace(clientId: string, data: Text & { namespace: string }): void {
    this.broadcastToNamespaceClients("namespace.message", { from: clientId, text: data.text }, data.namespace);
  }

  @SocketOn("announce")
  announce(clientId: string, data: Text): void {
    this.broadcast("announcement", { from: clientId, text: data.text });
  }

  @SocketOn("whisper")
  whisper(clientId: string, data: Text & { to: string }): void {
    this.emit(data.to, "whisper", { from: clientId, text: data.text });
  }

  @SocketOn("kick")
  kick(_clientId: string, data: { clientId: string }): void {
    this.disconnect(data.clientId, 4001, "kicked");
  }

  @SocketOn("profile.set")
  setProfile(clientId: string, data: { clientId?: string; key: string; value: unknown }): void {
    this.setClientData(data.clientId ?? clientId, data.key, data.value);
  }

  @SocketOn("profile.get")
  async profile(clientId: string, data: { clientId?: string; key?: string }): Promise<unknown> {
    return this.getClientData(data.clientId ?? clientId, data.key);
  }

  @SocketOn("stats")
  async stats(_clientId: string, data: { room?: string; clientId?: string }): Promise<unknown> {
    return {
      count: await this.getClientCount(),
      clients: Object.keys(await this.getAllClients()).sort(),
      room: data.room === undefined ? null : Object.keys(await this.getClientsInRoom(data.room)).sort(),
      connected: data.clientId === undefined ? null : await this.isClientConnected(data.clientId),
      server: await this.getServerStats(),
    };
  }
}
