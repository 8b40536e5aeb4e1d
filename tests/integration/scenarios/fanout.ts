/**
 * Coalesced fan-out under load: every recipient gets every frame exactly once and in order, nobody else gets
 * any, with broadcasts and direct emits interleaved. Counts are bounded; nothing here measures time.
 */
import { describe, expect, test } from "../../support/test.ts";
import type { TestClient } from "../support/client.ts";
import type { Fixture } from "../support/fixture.ts";
import { FanoutController } from "./fanout-controller.ts";

/** Reads `count` frames of `event` and checks their `i` runs 0..count-1 with nothing else in between. */
async function expectSequence(client: TestClient, event: string, count: number, key = "i"): Promise<void> {
  for (let i = 0; i < count; i++) {
    const frame = await client.next();
    if (frame.event !== event || frame.data[key] !== i) {
      throw new Error(`expected ${event} #${i}, got ${JSON.stringify(frame)}`);
    }
  }
}

async function joinAll(clients: TestClient[], room: string, namespace?: string): Promise<void> {
  for (const c of clients) c.emit("fan.join", namespace ? { room, namespace } : { room });
  for (const c of clients) expect((await c.next()).event).toBe("fan.joined");
}

export function fanoutScenarios(fx: Fixture): void {
  const { serve, connect, setup } = fx;

  describe(`${setup.name}: fan-out under load`, () => {
    test("a burst to a room reaches every member, sender included, once and in order", async () => {
      (await serve()).register(new FanoutController());
      const members = await Promise.all(Array.from({ length: 24 }, () => connect()));
      await joinAll(members, "hall");
      const publisher = members[0] as TestClient;
      const count = 300;
      for (let i = 0; i < count; i++) publisher.emit("fan.say", { room: "hall", i });
      await Promise.all(members.map((c) => expectSequence(c, "fan.msg", count)));
      for (const c of members) expect(await c.nothingPending()).toBeUndefined();
    });

    test("rooms and namespaces keep their recipients apart under interleaved bursts", async () => {
      (await serve()).register(new FanoutController());
      const red = await Promise.all(Array.from({ length: 8 }, () => connect()));
      const blue = await Promise.all(Array.from({ length: 8 }, () => connect()));
      const other = await Promise.all(Array.from({ length: 4 }, () => connect()));
      await joinAll(red, "red");
      await joinAll(blue, "blue");
      await joinAll(other, "red", "/other");
      const publisher = await connect();
      const count = 150;
      for (let i = 0; i < count; i++) {
        publisher.emit("fan.say", { room: "red", i });
        publisher.emit("fan.say", { room: "blue", i });
      }
      await Promise.all([...red, ...blue].map((c) => expectSequence(c, "fan.msg", count)));
      for (const c of [...red, ...blue, ...other, publisher]) expect(await c.nothingPending()).toBeUndefined();
      // the same room name in another namespace is another room
      publisher.emit("fan.say", { room: "red", namespace: "/other", i: 0 });
      await Promise.all(other.map((c) => expectSequence(c, "fan.msg", 1)));
      for (const c of [...red, ...blue]) expect(await c.nothingPending()).toBeUndefined();
    });

    test("broadcasts and direct emits of one turn keep their order on every socket", async () => {
      (await serve()).register(new FanoutController());
      const members = await Promise.all(Array.from({ length: 10 }, () => connect()));
      await joinAll(members, "mix");
      const sender = members[0] as TestClient;
      const count = 200;
      sender.emit("fan.mix", { room: "mix", count });
      // the sender is a member: room frame i, then its own direct frame i, alternating
      for (let i = 0; i < count; i++) {
        expect(await sender.next()).toEqual({ event: "fan.room", data: { i } });
        expect(await sender.next()).toEqual({ event: "fan.direct", data: { i } });
      }
      await Promise.all(members.slice(1).map((c) => expectSequence(c, "fan.room", count)));
      for (const c of members) expect(await c.nothingPending()).toBeUndefined();
    });

    test("a server-wide broadcast reaches every namespace, each socket in order", async () => {
      (await serve()).register(new FanoutController());
      const clients = await Promise.all(Array.from({ length: 12 }, () => connect()));
      await joinAll(clients.slice(0, 6), "a", "/one");
      await joinAll(clients.slice(6), "b", "/two");
      const count = 250;
      clients[3]?.emit("fan.all", { count });
      await Promise.all(clients.map((c) => expectSequence(c, "fan.every", count)));
      for (const c of clients) expect(await c.nothingPending()).toBeUndefined();
    });
  });
}
