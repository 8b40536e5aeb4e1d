/** Sockeon's built-in `join_room`/`leave_room` events. */

import { describe, expect, test } from "../../support/test.ts";
import type { Fixture } from "../support/fixture.ts";
import { ProbeController } from "./probe-controller.ts";

export function systemRoomScenarios(fx: Fixture): void {
  const { serve, connect, setup } = fx;

  describe(`${setup.name}: built-in room events`, () => {
    test("join_room / leave_room, with namespaces kept apart", async () => {
      const server = (await serve()).register(new ProbeController());
      const a = await connect();
      a.emit("join_room", { room: "lobby" });
      const joined = await a.next();
      expect(joined).toEqual({ event: "room_joined", data: { room: "lobby", namespace: "/", timestamp: joined.data.timestamp } });
      a.emit("join_room", { room: "lobby", namespace: "/admin" });
      expect((await a.next()).data.namespace).toBe("/admin");
      expect(Object.keys(await server.getClientsInRoom("lobby"))).toEqual(Object.keys(await server.getAllClients()));
      a.emit("leave_room", { room: "lobby" });
      expect((await a.next()).event).toBe("room_left");
      expect(await server.getClientsInRoom("lobby")).toEqual({});
      expect(await server.getRooms("/admin")).toEqual(["lobby"]);
      a.emit("join_room", { room: "" });
      expect((await a.next()).data).toMatchObject({ message: "Invalid room name", event: "join_room" });
      a.emit("join_room", { room: "x", namespace: 5 });
      expect((await a.next()).data).toMatchObject({ message: "Invalid namespace", event: "join_room" });
    });

    test("registerSystemControllers: false removes them", async () => {
      (await serve({ registerSystemControllers: false })).register(new ProbeController());
      const a = await connect();
      a.emit("join_room", { room: "lobby" });
      expect((await a.next()).data.message).toBe("Event 'join_room' does not exist");
    });
  });
}
