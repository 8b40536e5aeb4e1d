import { BroadcastOperator } from "../../src/api/broadcast-operator.ts";
import type { BroadcastTarget } from "../../src/index.ts";
import { describe, expect, test } from "../support/test.ts";
import { fakeClient, fakeServer, flushed } from "./fake-server.ts";

function recorder() {
  const sent: Array<{ event: string; data: unknown; target: BroadcastTarget }> = [];
  return {
    sent,
    sink: { broadcastToTarget: (event: string, data: unknown, target: BroadcastTarget) => sent.push({ event, data, target }) },
  };
}

describe("BroadcastOperator", () => {
  test("each call returns a new frozen builder and leaves the old one unchanged", () => {
    const { sink } = recorder();
    const base = new BroadcastOperator(sink);
    const room = base.to("a");
    const ns = room.in("/x");
    const except = ns.except("c1");
    const builders = [base, room, ns, except];
    expect(new Set(builders).size).toBe(4);
    for (const b of builders) {
      expect(Object.isFrozen(b)).toBe(true);
      expect(Object.isFrozen(b.target)).toBe(true);
    }
    expect(base.target).toEqual({ rooms: [], except: [] });
    expect(room.target).toEqual({ rooms: ["a"], except: [] });
    expect(ns.target).toEqual({ rooms: ["a"], namespace: "/x", except: [] });
    expect(except.target).toEqual({ rooms: ["a"], namespace: "/x", except: ["c1"] });
    const branch = room.to("b", ["c"]);
    expect(branch.target.rooms).toEqual(["a", "b", "c"]);
    expect(room.target.rooms).toEqual(["a"]);
  });

  test("emit hands the event, data and target to the one delivery method", () => {
    const { sent, sink } = recorder();
    const typed = new BroadcastOperator<{ "chat.message": { text: string } }>(sink);
    typed.to("r").except(["x", "y"]).emit("chat.message", { text: "hi" });
    expect(sent).toEqual([{ event: "chat.message", data: { text: "hi" }, target: { rooms: ["r"], except: ["x", "y"] } }]);
  });

  test("bad names and ids are TypeErrors naming the value", () => {
    const { sink } = recorder();
    const b = new BroadcastOperator(sink);
    expect(() => b.to("")).toThrow('Invalid room name: ""');
    expect(() => b.in(3 as unknown as string)).toThrow("Invalid namespace name: 3");
    expect(() => b.except(null as unknown as string)).toThrow("except: client ids are non-empty strings, got null");
  });

  test("the server's delivery: rooms of a namespace, each member once, minus exceptions", async () => {
    const server = fakeServer();
    const a = await fakeClient(server);
    const b = await fakeClient(server);
    const c = await fakeClient(server);
    server.joinRoom(a.id, "r1");
    server.joinRoom(a.id, "r2");
    server.joinRoom(b.id, "r2");
    server.joinRoom(c.id, "r1", "/other");
    server.to("r1", "r2").emit("x", 1);
    server.to("r1").in("/other").emit("y", 2);
    server.except(a.id, b.id).emit("z", 3);
    await flushed();
    expect(a.frames).toEqual([{ event: "x", data: 1 }]);
    expect(b.frames).toEqual([{ event: "x", data: 1 }]);
    expect(c.frames).toEqual([
      { event: "y", data: 2 },
      { event: "z", data: 3 },
    ]);
  });
});
