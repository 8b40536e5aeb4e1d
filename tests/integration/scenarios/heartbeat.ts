/**
 * Heartbeat through each runtime's own mechanism: a peer that stops answering pings is closed and cleaned up
 * (rooms, data, counts, `@OnDisconnect`), while a client whose WebSocket stack answers stays. Plus the
 * reserved `sockeon.ping` -> `sockeon.pong` events for clients that cannot see protocol pongs.
 */
import { afterEach, describe, expect, test } from "../../support/test.ts";
import type { Fixture } from "../support/fixture.ts";
import { type RawWebSocket, rawUpgrade } from "../support/raw-socket.ts";
import { connectKnown, WhoAmI } from "./realtime-controller.ts";

// Bun rounds idleTimeout 1-7 up to 8 s and checks on a coarse timer: allow a few rounds
const DEAD_PEER_BOUND_MS = 40000;

export function heartbeatScenarios(fx: Fixture): void {
  const { serve, setup } = fx;
  const raws: RawWebSocket[] = [];
  afterEach(() => {
    for (const ws of raws.splice(0)) ws.destroy();
  });

  describe(`${setup.name}: heartbeat`, () => {
    test("sockeon.ping is answered with sockeon.pong {timestamp}, with an ack when asked", async () => {
      (await serve()).register(WhoAmI);
      const { client } = await connectKnown(fx);
      client.emit("sockeon.ping", {}, 9);
      const pong = await client.next();
      expect(pong.event).toBe("sockeon.pong");
      expect(Number.isInteger(pong.data.timestamp)).toBe(true);
      expect(await client.next()).toEqual({ event: "ack", data: { id: 9, result: null } });
    });

    test(
      "a peer that stops answering pings is closed and cleaned up; an answering client stays",
      async () => {
        const server = (await serve({ idleTimeout: 1 })).register(WhoAmI);
        const live = await connectKnown(fx);
        const res = await rawUpgrade(fx.served.port);
        const dead = res.ws as RawWebSocket;
        raws.push(dead);
        const deadId = (await dead.next()).data.clientId as string;
        server.joinRoom(deadId, "lobby");
        server.putData(deadId, "nick", "zombie");
        expect(await server.getClientCount()).toBe(2);

        const gone = await live.client.nextEvent("gone", DEAD_PEER_BOUND_MS);
        expect(gone.data).toEqual({ clientId: deadId, rooms: ["lobby"], nick: "zombie" });
        await dead.closed;
        expect(await server.getClientCount()).toBe(1);
        expect(await server.isConnected(deadId)).toBe(false);
        expect(await server.getRooms()).toEqual([]);
        expect(await server.allData(deadId)).toBeNull();
        // the live client sat idle just as long, answering the server's pings by itself
        expect(await live.client.nothingPending()).toBeUndefined();
        expect(await server.isConnected(live.id)).toBe(true);
      },
      DEAD_PEER_BOUND_MS + 10000,
    );
  });
}
