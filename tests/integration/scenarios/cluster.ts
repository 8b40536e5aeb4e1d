/**
 * Several nodes behaving as one server, through the in-memory broker (two servers in this process on one
 * MemoryBus). The same behaviours through Redis and separate processes: tests/integration/redis/.
 */
import { ChatController } from "../../../examples/cluster/chat-controller.ts";
import { MemoryBroker, MemoryBus } from "../../../src/scale/memory-broker.ts";
import { describe, expect, test } from "../../support/test.ts";
import { type ChatClient, call, join } from "../support/cluster-client.ts";
import type { Fixture } from "../support/fixture.ts";
import { recordLogs, testServer } from "../support/servers.ts";
import { type Served, start } from "../support/setup.ts";

export function clusterScenarios(fx: Fixture): void {
  const { setup } = fx;

  /** Runs `body` against nodes A and B sharing one bus; closes everything after. */
  async function withNodes(body: (n: Awaited<ReturnType<typeof nodes>>) => Promise<void>): Promise<void> {
    const n = await nodes();
    try {
      await body(n);
    } finally {
      await Promise.all(n.clients.map((c) => c.client.close().catch(() => undefined)));
      for (const [server, served] of n.all) {
        await server.close();
        await served.stop();
      }
    }
  }

  async function nodes() {
    const bus = new MemoryBus();
    const logs = recordLogs();
    const make = (name: string) =>
      testServer({ broker: new MemoryBroker(bus), logger: logs.logger }).register(new ChatController(name));
    const a = make("A");
    const b = make("B");
    const all: Array<[typeof a, Served]> = [];
    for (const server of [a, b]) {
      await server.ready();
      all.push([server, await start(setup, server)]);
    }
    const clients: ChatClient[] = [];
    const connect = async (node: 0 | 1) => {
      const c = await join((all[node] as [typeof a, Served])[1].url);
      clients.push(c);
      return c;
    };
    return { bus, logs, a, b, all, clients, connect };
  }

  describe(`${setup.name}: cluster through the in-memory broker`, () => {
    test("a room broadcast on A reaches members on A and B exactly once", async () => {
      await withNodes(async ({ connect }) => {
        const a1 = await connect(0);
        const b1 = await connect(1);
        const b2 = await connect(1);
        for (const c of [a1, b1]) expect(await call(c.client, "room.join", { room: "lobby" })).toBe("lobby");
        a1.client.emit("room.say", { room: "lobby", text: "hi" });
        for (const c of [a1, b1]) {
          expect(await c.client.nextEvent("room.message")).toEqual({ event: "room.message", data: { from: a1.id, text: "hi" } });
          expect(await c.client.nothingPending()).toBeUndefined();
        }
        expect(await b2.client.nothingPending()).toBeUndefined();
      });
    });

    test("broadcast to all and to a namespace crosses nodes", async () => {
      await withNodes(async ({ connect }) => {
        const a1 = await connect(0);
        const b1 = await connect(1);
        const b2 = await connect(1);
        await call(b2.client, "namespace.join", { namespace: "/admin" });
        a1.client.emit("announce", { text: "all" });
        for (const c of [a1, b1, b2]) expect((await c.client.nextEvent("announcement")).data.text).toBe("all");
        a1.client.emit("namespace.say", { namespace: "/admin", text: "admins" });
        expect((await b2.client.nextEvent("namespace.message")).data).toEqual({ from: a1.id, text: "admins" });
        expect(await b1.client.nothingPending()).toBeUndefined();
      });
    });

    test("emit, disconnect and client data of a client on the other node", async () => {
      await withNodes(async ({ connect, b }) => {
        const a1 = await connect(0);
        const b1 = await connect(1);
        expect([a1.node, b1.node]).toEqual(["A", "B"]);
        a1.client.emit("whisper", { to: b1.id, text: "psst" });
        expect((await b1.client.nextEvent("whisper")).data).toEqual({ from: a1.id, text: "psst" });
        await call(b1.client, "profile.set", { key: "name", value: "Bea" });
        expect(await call(a1.client, "profile.get", { clientId: b1.id, key: "name" })).toBe("Bea");
        expect(await call(a1.client, "profile.get", { clientId: b1.id, key: "missing" })).toBeNull();
        await call(a1.client, "profile.set", { clientId: b1.id, key: "role", value: { admin: true } });
        expect(await b.getClientData(b1.id, "role")).toEqual({ admin: true });
        expect(await call(a1.client, "profile.get", { clientId: b1.id })).toEqual({ name: "Bea", role: { admin: true } });
        a1.client.emit("kick", { clientId: b1.id });
        expect(await b1.client.closed).toEqual({ code: 4001, reason: "kicked" });
        expect(await call(a1.client, "profile.get", { clientId: b1.id })).toBeNull();
      });
    });

    test("room and namespace operations on a client of the other node", async () => {
      await withNodes(async ({ connect, a, b }) => {
        const a1 = await connect(0);
        const b1 = await connect(1);
        a.joinRoom(b1.id, "vip");
        a.joinRoom(b1.id, "ops", "/admin");
        await call(b1.client, "stats", {}); // a round trip: the bus delivered the operations before it
        expect(await b.getClientRooms(b1.id)).toEqual(["vip", "ops"]);
        a1.client.emit("room.say", { room: "vip", text: "welcome" });
        expect((await b1.client.nextEvent("room.message")).data.text).toBe("welcome");
        a.leaveRoom(b1.id, "vip");
        a.moveClientToNamespace(b1.id, "/lab");
        await call(b1.client, "stats", {});
        expect(await b.getClientRooms(b1.id)).toEqual([]);
        expect(await a.getClientNamespace(b1.id)).toBe("/lab");
        a.forgetData(b1.id);
        a.disconnect(b1.id, 4002, "bye");
        expect(await b1.client.closed).toEqual({ code: 4002, reason: "bye" });
      });
    });

    test("the broadcast builder reaches rooms on the other node, each member once, minus exclusions", async () => {
      await withNodes(async ({ connect, a }) => {
        const a1 = await connect(0);
        const b1 = await connect(1);
        const b2 = await connect(1);
        await call(a1.client, "room.join", { room: "r1" });
        await call(b1.client, "room.join", { room: "r1" });
        await call(b1.client, "room.join", { room: "r2" });
        await call(b2.client, "room.join", { room: "r2" });
        a.to("r1", "r2").except(b2.id).emit("builder", { n: 1 });
        for (const c of [a1, b1]) {
          expect(await c.client.next()).toEqual({ event: "builder", data: { n: 1 } });
          expect(await c.client.nothingPending()).toBeUndefined();
        }
        expect(await b2.client.nothingPending()).toBeUndefined();
      });
    });

    test("queries answer for the whole cluster", async () => {
      await withNodes(async ({ connect, a, b }) => {
        const a1 = await connect(0);
        const b1 = await connect(1);
        const b2 = await connect(1);
        await call(a1.client, "room.join", { room: "lobby" });
        await call(b1.client, "room.join", { room: "lobby" });
        const stats = await call(a1.client, "stats", { room: "lobby", clientId: b2.id });
        expect(stats.count).toBe(3);
        expect(stats.clients).toEqual([a1.id, b1.id, b2.id].sort());
        expect(stats.room).toEqual([a1.id, b1.id].sort());
        expect(stats.connected).toBe(true);
        expect(stats.server).toMatchObject({ clients: 3, rooms: 1, namespaces: 1 });
        expect(await a.getClientNamespace(b2.id)).toBe("/");
        expect(await a.getClientRooms(b1.id)).toEqual(["lobby"]);
        expect(await a.getClientIp(b1.id)).toBe("127.0.0.1");
        expect(await b.getRooms()).toEqual(["lobby"]);
        await b2.client.close();
        expect(await a.isClientConnected(b2.id)).toBe(false);
        expect(await a.getClientCount()).toBe(2);
      });
    });

    test("a malformed or foreign message on the bus is logged and ignored", async () => {
      await withNodes(async ({ bus, logs, connect }) => {
        const a1 = await connect(0);
        const b1 = await connect(1);
        bus.send("intruder", "not json");
        bus.send("intruder", JSON.stringify({ v: 99, node: "x", kind: "broadcast", event: "e", data: {} }));
        bus.send("intruder", JSON.stringify({ v: 1, node: "x", kind: "op", op: "rm -rf", client: b1.id, args: [] }));
        a1.client.emit("whisper", { to: b1.id, text: "still works" });
        expect((await b1.client.nextEvent("whisper")).data.text).toBe("still works");
        expect(logs.lines.some((l) => l.level === "warning" && l.message.includes("Ignored a message"))).toBe(true);
      });
    });
  });
}
