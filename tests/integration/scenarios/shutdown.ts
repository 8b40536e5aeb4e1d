/** Graceful shutdown: queued frames first, then close 1001 to everyone, disconnect handlers, hooks, no new clients. */
import { hostOf } from "../../../src/extend.ts";
import { OnDisconnect, SocketController } from "../../../src/index.ts";
import { describe, expect, test } from "../../support/test.ts";
import { type Frame, TestClient } from "../support/client.ts";
import type { Fixture } from "../support/fixture.ts";
import { RawWebSocket } from "../support/raw-socket.ts";
import { ProbeController } from "./probe-controller.ts";

class Goodbyes extends SocketController {
  readonly seen: string[] = [];

  @OnDisconnect
  async bye(clientId: string): Promise<void> {
    // an async handler: close() must wait for it
    await Promise.resolve();
    this.seen.push(clientId);
  }
}

const upgradeRequest = (url: string) =>
  new Request(url.replace(/^ws/, "http"), {
    headers: {
      upgrade: "websocket",
      connection: "Upgrade",
      "sec-websocket-version": "13",
      "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
    },
  });

export function shutdownScenarios(fx: Fixture): void {
  const { serve, connect, setup } = fx;

  describe(`${setup.name}: graceful shutdown`, () => {
    test("close() sends queued frames, then 1001 to every client, runs @OnDisconnect and hooks, refuses new clients", async () => {
      const goodbyes = new Goodbyes();
      const server = (await serve()).register(new ProbeController(), goodbyes);
      const a = await connect();
      const b = await connect();
      // a round trip each, so both sessions are open on the server
      for (const client of [a, b]) {
        client.emit("echo", {});
        await client.next();
      }
      const ids = await server.getClientIds();
      expect(ids.length).toBe(2);
      let goneAtHook = -1;
      server.onShutdown(() => {
        goneAtHook = goodbyes.seen.length;
      });
      const first = ids[0] as string;
      // queued in this turn, not yet written: close() must flush them before the close frame
      for (let i = 0; i < 100; i++) server.emit(first, "seq", { i });
      server.broadcast("bye", { all: true });
      const closing = server.close({ timeout: 5000 });
      const refused = (await hostOf(server).handshake(upgradeRequest(fx.served.url))).response;
      expect(refused?.status).toBe(503);
      expect(await refused?.text()).toBe("Server shutting down");

      const results = await Promise.all(
        [a, b].map(async (client) => {
          const frames: Frame[] = [];
          const closed = await client.closed;
          while (client.pending > 0) frames.push(await client.next());
          return {
            events: frames.map((f) => f.event),
            seq: frames.filter((f) => f.event === "seq").map((f) => f.data.i),
            closed,
          };
        }),
      );
      const seqs = results.map((r) => r.seq).sort((x, y) => x.length - y.length);
      expect(seqs).toEqual([[], Array.from({ length: 100 }, (_, i) => i)]);
      for (const { events, closed } of results) {
        expect(closed).toEqual({ code: 1001, reason: "server shutting down" });
        // the broadcast queued after the 100 frames arrives after them, last before the close
        expect(events.filter((e) => e !== "seq")).toEqual(["bye"]);
        expect(events[events.length - 1]).toBe("bye");
      }
      await closing;
      expect([...goodbyes.seen].sort()).toEqual([...ids].sort());
      expect(goneAtHook).toBe(2);
      expect(await server.getClientCount()).toBe(0);
      // the listener is gone: a new client cannot connect
      await expect(TestClient.connect(fx.served.url)).rejects.toThrow();
      // a second close() is the same shutdown
      await server.close();
    });

    test("close() resolves after its timeout when a client never answers the close, and cuts that client", async () => {
      const server = (await serve()).register(new ProbeController());
      const raw = await RawWebSocket.connect(fx.served.port);
      const polite = await connect();
      polite.emit("echo", {});
      await polite.next();
      await server.close({ timeout: 200 });
      // the raw client saw the close frame but never answered it; the server cut the TCP connection anyway
      const closed = await raw.untilClose();
      expect(closed.code).toBe(1001);
      expect(await raw.nextFrame()).toBe(undefined);
      expect((await polite.closed).code).toBe(1001);
    });
  });
}
