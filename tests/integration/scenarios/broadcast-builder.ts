/** The immutable broadcast builder: `to(room).in(namespace).except(id).emit(event, data)`. */
import { describe, expect, test } from "../../support/test.ts";
import type { Fixture } from "../support/fixture.ts";
import { connectKnown, V3Controller, WhoAmI } from "./realtime-controller.ts";

export function broadcastBuilderScenarios(fx: Fixture): void {
  const { serve, setup } = fx;

  describe(`${setup.name}: broadcast builder`, () => {
    test("to(room) reaches the room of /, except() leaves the sender out, from a controller", async () => {
      (await serve()).register(WhoAmI, V3Controller);
      const a = await connectKnown(fx);
      const b = await connectKnown(fx);
      const outsider = await connectKnown(fx);
      // acks sequence the joins before the broadcast: frames of different sockets have no mutual order
      a.client.emit("v3.enter", { room: "lobby" }, 1);
      b.client.emit("v3.enter", { room: "lobby" }, 2);
      expect((await a.client.next()).event).toBe("ack");
      expect((await b.client.next()).event).toBe("ack");
      a.client.emit("v3.say", { room: "lobby", text: "hello" });
      expect(await b.client.next()).toEqual({ event: "chat.message", data: { text: "hello", from: a.id } });
      for (const k of [a, outsider]) expect(await k.client.nothingPending()).toBeUndefined();
    });

    test("in(namespace) alone reaches the namespace; with to() the rooms of that namespace", async () => {
      const server = (await serve()).register(WhoAmI);
      const a = await connectKnown(fx);
      const b = await connectKnown(fx);
      const c = await connectKnown(fx);
      server.joinNamespace(a.id, "/chat");
      server.joinNamespace(b.id, "/chat");
      server.joinRoom(a.id, "lobby", "/chat");
      server.joinRoom(c.id, "lobby");
      server.in("/chat").emit("ns.only", {});
      expect((await a.client.next()).event).toBe("ns.only");
      expect((await b.client.next()).event).toBe("ns.only");
      server.to("lobby").in("/chat").emit("room.in.ns", {});
      expect((await a.client.next()).event).toBe("room.in.ns");
      server.to("lobby").emit("room.default.ns", {});
      expect((await c.client.next()).event).toBe("room.default.ns");
      server.except(b.id).emit("everyone.but.b", {});
      expect((await a.client.next()).event).toBe("everyone.but.b");
      expect((await c.client.next()).event).toBe("everyone.but.b");
      for (const k of [a, b, c]) expect(await k.client.nothingPending()).toBeUndefined();
    });

    test("several rooms reach each member once; a kept partial builder is not changed by later calls", async () => {
      const server = (await serve()).register(WhoAmI);
      const a = await connectKnown(fx);
      const b = await connectKnown(fx);
      server.joinRoom(a.id, "r1");
      server.joinRoom(a.id, "r2");
      server.joinRoom(b.id, "r2");
      const both = server.to("r1", "r2");
      const withoutB = both.except(b.id);
      both.emit("once", { n: 1 });
      expect(await a.client.next()).toEqual({ event: "once", data: { n: 1 } });
      expect(await b.client.next()).toEqual({ event: "once", data: { n: 1 } });
      withoutB.emit("once", { n: 2 });
      expect(await a.client.next()).toEqual({ event: "once", data: { n: 2 } });
      both.emit("once", { n: 3 });
      expect((await b.client.next()).data).toEqual({ n: 3 });
      expect((await a.client.next()).data).toEqual({ n: 3 });
      for (const k of [a, b]) expect(await k.client.nothingPending()).toBeUndefined();
      expect(() => server.to("")).toThrow('Invalid room name: ""');
      expect(() => server.in("")).toThrow('Invalid namespace name: ""');
    });
  });
}
