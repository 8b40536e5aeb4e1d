/** Sockeon v3 names beside the docs names, through real sockets: sends, rooms, namespaces, data, queries. */
import { describe, expect, test } from "../../support/test.ts";
import type { Fixture } from "../support/fixture.ts";
import { connectKnown, V3Controller, WhoAmI } from "./realtime-controller.ts";

export function realtimeApiScenarios(fx: Fixture): void {
  const { serve, setup } = fx;

  describe(`${setup.name}: Sockeon v3 API`, () => {
    test("broadcast(event, data, namespace?, room?) and its v3 relatives reach exactly their targets", async () => {
      const server = (await serve()).register(WhoAmI);
      const a = await connectKnown(fx);
      const b = await connectKnown(fx);
      const c = await connectKnown(fx);
      server.joinNamespace(c.id, "/admin");
      server.joinRoom(a.id, "lobby");
      server.joinRoom(c.id, "lobby", "/admin");

      server.broadcast("all", { n: 1 });
      for (const k of [a, b, c]) expect(await k.client.next()).toEqual({ event: "all", data: { n: 1 } });

      server.broadcast("ns", {}, "/admin");
      expect((await c.client.next()).event).toBe("ns");
      server.broadcastToNamespace("ns2", {}, "/admin");
      expect((await c.client.next()).event).toBe("ns2");

      // v3 order (namespace, room) and docs order (room, namespace) reach the same room
      server.broadcastToRoom("room.v3", {}, "/admin", "lobby");
      expect((await c.client.next()).event).toBe("room.v3");
      server.broadcastToRoomClients("room.docs", {}, "lobby", "/admin");
      expect((await c.client.next()).event).toBe("room.docs");
      server.broadcast("room.bc", {}, "/", "lobby");
      expect((await a.client.next()).event).toBe("room.bc");

      server.broadcastTo("to", { only: true }, [a.id, c.id, "not-a-client"]);
      expect((await a.client.next()).event).toBe("to");
      expect((await c.client.next()).event).toBe("to");
      server.broadcastExcept("except", {}, [a.id]);
      expect((await b.client.next()).event).toBe("except");
      expect((await c.client.next()).event).toBe("except");

      for (const k of [a, b, c]) expect(await k.client.nothingPending()).toBeUndefined();
    });

    test("sendRaw sends the exact text; emit to an unknown id is a no-op", async () => {
      const server = (await serve()).register(WhoAmI);
      const a = await connectKnown(fx);
      server.sendRaw(a.id, '{"event":"raw","data":{"x":[1,2]}}');
      expect(await a.client.nextRaw()).toBe('{"event":"raw","data":{"x":[1,2]}}');
      server.emit("nobody", "x", {});
      expect(() => server.sendRaw(a.id, { not: "a string" } as unknown as string)).toThrow("sendRaw: expected a JSON string");
      expect(await a.client.nothingPending()).toBeUndefined();
    });

    test("rooms and namespaces: joinRoom/leaveRoom default to /, leaveAllRooms, joinNamespace/leaveNamespace", async () => {
      const server = (await serve()).register(WhoAmI);
      const a = await connectKnown(fx);
      const b = await connectKnown(fx);
      server.joinRoom(a.id, "lobby");
      server.joinRoom(b.id, "lobby", "/");
      server.joinRoom(a.id, "ops", "/admin");
      expect(Object.keys(await server.getClientsInRoom("lobby")).sort()).toEqual([a.id, b.id].sort());
      expect(await server.getClientsInRoom("ops", "/admin")).toEqual({ [a.id]: a.id });
      expect((await server.getRooms()).sort()).toEqual(["lobby"]);
      expect(await server.getRooms("/admin")).toEqual(["ops"]);
      expect((await server.getClientRooms(a.id)).sort()).toEqual(["lobby", "ops"]);
      server.leaveRoom(b.id, "lobby");
      server.leaveRoom(b.id, "never-joined");
      expect(Object.keys(await server.getClientsInRoom("lobby"))).toEqual([a.id]);
      server.leaveAllRooms(a.id);
      expect(await server.getClientRooms(a.id)).toEqual([]);
      expect(await server.getRooms()).toEqual([]);

      server.joinRoom(a.id, "lobby");
      server.joinNamespace(a.id, "/game");
      expect(await server.getClientNamespace(a.id)).toBe("/game");
      expect(await server.getClientRooms(a.id)).toEqual([]);
      expect(await server.getClientsInNamespace("/game")).toEqual({ [a.id]: a.id });
      expect(await server.getClientsInNamespace()).toEqual({ [b.id]: b.id });
      server.leaveNamespace(a.id);
      expect(await server.getClientNamespace(a.id)).toBe("/");
      expect(() => server.joinRoom(a.id, "")).toThrow('Invalid room name: ""');
      expect(() => server.joinNamespace(a.id, 5 as unknown as string)).toThrow("Invalid namespace name: 5");
    });

    test("client data: putData/data/allData/hasData/forgetData share storage with setClientData/getClientData", async () => {
      const server = (await serve()).register(WhoAmI);
      const a = await connectKnown(fx);
      server.putData(a.id, "nick", "ada");
      server.setClientData(a.id, "role", "admin");
      expect(await server.data(a.id, "nick")).toBe("ada");
      expect(await server.getClientData(a.id, "role")).toBe("admin");
      expect(await server.data(a.id, "missing")).toBeNull();
      expect({ ...((await server.allData(a.id)) as object) }).toEqual({ nick: "ada", role: "admin" });
      expect(await server.hasData(a.id, "nick")).toBe(true);
      server.forgetData(a.id, "nick");
      expect(await server.hasData(a.id, "nick")).toBe(false);
      server.forgetData(a.id);
      expect({ ...((await server.allData(a.id)) as object) }).toEqual({});
      expect(await server.allData("unknown")).toBeNull();
    });

    test("queries: ids, counts, type, address, uptime and stats", async () => {
      const server = (await serve()).register(WhoAmI);
      const a = await connectKnown(fx);
      const b = await connectKnown(fx);
      expect((await server.getClientIds()).sort()).toEqual([a.id, b.id].sort());
      expect(await server.getAllClients()).toEqual({ [a.id]: a.id, [b.id]: b.id });
      expect(await server.getClientCount()).toBe(2);
      expect(await server.isConnected(a.id)).toBe(true);
      expect(await server.isClientConnected("nope")).toBe(false);
      expect(await server.getClientType(a.id)).toBe("ws");
      expect(await server.getClientType("nope")).toBeNull();
      expect(await server.getClientIp(a.id)).toBe("127.0.0.1");
      expect(Number.isInteger(server.getUptime())).toBe(true);
      server.joinRoom(a.id, "r");
      expect(await server.getServerStats()).toMatchObject({ clients: 2, rooms: 1, namespaces: 1 });
    });

    test("the welcome sees type ws and the peer address on every runtime", async () => {
      (await serve()).register(WhoAmI);
      const client = await fx.connect();
      const welcome = await client.nextEvent("welcome");
      expect(welcome.data).toMatchObject({ type: "ws", ip: "127.0.0.1" });
    });

    test("disconnect(id, code, reason): the client sees them, @OnDisconnect runs, state is freed", async () => {
      const server = (await serve()).register(WhoAmI, V3Controller);
      const a = await connectKnown(fx);
      const b = await connectKnown(fx);
      a.client.emit("v3.enter", { room: "lobby", nick: "ada" });
      a.client.emit("v3.kick", { code: 4321, reason: "bye now" });
      expect(await a.client.closed).toEqual({ code: 4321, reason: "bye now" });
      expect((await b.client.nextEvent("gone")).data).toEqual({ clientId: a.id, rooms: ["lobby"], nick: "ada" });
      expect(await server.getClientCount()).toBe(1);
      expect(await server.getRooms()).toEqual([]);
      expect(await server.allData(a.id)).toBeNull();
      expect(() => server.disconnect(b.id, 1006)).toThrow("disconnect: invalid close code 1006");
      expect(() => server.disconnect(b.id, 4000, "x".repeat(124))).toThrow("close reason must be a string of at most 123");
      expect(await b.client.nothingPending()).toBeUndefined();
    });

    test("controllers reach the v3 names through this: rooms, data, namespaces and broadcastExcept", async () => {
      (await serve()).register(WhoAmI, V3Controller);
      const a = await connectKnown(fx);
      const b = await connectKnown(fx);
      a.client.emit("v3.enter", { room: "blue", namespace: "/team", nick: "ada" });
      a.client.emit("v3.who", {}, 1);
      expect((await a.client.nextEvent("ack")).data).toEqual({
        id: 1,
        result: { connected: true, namespace: "/team", rooms: ["blue"], nick: "ada", hasNick: true },
      });
      b.client.emit("v3.except", { text: "hi" });
      expect(await a.client.next()).toEqual({ event: "shout", data: { text: "hi" } });
      expect(await b.client.nothingPending()).toBeUndefined();
    });
  });
}
