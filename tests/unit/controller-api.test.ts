/**
 * The SocketController API on a real server with fake connections (no network): delivery, rooms, namespaces,
 * client data, query shapes, lifecycle handlers and cleanup.
 */
import {
  createServer,
  OnConnect,
  OnDisconnect,
  type ServerOptions,
  type SockeonServer,
  SocketController,
  SocketOn,
} from "../../src/index.ts";
import { connectFake, type FakeClient } from "../support/fake-connection.ts";
import { describe, expect, test } from "../support/test.ts";

function quietServer(options: ServerOptions = {}): { server: SockeonServer; errors: unknown[][] } {
  const errors: unknown[][] = [];
  const server = createServer({
    port: 0,
    logger: {},
    onError: (error, context) => void errors.push([error, context]),
    ...options,
  });
  return { server, errors };
}

class Api extends SocketController {
  @SocketOn("echo")
  echo(clientId: string, data: unknown): void {
    this.emit(clientId, "echo", data);
  }

  @SocketOn("boom")
  boom(): void {
    throw new Error("handler failed");
  }
}

async function clients(server: SockeonServer, n: number): Promise<FakeClient[]> {
  const out: FakeClient[] = [];
  for (let i = 0; i < n; i++) out.push(await connectFake(server));
  return out;
}

describe("controller API with fake connections", () => {
  test("client ids are unguessable, URL-safe 128-bit strings", async () => {
    const { server } = quietServer();
    const ids = (await clients(server, 20)).map((c) => c.id);
    expect(new Set(ids).size).toBe(20);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  test("emit reaches one client; broadcast reaches every client in every namespace, sender included", async () => {
    const { server } = quietServer();
    const api = new Api();
    server.register(api);
    const [a, b, c] = (await clients(server, 3)) as [FakeClient, FakeClient, FakeClient];
    api.moveClientToNamespace(c.id, "/admin");
    api.emit(a.id, "direct", { n: 1 });
    expect(await a.next()).toEqual({ event: "direct", data: { n: 1 } });
    expect(await b.nothingPending()).toBeUndefined();
    api.broadcast("all", [1]);
    for (const client of [a, b, c]) expect(await client.next()).toEqual({ event: "all", data: [1] });
    api.emit("nobody", "direct", {});
  });

  test("room broadcasts reach exactly the room's members in that namespace", async () => {
    const { server } = quietServer();
    const api = new Api();
    server.register(api);
    const [a, b, c, d] = (await clients(server, 4)) as [FakeClient, FakeClient, FakeClient, FakeClient];
    api.joinRoom(a.id, "lobby");
    api.joinRoom(b.id, "lobby", "/");
    api.moveClientToNamespace(d.id, "/game");
    api.joinRoom(d.id, "lobby", "/game");
    api.broadcastToRoomClients("room.msg", { text: "hi" }, "lobby");
    expect(await a.next()).toEqual({ event: "room.msg", data: { text: "hi" } });
    expect(await b.next()).toEqual({ event: "room.msg", data: { text: "hi" } });
    expect(await c.nothingPending()).toBeUndefined();
    expect(await d.nothingPending()).toBeUndefined();
    api.broadcastToRoom("game.msg", {}, "/game", "lobby");
    expect((await d.next()).event).toBe("game.msg");
    expect(await a.nothingPending()).toBeUndefined();
    api.leaveRoom(a.id, "lobby");
    api.leaveRoom(a.id, "never-joined");
    api.broadcastToRoomClients("room.msg", 2 as never, "lobby");
    expect(await a.nothingPending()).toBeUndefined();
    expect((await b.next()).event).toBe("room.msg");
    expect(Object.keys(await api.getClientsInRoom("lobby"))).toEqual([b.id]);
  });

  test("namespace broadcasts; moving namespace leaves the old one and every room", async () => {
    const { server } = quietServer();
    const api = new Api();
    server.register(api);
    const [a, b] = (await clients(server, 2)) as [FakeClient, FakeClient];
    expect(await api.getClientNamespace(a.id)).toBe("/");
    api.joinRoom(a.id, "r1");
    api.joinRoom(a.id, "r2", "/other");
    api.moveClientToNamespace(a.id, "/admin");
    expect(await api.getClientNamespace(a.id)).toBe("/admin");
    expect(await api.getClientRooms(a.id)).toEqual([]);
    expect(await api.getRooms()).toEqual([]);
    api.broadcastToNamespaceClients("ns.msg", {}, "/admin");
    expect((await a.next()).event).toBe("ns.msg");
    expect(await b.nothingPending()).toBeUndefined();
    api.moveClientToNamespace(a.id);
    expect(await api.getClientNamespace(a.id)).toBe("/");
    expect(Object.keys(await api.getClientsInNamespace()).sort()).toEqual([a.id, b.id].sort());
    expect(Object.keys(await api.getClientsInNamespace("/admin"))).toEqual([]);
  });

  test("queries resolve to Sockeon's shapes", async () => {
    const { server } = quietServer();
    const api = new Api();
    server.register(api);
    const [a, b] = (await clients(server, 2)) as [FakeClient, FakeClient];
    const all = await api.getAllClients();
    expect(Object.getPrototypeOf(all)).toBeNull();
    expect(all).toEqual({ [a.id]: a.id, [b.id]: b.id });
    expect(await api.getClientCount()).toBe(2);
    expect(await api.isClientConnected(a.id)).toBe(true);
    expect(await api.isClientConnected("nobody")).toBe(false);
    expect(await api.getClientType(a.id)).toBe("ws");
    expect(await api.getClientType("nobody")).toBeNull();
    expect(await api.getClientIp(a.id)).toBe("127.0.0.1");
    const stats = await api.getServerStats();
    expect(stats).toMatchObject({ clients: 2, rooms: 0, namespaces: 1 });
    expect(Number.isInteger(stats.uptime)).toBe(true);
  });

  test("client data: missing keys are null, all data is a record, unknown clients are null", async () => {
    const { server } = quietServer();
    const api = new Api();
    server.register(api);
    const [a] = (await clients(server, 1)) as [FakeClient];
    expect(await api.getClientData(a.id, "name")).toBeNull();
    expect(await api.getClientData(a.id)).toEqual({});
    api.setClientData(a.id, "name", "Ada");
    api.setClientData(a.id, "score", 0);
    expect(await api.getClientData(a.id, "name")).toBe("Ada");
    expect(await api.getClientData(a.id)).toEqual({ name: "Ada", score: 0 });
    expect(await api.allData(a.id)).toEqual({ name: "Ada", score: 0 });
    expect(await api.hasData(a.id, "score")).toBe(true);
    api.setClientData("nobody", "name", "x");
    expect(await api.getClientData("nobody")).toBeNull();
    expect(await api.allData("nobody")).toBeNull();
    expect(() => api.setClientData(a.id, 5 as never, 1)).toThrow("setClientData: key must be a string, got 5");
  });

  test("bad room and namespace names throw TypeErrors naming the value", async () => {
    const { server } = quietServer();
    const api = new Api();
    server.register(api);
    const [a] = (await clients(server, 1)) as [FakeClient];
    expect(() => api.joinRoom(a.id, "")).toThrow('Invalid room name: "" (room names are non-empty strings)');
    expect(() => api.joinRoom(a.id, 5 as never)).toThrow("Invalid room name: 5");
    expect(() => api.moveClientToNamespace(a.id, null as never)).toThrow("Invalid namespace name: null");
    expect(() => api.broadcastToRoomClients("e", {}, "r", "")).toThrow('Invalid namespace name: ""');
    api.joinRoom(a.id, "0");
    expect(await api.getClientRooms(a.id)).toEqual(["0"]);
  });

  test("every @OnConnect of every controller runs in registration order; @OnDisconnect sees rooms and data", async () => {
    const seen: unknown[] = [];
    class First extends SocketController {
      @OnConnect
      one(clientId: string): void {
        seen.push(["first", clientId]);
        this.setClientData(clientId, "name", "Ada");
        this.joinRoom(clientId, "lobby");
      }
    }
    class Second extends SocketController {
      @OnConnect
      two(clientId: string): void {
        seen.push(["second", clientId]);
      }

      @OnDisconnect
      async bye(clientId: string): Promise<void> {
        seen.push([
          "bye",
          await this.getClientData(clientId, "name"),
          await this.getClientData(clientId),
          await this.allData(clientId),
          await this.getClientRooms(clientId),
          await this.getClientNamespace(clientId),
          await this.isClientConnected(clientId),
        ]);
      }
    }
    const { server } = quietServer();
    server.register(new First(), Second);
    const a = await connectFake(server);
    expect(seen).toEqual([
      ["first", a.id],
      ["second", a.id],
    ]);
    server.disconnect(a.id, 1000);
    // the disconnect handler is async: wait for its effect, then for the cleanup behind it
    for (let i = 0; i < 100 && seen.length < 3; i++) await Promise.resolve();
    expect(seen[2]).toEqual(["bye", "Ada", { name: "Ada" }, { name: "Ada" }, ["lobby"], "/", false]);
    for (let i = 0; i < 100 && (await server.getRooms()).length > 0; i++) await Promise.resolve();
    expect(await server.getRooms()).toEqual([]);
    expect(await server.getClientData(a.id)).toBeNull();
    expect(await server.getClientData(a.id, "name")).toBeNull();
    expect(await server.getClientNamespace(a.id)).toBeNull();
    expect(await server.getClientCount()).toBe(0);
  });

  test("a disconnecting client leaves its rooms (deleted when empty) and its data is freed", async () => {
    const { server } = quietServer();
    const api = new Api();
    server.register(api);
    const [a, b] = (await clients(server, 2)) as [FakeClient, FakeClient];
    api.joinRoom(a.id, "solo");
    api.joinRoom(a.id, "shared");
    api.joinRoom(b.id, "shared");
    api.setClientData(a.id, "k", "v");
    a.handle.closed(1000, "");
    expect(await api.getRooms()).toEqual(["shared"]);
    expect(Object.keys(await api.getClientsInRoom("shared"))).toEqual([b.id]);
    expect(await api.getClientData(a.id, "k")).toBeNull();
    expect(await api.isClientConnected(a.id)).toBe(false);
    api.joinRoom(a.id, "solo");
    expect(await api.getRooms()).toEqual(["shared"]);
  });

  test("bad frames and throwing handlers answer an error frame; the session stays open", async () => {
    const { server, errors } = quietServer();
    server.register(new Api());
    const a = await connectFake(server);
    a.send("{nope");
    expect((await a.next()).data.message).toBe("Invalid JSON format: Syntax error");
    a.send({ event: "constructor", data: {} });
    expect((await a.next()).data.message).toBe("Event 'constructor' does not exist");
    a.send({ event: "boom", data: {} });
    expect((await a.next()).data.message).toBe("Internal server error processing message");
    expect(String(errors[0]?.[0])).toBe("Error: handler failed");
    expect(errors[0]?.[1]).toEqual({ source: "handler", clientId: a.id, event: "boom" });
    a.send({ event: "echo", data: { ok: true } });
    expect(await a.next()).toEqual({ event: "echo", data: { ok: true } });
    expect(a.session.state).toBe("open");
  });

  test("a controller not registered with a server says so", () => {
    class Lonely extends SocketController {}
    expect(() => new Lonely().emit("x", "e", {})).toThrow("Lonely is not registered with a server");
  });
});
