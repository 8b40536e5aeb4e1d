import { readFile } from "node:fs/promises";
import { SockeonServer, SocketController, SocketOn } from "../../src/index.ts";
import { describe, expect, test } from "../support/test.ts";
import { fakeClient, fakeServer, flushed } from "./fake-server.ts";

/** Every method of the shared API, read from the class chain both SockeonServer and SocketController extend. */
function apiNames(): string[] {
  const names = new Set<string>();
  const base = Object.getPrototypeOf(SocketController.prototype);
  for (let proto = base; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto))
    for (const name of Object.getOwnPropertyNames(proto)) if (name !== "constructor") names.add(name);
  return [...names];
}

describe("Sockeon v3 names and docs names hit one implementation", () => {
  test("server and controller share one API: the same functions, defined once", () => {
    const names = apiNames();
    expect(names.length).toBeGreaterThan(40);
    for (const name of names) {
      const onServer = (SockeonServer.prototype as unknown as Record<string, unknown>)[name];
      const onController = (SocketController.prototype as unknown as Record<string, unknown>)[name];
      expect({ name, same: typeof onServer === "function" && onServer === onController }).toEqual({ name, same: true });
    }
  });

  test("broadcastToRoom(ns, room) and broadcastToRoomClients(room, ns) and broadcast(e, d, ns, room) reach the same room", async () => {
    const server = fakeServer();
    const a = await fakeClient(server);
    const b = await fakeClient(server);
    server.joinRoom(a.id, "lobby", "/x");
    server.broadcastToRoom("v3", 1, "/x", "lobby");
    server.broadcastToRoomClients("docs", 2, "lobby", "/x");
    server.broadcast("bc", 3, "/x", "lobby");
    await flushed();
    expect(a.frames.map((f) => f.event)).toEqual(["v3", "docs", "bc"]);
    expect(b.frames).toEqual([]);
  });

  test("broadcastToNamespace = broadcastToNamespaceClients; joinNamespace = moveClientToNamespace", async () => {
    const server = fakeServer();
    const a = await fakeClient(server);
    const b = await fakeClient(server);
    server.joinNamespace(a.id, "/one");
    server.moveClientToNamespace(b.id, "/one");
    expect(await server.getClientsInNamespace("/one")).toEqual({ [a.id]: a.id, [b.id]: b.id });
    server.broadcastToNamespace("v3", {}, "/one");
    server.broadcastToNamespaceClients("docs", {}, "/one");
    await flushed();
    for (const c of [a, b]) expect(c.frames.map((f) => f.event)).toEqual(["v3", "docs"]);
  });

  test("putData/data/allData/hasData/forgetData and setClientData/getClientData share one store", async () => {
    const server = fakeServer();
    const a = await fakeClient(server);
    server.putData(a.id, "k", 1);
    expect(await server.getClientData(a.id, "k")).toBe(1);
    server.setClientData(a.id, "k", 2);
    expect(await server.data(a.id, "k")).toBe(2);
    expect({ ...((await server.allData(a.id)) as object) }).toEqual({ ...((await server.getClientData(a.id)) as object) });
    expect(await server.hasData(a.id, "k")).toBe(true);
    server.forgetData(a.id, "k");
    expect(await server.getClientData(a.id, "k")).toBeNull();
  });

  test("isConnected = isClientConnected; getClientIds = keys of getAllClients", async () => {
    const server = fakeServer();
    const a = await fakeClient(server);
    expect(await server.isConnected(a.id)).toBe(await server.isClientConnected(a.id));
    expect(await server.isConnected("nope")).toBe(false);
    expect(await server.getClientIds()).toEqual(Object.keys(await server.getAllClients()));
  });

  test("a controller's methods are the server's: same arguments, same effect", async () => {
    class Probe extends SocketController {}
    const server = fakeServer();
    const controller = new Probe();
    server.register(controller);
    const a = await fakeClient(server);
    controller.putData(a.id, "via", "controller");
    expect(await server.data(a.id, "via")).toBe("controller");
    controller.to("r").emit("nobody", {});
    controller.disconnect(a.id, 4001, "done");
    expect(a.closed).toEqual({ code: 4001, reason: "done" });
    expect(await controller.isConnected(a.id)).toBe(false);
  });

  test("every API name, v3 and builder names included, is protected from handler shadowing", () => {
    for (const name of [...apiNames(), "server"]) {
      class Shadowing extends SocketController {
        @SocketOn("some.event")
        [name](): void {}
      }
      expect(() => fakeServer().register(new Shadowing())).toThrow(`it shadows SocketController.${name}`);
    }
  });

  test("the API page (docs/controllers-and-api.md) maps every API name", async () => {
    const doc = await readFile(new URL("../../docs/controllers-and-api.md", import.meta.url), "utf8");
    for (const name of apiNames()) expect({ name, listed: doc.includes(`\`${name}`) }).toEqual({ name, listed: true });
  });
});
