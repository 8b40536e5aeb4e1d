/**
 * Bounded state per client through a real socket: name length and printability, rooms per client, event-name
 * length, client data set by handlers; over each bound the request gets an error frame naming it, the client
 * stays connected, and what a client triggers is not echoed or logged at full length or rate.
 */
import { type ErrorContext, Sanitizer, SocketController, SocketOn } from "../../../src/index.ts";
import { describe, expect, test } from "../../support/test.ts";
import type { TestClient } from "../support/client.ts";
import type { Fixture } from "../support/fixture.ts";
import { rawUpgrade } from "../support/raw-socket.ts";
import { recordLogs } from "../support/servers.ts";

class DataController extends SocketController {
  @SocketOn("sanitize")
  sanitize(_clientId: string, data: { text: string }): string {
    return Sanitizer.string(data.text);
  }

  @SocketOn("data.set")
  set(clientId: string, data: { key: string; value: unknown }): boolean {
    this.setClientData(clientId, data.key, data.value);
    return true;
  }
}

/** The connection is still served: a ping gets its pong next. */
async function usable(client: TestClient): Promise<void> {
  client.emit("sockeon.ping", {});
  expect((await client.next()).event).toBe("sockeon.pong");
}

export function boundScenarios(fx: Fixture): void {
  const { serve, connect, setup } = fx;

  describe(`${setup.name}: bounded state per client`, () => {
    test("room and namespace names: over 256 bytes, control characters or lone surrogates get an error frame naming the bound", async () => {
      const server = await serve();
      const a = await connect();
      const long = "é".repeat(129); // 258 bytes in 129 characters
      for (const [data, message] of [
        [{ room: long }, "Invalid room name: longer than 256 bytes (maxNameLength)"],
        [{ room: "x", namespace: `/${"n".repeat(256)}` }, "Invalid namespace name: longer than 256 bytes (maxNameLength)"],
        [{ room: "a\u0000b" }, "Invalid room name: control characters or lone surrogates are not allowed"],
        [{ room: "a\nb" }, "Invalid room name: control characters or lone surrogates are not allowed"],
        [{ room: "a\ud800b" }, "Invalid room name: control characters or lone surrogates are not allowed"],
      ] as const) {
        a.emit("join_room", data);
        expect((await a.next()).data).toMatchObject({ message, event: "join_room" });
      }
      a.emit("leave_room", { room: long });
      expect((await a.next()).data).toMatchObject({ message: "Invalid room name: longer than 256 bytes (maxNameLength)" });
      expect(await server.getRooms()).toEqual([]);
      a.emit("join_room", { room: "é".repeat(128) });
      expect((await a.next()).event).toBe("room_joined");
      await usable(a);
    });

    test("maxRoomsPerClient: one join over the bound gets an error frame; rejoining and leaving still work", async () => {
      const server = await serve({ maxRoomsPerClient: 3 });
      const a = await connect();
      for (const room of ["r1", "r2", "r3"]) {
        a.emit("join_room", { room, namespace: room === "r3" ? "/other" : "/" });
        expect((await a.next()).event).toBe("room_joined");
      }
      a.emit("join_room", { room: "r4" });
      expect((await a.next()).data).toMatchObject({
        message: "Room limit reached: at most 3 rooms per client (maxRoomsPerClient)",
        event: "join_room",
      });
      a.emit("join_room", { room: "r1" });
      expect((await a.next()).event).toBe("room_joined");
      a.emit("leave_room", { room: "r2" });
      expect((await a.next()).event).toBe("room_left");
      a.emit("join_room", { room: "r4" });
      expect((await a.next()).event).toBe("room_joined");
      expect((await server.getRooms()).sort()).toEqual(["r1", "r4"]);
      await usable(a);
    });

    test("event names over 256 bytes are refused; unknown events are echoed and logged clipped, at a bounded rate", async () => {
      const logs = recordLogs();
      await serve({ logger: logs.logger });
      const a = await connect();
      a.send(JSON.stringify({ event: "e".repeat(257), data: {} }));
      expect((await a.next()).data.message).toBe("Message validation failed: Event name longer than 256 bytes (maxNameLength)");
      const name = "u".repeat(200);
      for (let i = 0; i < 50; i++) a.emit(name, {});
      for (let i = 0; i < 50; i++)
        expect((await a.next()).data.message).toBe(`Event '${"u".repeat(64)}…(200 chars)' does not exist`);
      await usable(a);
      const unknown = logs.lines.filter((line) => line.message.startsWith("Unknown event"));
      expect(unknown.length).toBe(5);
      expect(unknown.every((line) => line.message.length < 200)).toBe(true);
    });

    test("client data over maxClientDataKeys or maxClientDataBytes: the handler's error frame names the bound, onError sees it", async () => {
      const errors: Array<{ error: unknown; context: ErrorContext }> = [];
      const server = (
        await serve({
          maxClientDataKeys: 2,
          maxClientDataBytes: 100,
          onError: (error, context) => errors.push({ error, context }),
        })
      ).register(DataController);
      const a = await connect();
      a.emit("data.set", { key: "a", value: 1 }, 1);
      a.emit("data.set", { key: "b", value: 2 }, 2);
      expect((await a.next()).data).toEqual({ id: 1, result: true });
      expect((await a.next()).data).toEqual({ id: 2, result: true });
      a.emit("data.set", { key: "c", value: 3 }, 3);
      expect((await a.next()).data).toMatchObject({
        id: 3,
        message: "Client data limit reached: at most 2 keys per client (maxClientDataKeys)",
      });
      a.emit("data.set", { key: "a", value: "x".repeat(100) }, 4);
      expect((await a.next()).data).toMatchObject({
        id: 4,
        message: "Client data limit reached: at most 100 bytes per client (maxClientDataBytes)",
      });
      expect(errors.map((e) => [(e.error as Error).name, e.context.event])).toEqual([
        ["LimitError", "data.set"],
        ["LimitError", "data.set"],
      ]);
      const id = Object.keys(await server.getAllClients())[0] as string;
      expect(await server.getClientData(id, "a")).toBe(1);
      await usable(a);
    });

    test("rateLimit.maxGlobalConnections and rateLimit.maxConnectionsPerIp are enforced when rateLimit is enabled", async () => {
      await serve({ rateLimit: { enabled: true, maxGlobalConnections: 2, maxConnectionsPerIp: 1 } });
      await connect();
      const perIp = await rawUpgrade(fx.served.port);
      expect([perIp.status, perIp.body]).toEqual([429, "Too many connections from this address"]);
      await fx.restart({ trustProxy: true, rateLimit: { enabled: true, maxGlobalConnections: 1, maxConnectionsPerIp: 5 } });
      const first = await rawUpgrade(fx.served.port, { headers: { "X-Forwarded-For": "203.0.113.1" } });
      const second = await rawUpgrade(fx.served.port, { headers: { "X-Forwarded-For": "203.0.113.2" } });
      first.ws?.destroy();
      expect([first.status, second.status, second.body]).toEqual([101, 503, "Connection limit reached"]);
    });

    test("Sanitizer.string strips tags as PHP's strip_tags does: a script's text stays (Sockeon's own test)", async () => {
      (await serve()).register(DataController);
      const a = await connect();
      a.emit("sanitize", { text: "<script>alert('xss')</script>John Doe" }, 1);
      expect((await a.next()).data).toEqual({ id: 1, result: "alert('xss')John Doe" });
    });

    test("unknown events and refused frames count against the client's message rate limit", async () => {
      (await serve({ rateLimit: { enabled: true, maxWebSocketMessagesPerClient: 5, burstAllowance: 0 } })).register(
        DataController,
      );
      const a = await connect();
      for (let i = 0; i < 3; i++) a.emit("nope", {});
      for (let i = 0; i < 2; i++) a.send("{not json");
      for (let i = 0; i < 5; i++) expect((await a.next()).event).toBe("error");
      a.emit("sanitize", { text: "x" }, 1);
      expect(await a.next()).toMatchObject({ event: "rate_limit_exceeded", data: { type: "global", id: 1 } });
    });
  });
}
