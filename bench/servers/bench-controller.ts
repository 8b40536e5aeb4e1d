import { SocketController, SocketOn } from "../../src/index.ts";

/** The benchmark controller: `join` (enter room "bench", answer `joined`), `say` (broadcast `msg` to the room), `echo`. */
export class BenchController extends SocketController {
  @SocketOn("join")
  onJoin(clientId: string): void {
    this.joinRoom(clientId, "bench");
    this.emit(clientId, "joined", {});
  }

  @SocketOn("say")
  onSay(_clientId: string, data: Record<string, unknown>): void {
    this.broadcastToRoomClients("msg", data, "bench");
  }

  @SocketOn("echo")
  onEcho(clientId: string, data: Record<string, unknown>): void {
    this.emit(clientId, "echo", data);
  }
}
