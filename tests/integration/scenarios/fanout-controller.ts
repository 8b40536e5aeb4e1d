/** A controller for the fan-out scenarios: rooms, namespaces, broadcasts and direct emits mixed in one turn. */
import { SocketController, SocketOn } from "../../../src/index.ts";

export class FanoutController extends SocketController {
  @SocketOn("fan.join")
  join(clientId: string, data: { room: string; namespace?: string }): void {
    if (data.namespace) this.moveClientToNamespace(clientId, data.namespace);
    this.joinRoom(clientId, data.room, data.namespace ?? "/");
    this.emit(clientId, "fan.joined", data);
  }

  /** Relays one frame to a room: the publisher sends many of these back to back. */
  @SocketOn("fan.say")
  say(_clientId: string, data: { room: string; namespace?: string; i: number }): void {
    this.broadcastToRoomClients("fan.msg", data, data.room, data.namespace ?? "/");
  }

  /** In one handler: `count` room broadcasts, each followed by a direct emit to the sender. */
  @SocketOn("fan.mix")
  mix(clientId: string, data: { room: string; count: number }): void {
    for (let i = 0; i < data.count; i++) {
      this.broadcastToRoomClients("fan.room", { i }, data.room);
      this.emit(clientId, "fan.direct", { i });
    }
  }

  /** Broadcasts to every client in every namespace, `count` times in one handler. */
  @SocketOn("fan.all")
  all(_clientId: string, data: { count: number }): void {
    for (let i = 0; i < data.count; i++) this.broadcast("fan.every", { i });
  }
}
