/** The server side of the client scenarios, and the event map the typed test client is built from. */
import * as v from "valibot";
import { defineEvents, type } from "../../../client/index.ts";
import { SocketController, SocketOn } from "../../../src/index.ts";

/** A gate a handler waits on, opened by the test: an answer that comes late without any sleep. */
export class Gate {
  #open: (() => void) | undefined;
  readonly opened: Promise<void> = new Promise((resolve) => (this.#open = resolve));
  open(): void {
    this.#open?.();
  }
}

const Say = v.object({ room: v.string(), text: v.string() });
const Sum = v.object({ a: v.number(), b: v.number() });

export class ClientProbe extends SocketController {
  /** Held by `slow` until the test opens it. */
  gate = new Gate();

  @SocketOn("say")
  say(clientId: string, data: v.InferOutput<typeof Say>): Promise<{ delivered: number }> {
    const { room, text } = v.parse(Say, data);
    this.broadcastToRoomClients("said", { from: clientId, room, text }, room);
    return this.getClientsInRoom(room).then((members) => ({ delivered: Object.keys(members).length }));
  }

  @SocketOn("sum")
  sum(_clientId: string, data: v.InferOutput<typeof Sum>): number {
    return data.a + data.b;
  }

  @SocketOn("sum.async")
  async sumAsync(_clientId: string, data: v.InferOutput<typeof Sum>): Promise<number> {
    await Promise.resolve();
    return data.a + data.b;
  }

  @SocketOn("fail")
  fail(): never {
    throw new Error("probe failure");
  }

  @SocketOn("slow")
  async slow(): Promise<string> {
    await this.gate.opened;
    return "late";
  }

  @SocketOn("whoami")
  async whoami(clientId: string): Promise<{ id: string; rooms: string[] }> {
    return { id: clientId, rooms: await this.getClientRooms(clientId) };
  }

  @SocketOn("push")
  push(clientId: string, data: { n: number }): void {
    this.emit(clientId, "pushed", { n: data.n });
  }
}

/** The probe's events, shared with the typed client. */
export const probeEvents = defineEvents({
  toServer: {
    say: { data: Say, handler: ClientProbe.prototype.say },
    sum: { data: Sum, handler: ClientProbe.prototype.sum },
    "sum.async": { data: Sum, handler: ClientProbe.prototype.sumAsync },
    fail: { result: type<never>() },
    slow: { handler: ClientProbe.prototype.slow },
    whoami: { handler: ClientProbe.prototype.whoami },
    push: { data: type<{ n: number }>() },
    nope: {},
  },
  toClient: {
    said: type<{ from: string; room: string; text: string }>(),
    pushed: type<{ n: number }>(),
  },
});
