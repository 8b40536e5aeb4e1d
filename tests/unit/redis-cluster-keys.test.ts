import { createClient, createCluster } from "redis";
import { createEmitter, createRedisBroker, RedisKeys } from "../../src/redis.ts";
import { isClusterClient } from "../../src/scale/redis.ts";
import { keySlot } from "../support/redis-cluster.ts";
import { describe, expect, test } from "../support/test.ts";

// clients are created, never connected: only their shape and the broker's routing are under test
const single = createClient({ url: "redis://127.0.0.1:1" });
const cluster = createCluster({ rootNodes: [{ url: "redis://127.0.0.1:1" }] });
const room = (name: string, namespace = "/") => ({ kind: "broadcast", namespace, rooms: [name] });

describe("Redis keys and channels", () => {
  test("standalone names are the ones every earlier version used", () => {
    const keys = new RedisKeys("sockeon");
    expect(keys.sharded).toBe(false);
    expect([keys.bus, keys.inbox("n1"), keys.live("n1"), keys.nodes, keys.data("c1"), keys.dataIndex("n1")]).toEqual([
      "sockeon:bus",
      "sockeon:node:n1",
      "sockeon:live:n1",
      "sockeon:nodes",
      "sockeon:data:c1",
      "sockeon:node-data:n1",
    ]);
    expect(keys.channelOf(room("lobby"))).toBe("sockeon:bus");
  });

  test("sharded: a channel of its own per room (namespace included), spread over the slots; the rest on the bus", () => {
    const keys = new RedisKeys("sockeon", true);
    expect(keys.sharded).toBe(true);
    expect(keys.channelOf(room("lobby"))).toBe("sockeon:room:/:lobby");
    expect(keys.channelOf(room("lobby"))).toBe(keys.room("/", "lobby"));
    expect(keys.channelOf(room("lobby", "/ops"))).toBe("sockeon:room:/ops:lobby");
    // a broadcast without a namespace is one to the default namespace
    expect(keys.channelOf({ kind: "broadcast", rooms: ["lobby"] })).toBe("sockeon:room:/:lobby");
    const channels = Array.from({ length: 200 }, (_, i) => keys.channelOf(room(`r${i}`)));
    expect(new Set(channels).size).toBe(200);
    expect(new Set(channels.map(keySlot)).size).toBeGreaterThan(190);
    for (const body of [
      { kind: "broadcast" },
      { kind: "broadcast", namespace: "/ops" },
      { kind: "broadcast", namespace: "/", rooms: ["a", "b"] },
      { kind: "to" },
      { kind: "op" },
      { kind: "query" },
    ])
      expect(keys.channelOf(body)).toBe("sockeon:bus");
  });

  test("sharded: the node registry shares one slot (census MGET), client data spreads", () => {
    const keys = new RedisKeys("app", true);
    const registry = [keys.nodes, keys.live("n1"), keys.live("n2"), keys.live("node-ffff")].map(keySlot);
    expect(new Set(registry).size).toBe(1);
    expect(keys.nodes).toBe("{app}:nodes");
    const data = new Set(Array.from({ length: 50 }, (_, i) => keySlot(keys.data(`client-${i}`))));
    expect(data.size).toBeGreaterThan(40);
  });

  test("a cluster client turns sharded mode on; a single-server client does not; both can be overridden", () => {
    expect(isClusterClient(cluster)).toBe(true);
    expect(isClusterClient(single)).toBe(false);
    expect(createRedisBroker({ redis: cluster }).sharded).toBe(true);
    expect(createRedisBroker({ redis: single }).sharded).toBe(false);
    expect(createRedisBroker({ redis: cluster, sharded: false }).sharded).toBe(false);
    expect(() => createRedisBroker({ redis: cluster, sharded: "yes" as never })).toThrow('sharded must be a boolean, got "yes"');
    expect(() => createEmitter({ redis: cluster, sharded: 1 as never })).toThrow("sharded must be a boolean, got 1");
    const noSharded = {
      ...single,
      sPublish: undefined,
      sSubscribe: undefined,
      publish: single.publish,
      isReady: false,
      subscribe: single.subscribe,
      duplicate: () => noSharded,
    };
    expect(() => createRedisBroker({ redis: noSharded as never, sharded: true })).toThrow(
      "sharded mode needs a client with sPublish",
    );
  });
});
