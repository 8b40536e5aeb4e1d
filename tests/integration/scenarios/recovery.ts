/**
 * Connection-state recovery on the wire (docs/connection-state-recovery.md): a client behind a TCP relay that the
 * test cuts (no close frame) resumes with the same id, rooms, data and every frame it missed, once and in order,
 * before anything new, and no disconnect/connect handlers run for the blip. Past the window, over the buffer
 * cap, on a clean close or with a used token it gets a fresh session. Offsets are counted by hand here.
 */

import { reject } from "../../../src/extend.ts";
import type { SockeonServer } from "../../../src/index.ts";
import { afterEach, describe, expect, test } from "../../support/test.ts";
import { type Frame, TestClient } from "../support/client.ts";
import type { Fixture } from "../support/fixture.ts";
import { type SilentRelay, startRelay } from "../support/proxy.ts";
import { Presence, until } from "./recovery-controller.ts";

const OPT_IN = "?sockeon_recovery=1";
// Bun rounds idleTimeout 1-7 up to 8 s and checks on a coarse timer (as in heartbeat.ts)
const DEAD_PEER_BOUND_MS = 40000;

export function recoveryScenarios(fx: Fixture): void {
  const { setup } = fx;
  const relays: SilentRelay[] = [];
  const clients: TestClient[] = [];
  afterEach(async () => {
    // relays first: a client behind a frozen relay would wait for a close handshake that cannot pass
    await Promise.all(relays.splice(0).map((r) => r.close()));
    await Promise.all(clients.splice(0).map((c) => c.close().catch(() => undefined)));
  });

  async function serve(recovery: object, presence = new Presence()): Promise<{ server: SockeonServer; presence: Presence }> {
    const server = (await fx.serve({ connectionStateRecovery: recovery })).register(presence);
    return { server, presence };
  }

  async function dial(query: string, relay?: SilentRelay): Promise<TestClient> {
    const port = relay ? relay.port : fx.served.port;
    const client = await TestClient.connect(`ws://127.0.0.1:${port}/${query}`);
    clients.push(client);
    return client;
  }

  /** Through a fresh relay: an opted-in client that entered `lobby` as Ada; its offset is then 1 (the ack). */
  async function enter(): Promise<{ relay: SilentRelay; client: TestClient; id: string; token: string }> {
    const relay = await startRelay(fx.served.port);
    relays.push(relay);
    const client = await dial(OPT_IN, relay);
    const session = await client.next();
    expect(session.event).toBe("sockeon.session");
    expect(session.data.offset).toBe(0);
    expect(session.data.recovered).toBe(false);
    client.emit("enter", { room: "lobby", name: "Ada" }, 1);
    expect(await client.next()).toEqual({ event: "ack", data: { id: 1, result: { id: session.data.id } } });
    return { relay, client, id: session.data.id, token: session.data.token };
  }

  const resumeQuery = (token: string, offset: number) => `${OPT_IN}&sockeon_token=${token}&sockeon_offset=${offset}`;
  const suspended = (server: SockeonServer, id: string) => until(async () => !(await server.isClientConnected(id)), "suspended");

  describe(`${setup.name}: connection-state recovery`, () => {
    test("a cut client resumes: same id, rooms, data, every missed frame once and in order, then new ones; no disconnect/connect", async () => {
      const { server, presence } = await serve({ maxDisconnectionDuration: 60_000 });
      const { relay, client, id, token } = await enter();
      for (let n = 1; n <= 5; n++) server.broadcastToRoomClients("msg", { n }, "lobby");
      // the client reads 3; the last 2 may be in flight when the network goes: it asks for what follows offset 4
      for (let n = 1; n <= 3; n++) expect(await client.next()).toEqual({ event: "msg", data: { n } });
      relay.cut();
      await suspended(server, id);
      expect(await server.getClientCount()).toBe(0);
      expect(await server.getAllClients()).toEqual({});
      for (let n = 6; n <= 10; n++) server.broadcastToRoomClients("msg", { n }, "lobby");
      server.emit(id, "direct", { to: "Ada" });
      server.broadcast("everyone", {});
      server.broadcastToNamespaceClients("ns", {}, "/");
      server.broadcastToRoomClients("other", {}, "elsewhere");

      const back = await dial(resumeQuery(token, 4));
      const session = await back.next();
      expect(session.event).toBe("sockeon.session");
      expect(session.data).toEqual({ id, token: session.data.token, offset: 4, recovered: true });
      expect(session.data.token).not.toBe(token);
      const missed: Frame[] = [];
      for (let i = 0; i < 10; i++) missed.push(await back.next());
      expect(missed).toEqual([
        ...[4, 5, 6, 7, 8, 9, 10].map((n) => ({ event: "msg", data: { n } })),
        { event: "direct", data: { to: "Ada" } },
        { event: "everyone", data: {} },
        { event: "ns", data: {} },
      ]);
      server.broadcastToRoomClients("msg", { n: 11 }, "lobby");
      expect(await back.next()).toEqual({ event: "msg", data: { n: 11 } });
      expect(await back.nothingPending()).toBeUndefined();
      expect(presence.events).toEqual([`connect ${id}`, `reconnect ${id}`]);
      expect(await server.getClientRooms(id)).toEqual(["lobby"]);
      expect(await server.getClientData(id, "name")).toBe("Ada");
      expect(await server.isClientConnected(id)).toBe(true);
      expect(await server.getClientCount()).toBe(1);
    });

    test("the token is single-use; a clean close ends the session at once, @OnDisconnect once", async () => {
      const { server, presence } = await serve({});
      const { relay, id, token } = await enter();
      relay.cut();
      await suspended(server, id);
      const back = await dial(resumeQuery(token, 1));
      const { data } = await back.next();
      expect(data.recovered).toBe(true);
      const again = await dial(resumeQuery(token, 1));
      const fresh = (await again.next()).data;
      expect(fresh.recovered).toBe(false);
      expect(fresh.id).not.toBe(id);
      expect(await server.isClientConnected(id)).toBe(true);
      await back.close();
      await presence.left(id);
      const late = await dial(resumeQuery(data.token, 1));
      expect((await late.next()).data.recovered).toBe(false);
      expect(presence.events.filter((e) => e.endsWith(id))).toEqual([`connect ${id}`, `reconnect ${id}`, `disconnect ${id}`]);
      expect(await server.getClientData(id, "name")).toBeNull();
    });

    test("past the window: the session ends (@OnDisconnect once) and a resume gets a fresh session", async () => {
      const { server, presence } = await serve({ maxDisconnectionDuration: 30 });
      const { relay, id, token } = await enter();
      relay.cut();
      await presence.left(id);
      const back = await dial(resumeQuery(token, 1));
      const { data } = await back.next();
      expect(data).toEqual({ id: data.id, token: data.token, offset: 0, recovered: false });
      expect(data.id).not.toBe(id);
      expect(presence.events).toEqual([`connect ${id}`, `disconnect ${id}`, `connect ${data.id}`]);
      expect(await server.getRooms()).toEqual([]);
    });

    test("over the buffer cap: recovery is given up at once (@OnDisconnect once); a resume gets a fresh session", async () => {
      const { server, presence } = await serve({ maxBufferedFrames: 3 });
      const { relay, id, token } = await enter();
      relay.cut();
      await suspended(server, id);
      for (let n = 1; n <= 3; n++) server.broadcastToRoomClients("msg", { n }, "lobby");
      expect(presence.events).toEqual([`connect ${id}`]);
      server.broadcastToRoomClients("msg", { n: 4 }, "lobby");
      await presence.left(id);
      const back = await dial(resumeQuery(token, 1));
      expect((await back.next()).data.recovered).toBe(false);
      expect(presence.events.filter((e) => e === `disconnect ${id}`)).toHaveLength(1);
    });

    test("the handshake policy runs again on resume; a turned-away resume keeps its token", async () => {
      const { server } = await serve({});
      let blocked = false;
      server.addHandshakeMiddleware(() => (blocked ? reject(403, "Blocked") : undefined));
      const { relay, id, token } = await enter();
      relay.cut();
      await suspended(server, id);
      blocked = true;
      await expect(dial(resumeQuery(token, 1))).rejects.toThrow();
      blocked = false;
      const back = await dial(resumeQuery(token, 1));
      expect((await back.next()).data).toMatchObject({ id, recovered: true });
    });

    test("a resume racing a half-open socket closes the old one and takes over", async () => {
      const { server, presence } = await serve({});
      const { relay, id, token } = await enter();
      relay.freeze(); // the server's socket stays open: it has not noticed anything
      expect(await server.isClientConnected(id)).toBe(true);
      const back = await dial(resumeQuery(token, 1));
      expect((await back.next()).data).toMatchObject({ id, recovered: true });
      expect(await server.getClientCount()).toBe(1);
      server.emit(id, "direct", { n: 1 });
      expect(await back.next()).toEqual({ event: "direct", data: { n: 1 } });
      expect(presence.events).toEqual([`connect ${id}`, `reconnect ${id}`]);
      await relay.closeFrameFromServer(1001); // the server closed the half-open socket itself
    });

    test(
      "a silent peer found dead by the heartbeat is suspended, not ended, and resumes",
      async () => {
        const presence = new Presence();
        const server = (await fx.serve({ idleTimeout: 1, connectionStateRecovery: {} })).register(presence);
        const { relay, id, token } = await enter();
        relay.freeze(); // no FIN, no close frame: only the heartbeat can tell
        await until(async () => !(await server.isClientConnected(id)), "the heartbeat dropped it", DEAD_PEER_BOUND_MS);
        expect(presence.events).toEqual([`connect ${id}`]);
        const back = await dial(resumeQuery(token, 1));
        expect((await back.next()).data).toMatchObject({ id, recovered: true });
      },
      DEAD_PEER_BOUND_MS + 10000,
    );

    test("server disconnect() of a suspended client ends it, @OnDisconnect once", async () => {
      const { server, presence } = await serve({});
      const { relay, id } = await enter();
      relay.cut();
      await suspended(server, id);
      server.disconnect(id);
      await presence.left(id);
      expect(await server.getClientRooms(id)).toEqual([]);
      expect(presence.events).toEqual([`connect ${id}`, `disconnect ${id}`]);
    });

    test("a client that did not opt in sees Sockeon's frames unchanged and ends on a cut, as today", async () => {
      const { server, presence } = await serve({});
      const relay = await startRelay(fx.served.port);
      relays.push(relay);
      const plain = await dial("", relay);
      plain.emit("enter", { room: "lobby", name: "Bo" }, 1);
      const raw = await plain.nextRaw();
      const { id } = JSON.parse(raw).data.result;
      expect(raw).toBe(`{"event":"ack","data":{"id":1,"result":{"id":"${id}"}}}`);
      server.broadcastToRoomClients("msg", { n: 1 }, "lobby");
      expect(await plain.nextRaw()).toBe('{"event":"msg","data":{"n":1}}');
      relay.cut();
      await presence.left(id);
      expect(presence.events).toEqual([`connect ${id}`, `disconnect ${id}`]);
    });
  });
}
