import fc from "fast-check";
import { Rooms } from "../../src/engine/rooms.ts";
import { describe, expect, test } from "../support/test.ts";

describe("Rooms", () => {
  test("join/leave keep forward and reverse maps in step and delete empty rooms", () => {
    const rooms = new Rooms();
    expect(rooms.join("a", "lobby", "/")).toBe(true);
    expect(rooms.join("a", "lobby", "/")).toBe(false);
    rooms.join("b", "lobby", "/");
    rooms.join("a", "lobby", "/admin");
    expect([...(rooms.members("lobby", "/") ?? [])]).toEqual(["a", "b"]);
    expect(rooms.roomsOf("a")).toEqual([
      { namespace: "/", room: "lobby" },
      { namespace: "/admin", room: "lobby" },
    ]);
    expect(rooms.leave("a", "lobby", "/")).toBe(true);
    expect(rooms.leave("a", "lobby", "/")).toBe(false);
    expect(rooms.leaveAll("a")).toBe(1);
    expect(rooms.roomsIn("/admin")).toEqual([]);
    expect(rooms.leave("b", "lobby", "/")).toBe(true);
    expect(rooms.members("lobby", "/")).toBeUndefined();
    expect(rooms.size).toBe(0);
  });

  test('"0" and "__proto__" are ordinary room names', () => {
    const rooms = new Rooms();
    rooms.join("a", "0", "/");
    rooms.join("a", "__proto__", "__proto__");
    expect(rooms.has("a", "0", "/")).toBe(true);
    expect(rooms.roomsIn("__proto__")).toEqual(["__proto__"]);
  });
});

describe("Rooms against a model", () => {
  test("property: any sequence of joins and leaves keeps forward and reverse maps equal to a plain model", () => {
    const client = fc.constantFrom("a", "b", "c");
    const room = fc.constantFrom("r1", "r2", "0");
    const namespace = fc.constantFrom("/", "/x");
    const op = fc.oneof(
      fc.tuple(fc.constant("join" as const), client, room, namespace),
      fc.tuple(fc.constant("leave" as const), client, room, namespace),
      fc.tuple(fc.constant("leaveAll" as const), client, room, namespace),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const rooms = new Rooms();
        const model = new Set<string>();
        const key = (c: string, r: string, n: string) => JSON.stringify([c, r, n]);
        for (const [kind, c, r, n] of ops) {
          if (kind === "join") expect(rooms.join(c, r, n)).toBe(!model.has(key(c, r, n)));
          else if (kind === "leave") expect(rooms.leave(c, r, n)).toBe(model.has(key(c, r, n)));
          else {
            const mine = [...model].filter((k) => JSON.parse(k)[0] === c);
            expect(rooms.leaveAll(c)).toBe(mine.length);
            for (const k of mine) model.delete(k);
          }
          if (kind === "join") model.add(key(c, r, n));
          if (kind === "leave") model.delete(key(c, r, n));
        }
        const entries = [...model].map((k) => JSON.parse(k) as [string, string, string]);
        const forward = new Set<string>();
        for (const n of ["/", "/x"]) {
          for (const r of rooms.roomsIn(n)) {
            const members = [...(rooms.members(r, n) ?? [])];
            // empty rooms are deleted, never listed
            expect(members.length).toBeGreaterThan(0);
            for (const c of members) forward.add(key(c, r, n));
          }
        }
        const reverse = new Set<string>();
        for (const c of ["a", "b", "c"]) for (const { namespace: n, room: r } of rooms.roomsOf(c)) reverse.add(key(c, r, n));
        expect([...forward].sort()).toEqual([...model].sort());
        expect([...reverse].sort()).toEqual([...model].sort());
        expect(rooms.size).toBe(new Set(entries.map(([, r, n]) => `${n} ${r}`)).size);
      }),
      { numRuns: 200 },
    );
  });
});
