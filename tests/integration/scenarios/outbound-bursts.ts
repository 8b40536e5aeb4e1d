/**
 * Bursts to clients that are reading: a handler may queue more than `maxBufferedAmount` for a client in one
 * turn (up to the burst cap), and a client pipelining requests gets every reply; neither is mistaken for a slow
 * consumer while its socket drains. (A client that stops reading is cut: see slow-consumer.ts.)
 */
import { SocketController, SocketOn } from "../../../src/index.ts";
import { describe, expect, test } from "../../support/test.ts";
import type { TestClient } from "../support/client.ts";
import type { Fixture } from "../support/fixture.ts";
import { RawWebSocket } from "../support/raw-socket.ts";

const BURST = 5000;

class Burst extends SocketController {
  /** Broadcasts `count` frames of about `size` bytes to every client, all in this one turn. */
  @SocketOn("burst.all")
  all(_clientId: string, data: { count: number; size: number }): void {
    const pad = "x".repeat(data.size);
    for (let i = 0; i < data.count; i++) this.broadcast("burst", { i, pad });
  }
}

/** Reads `count` frames of `event` and returns the indexes that were out of order (none expected). */
async function readInOrder(client: TestClient, event: string, count: number): Promise<number[]> {
  const wrong: number[] = [];
  for (let i = 0; i < count; i++) {
    const frame = await client.next();
    if (frame.event !== event || frame.data.i !== i) wrong.push(i);
  }
  return wrong;
}

export function outboundBurstScenarios(fx: Fixture): void {
  const { serve, connect, setup } = fx;

  describe(`${setup.name}: bursts to reading clients`, () => {
    test("a handler broadcasting 5,000 x 1 KB in one turn (over maxBufferedAmount): 3 reading clients get all, in order, and stay open", async () => {
      const server = await serve();
      server.register(new Burst());
      const clients = [await connect(), await connect(), await connect()];
      // about 5.2 MB per client in one turn, past the 4 MiB default
      (clients[0] as TestClient).emit("burst.all", { count: BURST, size: 1000 });
      const wrong = await Promise.all(clients.map((c) => readInOrder(c, "burst", BURST)));
      expect(wrong).toEqual([[], [], []]);
      for (const c of clients) expect(await c.nothingPending()).toBeUndefined();
      expect((await server.getClientIds()).length).toBe(3);
    }, 60000);

    test("a reading client pipelining 1,000 join_room gets 1,000 room_joined in order and stays open", async () => {
      const server = await serve();
      const a = await connect();
      for (let i = 0; i < 1000; i++) a.emit("join_room", { room: `room-${i}` });
      const wrong: number[] = [];
      for (let i = 0; i < 1000; i++) {
        const frame = await a.next();
        if (frame.event !== "room_joined" || frame.data.room !== `room-${i}`) wrong.push(i);
      }
      expect(wrong).toEqual([]);
      expect(await a.nothingPending()).toBeUndefined();
      const [id] = await server.getClientIds();
      expect((await server.getClientRooms(id as string)).length).toBe(1000);
    }, 60000);

    test("1,000 join_room in one TCP write (one read on the server): 1,000 replies, still open", async () => {
      await serve();
      const raw = await RawWebSocket.connect(fx.served.port);
      try {
        raw.sendAll(Array.from({ length: 1000 }, (_, i) => JSON.stringify({ event: "join_room", data: { room: `r${i}` } })));
        const wrong: number[] = [];
        for (let i = 0; i < 1000; i++) {
          const frame = await raw.next();
          if (frame.event !== "room_joined" || frame.data.room !== `r${i}`) wrong.push(i);
        }
        expect(wrong).toEqual([]);
        raw.send(JSON.stringify({ event: "sockeon.ping", data: {} }));
        expect((await raw.next()).event).toBe("sockeon.pong");
      } finally {
        raw.destroy();
      }
    }, 60000);
  });
}
