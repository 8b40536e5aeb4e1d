/** Controllers and helpers the real-time API scenarios drive. */
import { OnConnect, OnDisconnect, SocketController, SocketOn } from "../../../src/index.ts";
import type { TestClient } from "../support/client.ts";
import type { Fixture } from "../support/fixture.ts";

/** Greets each client with its id, address and handshake data; announces disconnects to everyone left. */
export class WhoAmI extends SocketController {
  @OnConnect
  async greet(clientId: string): Promise<void> {
    this.emit(clientId, "welcome", {
      clientId,
      ip: await this.getClientIp(clientId),
      type: await this.getClientType(clientId),
      data: await this.allData(clientId),
    });
  }

  @OnDisconnect
  async gone(clientId: string): Promise<void> {
    // rooms and data are still readable here; cleanup runs after every disconnect handler
    this.broadcast("gone", { clientId, rooms: await this.getClientRooms(clientId), nick: await this.data(clientId, "nick") });
  }
}

type ChatEvents = { "chat.message": { text: string; from: string } };

/** Uses the v3 names and the broadcast builder from inside handlers, as user code would. */
export class V3Controller extends SocketController {
  @SocketOn("v3.enter")
  enter(clientId: string, data: { room: string; namespace?: string; nick?: string }): void {
    if (data.namespace) this.joinNamespace(clientId, data.namespace);
    this.joinRoom(clientId, data.room, data.namespace);
    if (data.nick) this.putData(clientId, "nick", data.nick);
  }

  @SocketOn("v3.say")
  say(clientId: string, data: { room: string; namespace?: string; text: string }): void {
    let target = this.to<ChatEvents>(data.room).except(clientId);
    if (data.namespace) target = target.in(data.namespace);
    target.emit("chat.message", { text: data.text, from: clientId });
  }

  @SocketOn("v3.except")
  exceptMe(clientId: string, data: { text: string }): void {
    this.broadcastExcept("shout", { text: data.text }, [clientId]);
  }

  @SocketOn("v3.who")
  async who(clientId: string): Promise<unknown> {
    return {
      connected: await this.isConnected(clientId),
      namespace: await this.getClientNamespace(clientId),
      rooms: await this.getClientRooms(clientId),
      nick: await this.data(clientId, "nick"),
      hasNick: await this.hasData(clientId, "nick"),
    };
  }

  @SocketOn("v3.kick")
  kick(clientId: string, data: { code: number; reason: string }): void {
    this.disconnect(clientId, data.code, data.reason);
  }
}

/** A connected client and the id the server gave it. */
export interface Known {
  client: TestClient;
  id: string;
}

/** Connects a client to a server running {@link WhoAmI} and reads its welcome. */
export async function connectKnown(fx: Fixture, query = ""): Promise<Known> {
  const client = await fx.connect(query);
  const welcome = await client.nextEvent("welcome");
  return { client, id: welcome.data.clientId as string };
}
