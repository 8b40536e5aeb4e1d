/** Every behaviour of Sockeon's "Connection Management" docs page, through the example's controllers. */
import { connectionManagementControllers } from "../../../examples/controllers/connection-management.ts";
import { describe, expect, test } from "../../support/test.ts";
import type { TestClient } from "../support/client.ts";
import type { Fixture } from "../support/fixture.ts";

export function docsPageScenarios(fx: Fixture): void {
  const { serve, connect, setup } = fx;

  /** Connects to the docs-page example server and reads its welcome frame. */
  async function docsClient(): Promise<{ client: TestClient; id: string }> {
    const client = await connect();
    const welcome = await client.nextEvent("welcome");
    expect(welcome.data.message).toBe("Welcome to the server!");
    return { client, id: welcome.data.clientId };
  }

  describe(`${setup.name}: connection management docs page`, () => {
    test("welcome and user.connected reach the new client; others get user.connected", async () => {
      (await serve()).register(...connectionManagementControllers);
      const a = await docsClient();
      expect((await a.client.next()).event).toBe("user.connected");
      const b = await docsClient();
      const joined = await b.client.next();
      expect(joined).toEqual({ event: "user.connected", data: { clientId: b.id, timestamp: joined.data.timestamp } });
      expect(Number.isInteger(joined.data.timestamp)).toBe(true);
      expect(await a.client.next()).toEqual(joined);
      expect(a.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(a.id).not.toBe(b.id);
    });

    test("client.info and server.stats", async () => {
      (await serve()).register(...connectionManagementControllers);
      const a = await docsClient();
      const b = await docsClient();
      b.client.emit("client.info");
      expect(await b.client.nextEvent("client.info")).toEqual({
        event: "client.info",
        data: { id: b.id, type: "ws", connected: true },
      });
      b.client.emit("server.stats");
      const stats = await b.client.nextEvent("server.stats");
      expect(stats.data.total_clients).toBe(2);
      expect([...stats.data.client_ids].sort()).toEqual([a.id, b.id].sort());
    });

    test("user.update then user.info, with connected_at from OnConnect", async () => {
      (await serve()).register(...connectionManagementControllers);
      const a = await docsClient();
      a.client.emit("user.info");
      const before = await a.client.nextEvent("user.info");
      expect(before.data.name).toBeNull();
      expect(before.data.email).toBeNull();
      a.client.emit("user.update", { name: "Ada", email: "ada@example.com" });
      expect(await a.client.nextEvent("user.updated")).toEqual({
        event: "user.updated",
        data: { name: "Ada", email: "ada@example.com" },
      });
      a.client.emit("user.info");
      const info = await a.client.nextEvent("user.info");
      expect(info.data.name).toBe("Ada");
      expect(info.data.email).toBe("ada@example.com");
      expect(Number.isInteger(info.data.connected_at)).toBe(true);
    });

    test("namespace.join / namespace.leave, and Namespace is required", async () => {
      const server = (await serve()).register(...connectionManagementControllers);
      const a = await docsClient();
      a.client.emit("namespace.join", {});
      expect(await a.client.nextEvent("error")).toEqual({ event: "error", data: { message: "Namespace is required" } });
      a.client.emit("namespace.join", { namespace: "/admin" });
      expect(await a.client.nextEvent("namespace.joined")).toEqual({ event: "namespace.joined", data: { namespace: "/admin" } });
      expect(await server.getClientNamespace(a.id)).toBe("/admin");
      expect(Object.keys(await server.getClientsInNamespace("/admin"))).toEqual([a.id]);
      a.client.emit("namespace.leave");
      expect(await a.client.nextEvent("namespace.left")).toEqual({
        event: "namespace.left",
        data: { message: "Left namespace" },
      });
      expect(await server.getClientNamespace(a.id)).toBe("/");
      expect(await server.getClientsInNamespace("/admin")).toEqual({});
    });

    test("room.join/room.leave notify exactly the room's current members, sender included", async () => {
      const server = (await serve()).register(...connectionManagementControllers);
      const a = await docsClient();
      const b = await docsClient();
      const outsider = await docsClient();
      // user.connected frames: a sees 3, b sees 2, the outsider 1
      for (const [c, n] of [
        [a, 3],
        [b, 2],
        [outsider, 1],
      ] as const) {
        for (let i = 0; i < n; i++) await c.client.nextEvent("user.connected");
      }

      a.client.emit("room.join", { room: "lobby" });
      expect(await a.client.next()).toEqual({ event: "room.joined", data: { room: "lobby" } });
      expect(await a.client.next()).toEqual({ event: "room.user_joined", data: { clientId: a.id, room: "lobby" } });
      b.client.emit("room.join", { room: "lobby" });
      expect(await b.client.next()).toEqual({ event: "room.joined", data: { room: "lobby" } });
      const bJoined = { event: "room.user_joined", data: { clientId: b.id, room: "lobby" } };
      expect(await b.client.next()).toEqual(bJoined);
      expect(await a.client.next()).toEqual(bJoined);
      expect(Object.keys(await server.getClientsInRoom("lobby")).sort()).toEqual([a.id, b.id].sort());

      b.client.emit("room.leave", { room: "lobby" });
      expect(await b.client.next()).toEqual({ event: "room.left", data: { room: "lobby" } });
      expect(await a.client.next()).toEqual({ event: "room.user_left", data: { clientId: b.id, room: "lobby" } });
      expect(await b.client.nothingPending()).toBeUndefined();
      expect(await outsider.client.nothingPending()).toBeUndefined();
      expect(await a.client.nothingPending()).toBeUndefined();
    });

    test("Room is required, for both room events", async () => {
      (await serve()).register(...connectionManagementControllers);
      const a = await docsClient();
      for (const event of ["room.join", "room.leave"]) {
        a.client.emit(event, { room: "" });
        expect(await a.client.nextEvent("error")).toEqual({ event: "error", data: { message: "Room is required" } });
      }
    });

    test("a disconnecting client is announced, leaves its rooms and its data is freed", async () => {
      const server = (await serve()).register(...connectionManagementControllers);
      const a = await docsClient();
      const b = await docsClient();
      b.client.emit("room.join", { room: "r" });
      await b.client.nextEvent("room.user_joined");
      await b.client.close();
      const gone = await a.client.nextEvent("user.disconnected");
      expect(gone.data.clientId).toBe(b.id);
      expect(await server.getClientCount()).toBe(1);
      expect(await server.isClientConnected(b.id)).toBe(false);
      expect(await server.getClientsInRoom("r")).toEqual({});
      expect(await server.getRooms()).toEqual([]);
      expect(await server.getClientData(b.id, "status")).toBeNull();
    });
  });
}
