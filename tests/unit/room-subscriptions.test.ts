import fc from "fast-check";
import { Rooms } from "../../src/engine/rooms.ts";
import { RoomSubscriptions } from "../../src/scale/room-subscriptions.ts";
import { describe, expect, test } from "../support/test.ts";

/** Subscribe/unsubscribe commands that answer only when the test says so, like a Redis round trip. */
function manualOps() {
  const log: string[] = [];
  const inFlight: Array<{ what: string; settle: (ok: boolean) => void }> = [];
  const failures: string[] = [];
  const command = (what: string) =>
    new Promise<void>((resolve, reject) => {
      log.push(what);
      inFlight.push({ what, settle: (ok) => (ok ? resolve() : reject(new Error(`refused ${what}`))) });
    });
  return {
    log,
    failures,
    inFlight,
    ops: {
      subscribe: (channel: string) => command(`+${channel}`),
      unsubscribe: (channel: string) => command(`-${channel}`),
      failed: (_error: unknown, what: string) => void failures.push(what),
    },
    /** Answers every command in flight (and those they trigger) with `ok`. */
    async settleAll(ok = true): Promise<void> {
      for (let i = 0; i < 100 && inFlight.length > 0; i++) {
        for (const c of inFlight.splice(0)) c.settle(ok);
        await new Promise((r) => setTimeout(r, 0));
      }
    },
  };
}

describe("Rooms: the watcher hears when a room opens and closes", () => {
  test("first member opens, last member closes; leaveAll closes each room it empties", () => {
    const events: string[] = [];
    const rooms = new Rooms();
    rooms.watch({
      roomOpened: (ns, room) => events.push(`open ${ns} ${room}`),
      roomClosed: (ns, room) => events.push(`close ${ns} ${room}`),
    });
    rooms.join("a", "lobby", "/");
    rooms.join("b", "lobby", "/");
    rooms.join("a", "lobby", "/"); // already a member
    rooms.join("a", "ops", "/admin");
    rooms.leave("a", "lobby", "/");
    rooms.leave("a", "nowhere", "/");
    expect(events).toEqual(["open / lobby", "open /admin ops"]);
    rooms.leaveAll("a");
    rooms.leaveAll("b");
    expect(events).toEqual(["open / lobby", "open /admin ops", "close /admin ops", "close / lobby"]);
  });

  test("property: after any join/leave sequence, the open rooms are exactly the non-empty ones", () => {
    const op = fc.record({
      kind: fc.constantFrom("join", "leave", "leaveAll"),
      client: fc.constantFrom("a", "b", "c"),
      room: fc.constantFrom("r1", "r2"),
      ns: fc.constantFrom("/", "/x"),
    });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const open = new Set<string>();
        const rooms = new Rooms();
        rooms.watch({
          roomOpened: (ns, room) => {
            expect(open.has(`${ns} ${room}`)).toBe(false);
            open.add(`${ns} ${room}`);
          },
          roomClosed: (ns, room) => {
            expect(open.delete(`${ns} ${room}`)).toBe(true);
          },
        });
        for (const o of ops) {
          if (o.kind === "join") rooms.join(o.client, o.room, o.ns);
          else if (o.kind === "leave") rooms.leave(o.client, o.room, o.ns);
          else rooms.leaveAll(o.client);
        }
        const nonEmpty = new Set<string>();
        for (const ns of ["/", "/x"]) for (const room of rooms.roomsIn(ns)) nonEmpty.add(`${ns} ${room}`);
        expect([...open].sort()).toEqual([...nonEmpty].sort());
      }),
    );
  });
});

describe("RoomSubscriptions", () => {
  test("nothing is sent before start; start subscribes what is wanted then", async () => {
    const m = manualOps();
    const subs = new RoomSubscriptions(m.ops);
    subs.add("c1");
    subs.add("c2");
    subs.remove("c2");
    expect(m.log).toEqual([]);
    subs.start();
    await m.settleAll();
    expect(m.log).toEqual(["+c1"]);
    expect(subs.active).toEqual(["c1"]);
  });

  test("reference counted: two rooms on one channel subscribe once and unsubscribe after the last", async () => {
    const m = manualOps();
    const subs = new RoomSubscriptions(m.ops);
    subs.start();
    subs.add("c");
    subs.add("c");
    await m.settleAll();
    subs.remove("c");
    await m.settleAll();
    expect(m.log).toEqual(["+c"]);
    subs.remove("c");
    subs.remove("c"); // more removes than adds are ignored
    await m.settleAll();
    expect(m.log).toEqual(["+c", "-c"]);
    expect(subs.active).toEqual([]);
    expect([subs.subscribes, subs.unsubscribes]).toEqual([1, 1]);
  });

  test("one command in flight per channel; what changed meanwhile is reconciled when it answers", async () => {
    const m = manualOps();
    const subs = new RoomSubscriptions(m.ops);
    subs.start();
    subs.add("c");
    expect(subs.pending).toBe(1);
    // closed and reopened while the SSUBSCRIBE is in flight: nothing more to send
    subs.remove("c");
    subs.add("c");
    await m.settleAll();
    expect(m.log).toEqual(["+c"]);
    // closed while the subscribe is in flight: one unsubscribe after it
    subs.remove("c");
    subs.add("c");
    subs.remove("c");
    await m.settleAll();
    expect(m.log).toEqual(["+c", "-c"]);
    expect(subs.pending).toBe(0);
    expect(subs.active).toEqual([]);
  });

  test("a refused command is reported and retried by the next start (Redis back), not in a loop", async () => {
    const m = manualOps();
    const subs = new RoomSubscriptions(m.ops);
    subs.start();
    subs.add("c");
    await m.settleAll(false);
    expect(m.failures).toEqual(["subscribe to c"]);
    expect(m.log).toEqual(["+c"]);
    expect(subs.active).toEqual([]);
    subs.start();
    await m.settleAll();
    expect(m.log).toEqual(["+c", "+c"]);
    expect(subs.active).toEqual(["c"]);
  });

  test("whenSubscribed: a promise until Redis confirms (or refuses, or the bound passes); none when not needed", async () => {
    const m = manualOps();
    const subs = new RoomSubscriptions(m.ops, 50);
    subs.add("early");
    // not started (still connecting, perhaps for long): nobody is held
    expect(subs.whenSubscribed("early")).toBeUndefined();
    subs.start();
    const early = subs.whenSubscribed("early");
    expect(early).toBeInstanceOf(Promise);
    expect(subs.whenSubscribed("early")).toBe(early as Promise<void>);
    let settled = false;
    void early?.then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 0));
    expect(settled).toBe(false);
    await m.settleAll();
    expect(settled).toBe(true);
    expect(subs.whenSubscribed("early")).toBeUndefined();
    expect(subs.whenSubscribed("unknown")).toBeUndefined();
    // refused: the waiter is let go at once
    subs.add("refused");
    const refused = subs.whenSubscribed("refused");
    await m.settleAll(false);
    await refused;
    // never answered: let go after the bound (50 ms here)
    subs.add("slow");
    await subs.whenSubscribed("slow");
    expect(m.inFlight.length).toBe(1);
  });

  test("after close nothing more is sent", async () => {
    const m = manualOps();
    const subs = new RoomSubscriptions(m.ops);
    subs.start();
    subs.close();
    subs.add("c");
    await m.settleAll();
    expect(m.log).toEqual([]);
  });
});
