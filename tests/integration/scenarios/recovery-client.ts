/**
 * `sockeon-ts/client` with connection-state recovery: behind a relay the test cuts (no close frame), it resumes by
 * itself, reports `recovered`, and sees every room message once and in order; when the session is gone (past
 * the window) it falls back to a fresh session, rejoins its rooms and flushes its queue. No sleeps.
 */
import { createClient, type SockeonClient, type StatusDetail, type WebSocketConstructor } from "../../../client/index.ts";
import type { SockeonServer } from "../../../src/index.ts";
import { afterEach, describe, expect, test } from "../../support/test.ts";
import type { Fixture } from "../support/fixture.ts";
import { type SilentRelay, startRelay } from "../support/proxy.ts";
import { Presence } from "./recovery-controller.ts";

const WebSocketImpl: WebSocketConstructor | undefined = (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket
  ? undefined
  : ((await import("ws")).WebSocket as unknown as WebSocketConstructor);

/** Collects `msg` numbers; `reach(n)` resolves once `n` arrived. */
function inbox(client: SockeonClient) {
  const got: number[] = [];
  const waiters = new Map<number, () => void>();
  client.on("msg", (data: { n: number }) => {
    got.push(data.n);
    waiters.get(data.n)?.();
  });
  return { got, reach: (n: number) => (got.includes(n) ? Promise.resolve() : new Promise<void>((r) => waiters.set(n, r))) };
}

function opened(client: SockeonClient): Promise<StatusDetail> {
  return new Promise((resolve) => {
    const off = client.onStatus((status, detail) => {
      if (status !== "open") return;
      off();
      resolve(detail);
    });
  });
}

export function recoveryClientScenarios(fx: Fixture): void {
  const { setup } = fx;
  const clients: SockeonClient[] = [];
  const relays: SilentRelay[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await Promise.all(relays.splice(0).map((r) => r.close()));
  });

  async function start(
    recovery: object,
  ): Promise<{ server: SockeonServer; presence: Presence; relay: SilentRelay; client: SockeonClient }> {
    const presence = new Presence();
    const server = (await fx.serve({ connectionStateRecovery: recovery })).register(presence);
    const relay = await startRelay(fx.served.port);
    relays.push(relay);
    const client = createClient(`ws://127.0.0.1:${relay.port}/`, {
      WebSocket: WebSocketImpl,
      reconnect: { delay: 5, maxDelay: 50 },
      heartbeat: false,
    });
    clients.push(client);
    await client.ready();
    expect(client.recovered).toBe(false);
    await client.joinRoom("lobby");
    return { server, presence, relay, client };
  }

  describe(`${setup.name}: sockeon-ts/client connection-state recovery`, () => {
    test("a network blip: the client resumes by itself, recovered === true, every message once and in order", async () => {
      const { server, presence, relay, client } = await start({});
      const box = inbox(client);
      const id = presence.events[0]?.split(" ")[1] as string;
      for (let n = 1; n <= 5; n++) server.broadcastToRoomClients("msg", { n }, "lobby");
      await box.reach(5);
      const back = opened(client);
      relay.cut();
      for (let n = 6; n <= 15; n++) server.broadcastToRoomClients("msg", { n }, "lobby");
      expect((await back).recovered).toBe(true);
      expect(client.recovered).toBe(true);
      for (let n = 16; n <= 20; n++) server.broadcastToRoomClients("msg", { n }, "lobby");
      await box.reach(20);
      expect(box.got).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect(presence.events).toEqual([`connect ${id}`, `reconnect ${id}`]);
    });

    test("the session is gone (past the window): a fresh session, recovered === false, rooms rejoined, queue flushed", async () => {
      const { presence, relay, client, server } = await start({ maxDisconnectionDuration: 20 });
      const id = presence.events[0]?.split(" ")[1] as string;
      relay.refuse = true;
      const reconnecting = new Promise<void>((resolve) => {
        const off = client.onStatus((status) => {
          if (status !== "reconnecting") return;
          off();
          resolve();
        });
      });
      relay.cut();
      await reconnecting;
      await presence.left(id);
      client.emit("enter", { room: "queued", name: "Cy" });
      const back = opened(client);
      relay.refuse = false;
      expect((await back).recovered).toBe(false);
      expect(client.recovered).toBe(false);
      const box = inbox(client);
      await client.joinRoom("lobby"); // resolves at once if already rejoined; proves the rejoin reached the server first
      server.broadcastToRoomClients("msg", { n: 1 }, "lobby");
      server.broadcastToRoomClients("msg", { n: 2 }, "queued");
      await box.reach(2);
      expect(box.got).toEqual([1, 2]);
      expect(presence.events.filter((e) => e.startsWith("disconnect"))).toEqual([`disconnect ${id}`]);
    });
  });
}
