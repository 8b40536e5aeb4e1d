/**
 * Sockeon's own JS client protocol (`@sockeon/client` 0.1.1) spoken with a plain WebSocket: the token as
 * `?key=`, `join_room`/`leave_room` with `{room, namespace}`, events both ways, and `error` frames.
 */
import { describe, expect, test } from "../../support/test.ts";
import type { Fixture } from "../support/fixture.ts";
import { connectKnown, V3Controller, WhoAmI } from "./realtime-controller.ts";

export function sockeonJsScenarios(fx: Fixture): void {
  const { serve, setup } = fx;

  describe(`${setup.name}: Sockeon JS client protocol`, () => {
    test("connect with ?key=, join_room, receive room broadcasts, leave_room, error frames", async () => {
      const server = (await serve({ authKey: "token-1" })).register(WhoAmI, V3Controller);
      await expect(fx.connect("?key=nope")).rejects.toThrow("could not connect");
      const a = await connectKnown(fx, "?key=token-1");
      const b = await connectKnown(fx, "?key=token-1&room=ignored");

      a.client.emit("join_room", { room: "lobby", namespace: "/" });
      const joined = await a.client.next();
      expect(joined).toEqual({ event: "room_joined", data: { room: "lobby", namespace: "/", timestamp: joined.data.timestamp } });
      b.client.emit("join_room", { room: "lobby" });
      expect((await b.client.next()).event).toBe("room_joined");

      b.client.emit("v3.say", { room: "lobby", text: "hi from b" });
      expect(await a.client.next()).toEqual({ event: "chat.message", data: { text: "hi from b", from: b.id } });
      server.broadcastToRoomClients("news", { n: 1 }, "lobby");
      expect(await a.client.next()).toEqual({ event: "news", data: { n: 1 } });
      expect(await b.client.next()).toEqual({ event: "news", data: { n: 1 } });

      a.client.emit("leave_room", { room: "lobby", namespace: "/" });
      expect((await a.client.next()).event).toBe("room_left");
      server.broadcastToRoomClients("news", { n: 2 }, "lobby");
      expect((await b.client.next()).data).toEqual({ n: 2 });
      expect(await a.client.nothingPending()).toBeUndefined();

      a.client.emit("join_room", { room: "" });
      expect((await a.client.next()).data).toMatchObject({ message: "Invalid room name", event: "join_room" });
      a.client.emit("no.such.event");
      const error = await a.client.next();
      expect(error).toEqual({
        event: "error",
        data: { message: "Event 'no.such.event' does not exist", timestamp: error.data.timestamp },
      });
    });
  });
}
