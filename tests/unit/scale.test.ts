import { createClient } from "redis";
import type { BrokerHost } from "../../src/extend.ts";
import { ConfigError, createConsoleLogger, createServer } from "../../src/index.ts";
import { createEmitter, createRedisBroker } from "../../src/redis.ts";
import { ENVELOPE_VERSION, parseEnvelope } from "../../src/scale/envelope.ts";
import { MemoryBroker, MemoryBus } from "../../src/scale/memory-broker.ts";
import { Outbox } from "../../src/scale/outbox.ts";
import { QUERIES } from "../../src/scale/queries.ts";
import { describe, expect, test } from "../support/test.ts";

describe("envelopes", () => {
  const ok = { v: ENVELOPE_VERSION, node: "n1" };
  test("valid envelopes of every kind pass, as text or parsed", () => {
    const bodies = [
      { kind: "broadcast", event: "e", data: { a: 1 }, namespace: "/", rooms: ["r"] },
      { kind: "broadcast", event: "e", data: [], except: ["c1"] },
      { kind: "to", event: "e", data: null, clients: ["c1", "c2"] },
      { kind: "op", op: "disconnect", client: "c1", args: [1000, ""] },
      { kind: "query", id: "q1", query: "count", args: [] },
      { kind: "reply", id: "q1", result: 3 },
    ];
    for (const body of bodies) {
      expect(parseEnvelope({ ...ok, ...body }) as unknown).toEqual({ ...ok, ...body });
      expect(parseEnvelope(JSON.stringify({ ...ok, ...body })) as unknown).toEqual({ ...ok, ...body });
    }
  });

  test("malformed and foreign messages are rejected with a reason naming what is wrong", () => {
    expect(parseEnvelope("{")).toBe("not JSON");
    expect(parseEnvelope("[1]")).toBe("not a JSON object");
    expect(parseEnvelope({ v: 2, node: "n", kind: "to" })).toBe("unsupported version 2");
    expect(parseEnvelope({ v: 1, kind: "to" })).toBe("no sender node id");
    expect(parseEnvelope({ ...ok, kind: "shout" })).toBe('unknown kind "shout"');
    expect(parseEnvelope({ ...ok, kind: "broadcast", data: {} })).toBe("broadcast without an event name");
    expect(parseEnvelope({ ...ok, kind: "broadcast", event: "e", rooms: [""] })).toBe("broadcast with a bad room list");
    expect(parseEnvelope({ ...ok, kind: "to", event: "e", clients: [1] })).toBe("to without a client list");
    expect(parseEnvelope({ ...ok, kind: "op", op: "drop", client: "c", args: [] })).toBe('unknown op "drop"');
    expect(parseEnvelope({ ...ok, kind: "query", id: "q", query: "count" })).toBe("query without args");
  });
});

describe("MemoryBroker", () => {
  const host = (inbox: unknown[]): BrokerHost => ({
    receive: (message) => inbox.push(JSON.parse(message as string)),
    localData: () => [],
    logger: createConsoleLogger({ sink: { log() {}, warn() {}, error() {} } }),
    reportError: () => {},
  });

  test("delivers to every other broker of the bus, or to one, never back to the sender", async () => {
    const bus = new MemoryBus();
    const [a, b, c] = [new MemoryBroker(bus, "a"), new MemoryBroker(bus, "b"), new MemoryBroker(bus, "c")];
    const inboxes: unknown[][] = [[], [], []];
    await Promise.all([a, b, c].map((broker, i) => broker.subscribe(host(inboxes[i] as unknown[]))));
    expect((await a.nodes()).sort()).toEqual(["a", "b", "c"]);
    a.publish({ kind: "broadcast", event: "e", data: { n: 1 } });
    a.publish({ kind: "reply", id: "q", result: 2 }, "c");
    await Promise.resolve();
    expect(inboxes[0]).toEqual([]);
    expect(inboxes[1]).toEqual([{ kind: "broadcast", event: "e", data: { n: 1 }, v: 1, node: "a" }]);
    expect(inboxes[2]).toEqual([
      { kind: "broadcast", event: "e", data: { n: 1 }, v: 1, node: "a" },
      { kind: "reply", id: "q", result: 2, v: 1, node: "a" },
    ]);
    await b.close();
    expect((await a.nodes()).sort()).toEqual(["a", "c"]);
  });

  test("the store is shared by the bus and hands out copies", async () => {
    const bus = new MemoryBus();
    const [a, b] = [new MemoryBroker(bus), new MemoryBroker(bus)];
    const value = { tags: ["x"] };
    a.store.set("c1", "profile", value);
    value.tags.push("changed later");
    expect(await b.store.get("c1", "profile")).toEqual({ tags: ["x"] });
    expect(await b.store.all("c1")).toEqual({ profile: { tags: ["x"] } });
    expect(await b.store.get("c1", "missing")).toBeNull();
    a.store.forget("c1");
    expect(await b.store.all("c1")).toBeNull();
  });
});

describe("Outbox", () => {
  test("holds at most `limit` messages, drops the oldest, counts drops, drains in order", () => {
    const box = new Outbox<number>(3);
    for (let i = 1; i <= 5; i++) box.push(i);
    expect(box.size).toBe(3);
    expect(box.dropped).toBe(2);
    expect(box.drain()).toEqual([3, 4, 5]);
    expect(box.size).toBe(0);
    expect(box.dropped).toBe(0);
  });

  test("limit 0 holds nothing and counts every message as dropped", () => {
    const box = new Outbox<string>(0);
    box.push("a");
    box.push("b");
    expect(box.size).toBe(0);
    expect(box.dropped).toBe(2);
    expect(() => new Outbox(-1)).toThrow("limit must be a non-negative integer, got -1");
  });
});

describe("cluster query merging", () => {
  test("answers of several nodes combine", () => {
    expect(QUERIES.count.merge([2, 3, "x"])).toBe(5);
    expect(QUERIES.clients.merge([["a", "b"], ["c"], null]).sort()).toEqual(["a", "b", "c"]);
    expect(QUERIES.connected.merge([false, true])).toBe(true);
    expect(QUERIES.rooms.merge([["r1"], ["r1", "r2"]])).toEqual(["r1", "r2"]);
    expect(QUERIES.clientNamespace.merge([null, "/admin"])).toBe("/admin");
    expect(
      QUERIES.stats.merge([
        { clients: 1, rooms: ["/\u0000a"], namespaces: ["/"] },
        { clients: 2, rooms: ["/\u0000a", "/x\u0000a"], namespaces: ["/", "/x"] },
      ]),
    ).toEqual({ clients: 3, rooms: ["/\u0000a", "/x\u0000a"], namespaces: ["/", "/x"] });
  });
});

describe("bad options name the offending value", () => {
  const redis = createClient({ url: "redis://127.0.0.1:1" });
  test("createRedisBroker", () => {
    expect(() => createRedisBroker({ redis: {} as never })).toThrow("redis must be a node-redis client");
    const ioredisLike = { duplicate() {}, publish() {}, subscribe() {}, status: "ready" };
    expect(() => createRedisBroker({ redis: ioredisLike as never })).toThrow("ioredis is not supported");
    expect(() => createRedisBroker({ redis, livenessTtlMs: -5 })).toThrow("livenessTtlMs must be an integer >= 300, got -5");
    expect(() => createRedisBroker({ redis, outageBuffer: 1.5 })).toThrow("outageBuffer must be an integer >= 0, got 1.5");
    expect(() => createRedisBroker({ redis, prefix: "" })).toThrow('prefix must be a non-empty string, got ""');
    expect(() => createRedisBroker({ redis, nodeId: "a b" })).toThrow('got "a b"');
  });
  test("createEmitter and the server's broker option", () => {
    expect(() => createEmitter({ redis: null as never })).toThrow("createEmitter: redis must be a node-redis client, got null");
    expect(() => createEmitter({ redis }).to("")).toThrow('Invalid room name: ""');
    expect(() => createServer({ broker: 5 as never })).toThrow(ConfigError);
    expect(() => createServer({ broker: 5 as never })).toThrow("Invalid server option broker: 5");
  });
});
