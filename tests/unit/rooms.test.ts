import { Rooms } from "../../src/rooms.ts";
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
