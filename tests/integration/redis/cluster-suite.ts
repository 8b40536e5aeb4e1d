/**
 * Three nodes behaving as one server through a real, private Redis: node A runs in this test process (on the
 * runtime running the tests), B and C are child processes on the two other runtimes running
 * examples/cluster/node.ts. Run against one redis-server ("standalone": classic pub/sub) or against a private
 * Redis Cluster of 3 masters + 3 replicas ("cluster": sharded pub/sub). The last tests stop Redis mid-traffic
 * (standalone) or kill a shard's master so a replica takes over (cluster), and kill a node with SIGKILL.
 */
import { createClient, createCluster } from "redis";
import { serve } from "../../../adapters/serve.ts";
import { ChatController } from "../../../examples/cluster/chat-controller.ts";
import { createServer, type Listener, type SockeonServer } from "../../../src/index.ts";
import { createEmitter, createRedisBroker, type RedisBroker, RedisRateLimitStore } from "../../../src/redis.ts";
import { freeLowPort, keySlot, type RedisClusterProcess, redisCli, startRedisCluster } from "../../support/redis-cluster.ts";
import { type RedisProcess, startRedis } from "../../support/redis-server.ts";
import { startTcpProxy } from "../../support/tcp-proxy.ts";
import { afterAll, beforeAll, describe, expect, runtime, test } from "../../support/test.ts";
import { type ChatClient, call, join } from "../support/cluster-client.ts";
import { type ChildNode, type Runtime, runToEnd, startChild } from "../support/processes.ts";
import { recordLogs } from "../support/servers.ts";

/** Short enough for a test, long enough for a loaded 2-core machine to refresh it (every TTL/3). */
const TTL_MS = 3000;
/** Generous, so a node slowed down by a loaded machine still answers in time. */
const QUERY_TIMEOUT_MS = 2000;
const LONG = 60_000;

const socket = { reconnectStrategy: (n: number) => Math.min(50 * 2 ** n, 500) };
/** A node-redis client for the Redis under test: one server, or a cluster client seeded with every node. */
const makeClient = (target: RedisProcess | RedisClusterProcess) =>
  "seeds" in target
    ? createCluster({ rootNodes: target.seeds.map((seed) => ({ url: `redis://${seed}` })), defaults: { socket } })
    : createClient({ url: target.url, socket });
type Client = ReturnType<typeof makeClient>;

/** Which Redis the suite runs against. */
export type RedisBackend = "standalone" | "cluster";

/** Polls `check` every 100 ms until it returns true; fails after `limitMs` (a bound, not a timing assertion). */
async function eventually(what: string, limitMs: number, check: () => Promise<boolean> | boolean): Promise<number> {
  const started = Date.now();
  for (let i = 0; i < 10_000 && Date.now() - started < limitMs; i++) {
    if (await check()) return Date.now() - started;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what}: not within ${limitMs} ms`);
}

export function redisClusterSuite(backend: RedisBackend = "standalone"): void {
  const others = (["bun", "deno", "node"] as Runtime[]).filter((r) => r !== runtime);
  let redis: RedisProcess | RedisClusterProcess;
  /** Where the example processes find Redis: REDIS_URL, or REDIS_CLUSTER with the seed list. */
  let redisEnv: Record<string, string> = {};
  let clientA: Client;
  let broker: RedisBroker;
  let server: SockeonServer;
  let listener: Listener;
  let urlA = "";
  const children: ChildNode[] = [];
  const extraClients: Client[] = [];
  const logs = recordLogs();
  const errors: Array<{ error: unknown; source: string }> = [];
  const open: ChatClient[] = [];

  const newClient = (): Client => {
    const client = makeClient(redis);
    client.on("error", () => {});
    extraClients.push(client);
    return client;
  };
  const connect = async (url: string): Promise<ChatClient> => {
    const c = await join(url);
    open.push(c);
    return c;
  };
  const closeAll = async (): Promise<void> => {
    await Promise.all(open.splice(0).map((c) => c.client.close().catch(() => undefined)));
  };

  const through = backend === "cluster" ? "a real Redis Cluster (sharded pub/sub)" : "a real Redis";
  describe(`${runtime}: cluster of ${runtime}, ${others.join(" and ")} nodes through ${through}`, () => {
    beforeAll(async () => {
      if (backend === "cluster") {
        const started = Date.now();
        const cluster = await startRedisCluster();
        console.log(`Redis Cluster (3 masters, 3 replicas) up in ${Date.now() - started} ms`);
        redis = cluster;
        redisEnv = { REDIS_CLUSTER: cluster.seedList };
      } else {
        const server = await startRedis();
        redis = server;
        redisEnv = { REDIS_URL: server.url };
      }
      clientA = makeClient(redis);
      broker = createRedisBroker({
        redis: clientA,
        nodeId: `A-${runtime}`,
        livenessTtlMs: TTL_MS,
        queryTimeoutMs: QUERY_TIMEOUT_MS,
      });
      server = createServer({
        port: 0,
        logger: logs.logger,
        onError: (error, context) => errors.push({ error, source: context.source }),
        broker,
      }).register(new ChatController("A"));
      await server.ready();
      listener = await serve(server, { port: 0, hostname: "127.0.0.1" });
      urlA = `ws://127.0.0.1:${listener.port}/`;
      const env = { ...redisEnv, LIVENESS_TTL_MS: String(TTL_MS), QUERY_TIMEOUT_MS: String(QUERY_TIMEOUT_MS) };
      children.push(
        ...(await Promise.all([
          startChild(others[0] as Runtime, "examples/cluster/node.ts", { ...env, NODE_NAME: "B" }),
          startChild(others[1] as Runtime, "examples/cluster/node.ts", { ...env, NODE_NAME: "C" }),
        ])),
      );
      await eventually("all three nodes registered", 10_000, async () => (await broker.nodes()).length === 3);
      expect(broker.sharded).toBe(backend === "cluster");
    }, LONG);

    afterAll(async () => {
      await closeAll();
      await Promise.all(children.map((c) => c.kill("SIGTERM")));
      await server?.close();
      await listener?.stop();
      for (const client of [clientA, ...extraClients]) if (client?.isOpen) await client.close().catch(() => undefined);
      if (redis && "stop" in redis) await redis.stop();
      else await redis?.kill();
    }, LONG);

    const urls = (): [string, string, string] => [urlA, children[0]?.url as string, children[1]?.url as string];
    /** How many connections are subscribed to a sharded channel (PUBSUB SHARDNUMSUB on its shard's master). */
    const shardSubscribers = async (channel: string): Promise<number> => {
      const master = await (redis as RedisClusterProcess).masterOf(keySlot(channel));
      const out = await redisCli(["-h", "127.0.0.1", "-p", String(master.port), "pubsub", "shardnumsub", channel], 5000);
      return Number(out.trim().split("\n")[1]);
    };
    const settled = (channel: string, nodes: number) =>
      eventually(`${nodes} nodes subscribed to ${channel}`, 10_000, async () => (await shardSubscribers(channel)) === nodes);

    test(
      "a room broadcast from A reaches its members on A, B and C exactly once",
      async () => {
        const [a1, b1, c1, c2] = await Promise.all([
          connect(urls()[0]),
          connect(urls()[1]),
          connect(urls()[2]),
          connect(urls()[2]),
        ]);
        expect([a1, b1, c1].map((c) => c?.node)).toEqual(["A", "B", "C"]);
        for (const c of [a1, b1, c1]) await call(c?.client as never, "room.join", { room: "r1" });
        a1?.client.emit("room.say", { room: "r1", text: "hello" });
        for (const c of [a1, b1, c1]) {
          expect(await c?.client.nextEvent("room.message")).toEqual({
            event: "room.message",
            data: { from: a1?.id, text: "hello" },
          });
          expect(await c?.client.nothingPending()).toBeUndefined();
        }
        expect(await c2?.client.nothingPending()).toBeUndefined();
        await closeAll();
      },
      LONG,
    );

    test(
      "a burst of room broadcasts (sent as one Redis message per turn) arrives complete and in order on every node",
      async () => {
        const [a1, b1, c1] = await Promise.all([connect(urls()[0]), connect(urls()[1]), connect(urls()[2])]);
        for (const c of [a1, b1, c1]) await call(c.client, "room.join", { room: "burst" });
        // sent back to back: A handles them in few turns, each turn's broadcasts batched into one publish
        for (let i = 0; i < 200; i++) a1.client.emit("room.say", { room: "burst", text: `m${i}` });
        for (const c of [a1, b1, c1])
          for (let i = 0; i < 200; i++) expect((await c.client.nextEvent("room.message")).data.text).toBe(`m${i}`);
        for (const c of [b1, c1]) expect(await c.client.nothingPending()).toBeUndefined();
        await closeAll();
      },
      LONG,
    );

    if (backend === "cluster")
      test(
        "a node subscribes to a room's channel only while one of its clients is in the room",
        async () => {
          const room = `solo-${runtime}`;
          const channel = broker.keys.room("/", room);
          const [a1, b1, b2, c1] = await Promise.all([
            connect(urls()[0]),
            connect(urls()[1]),
            connect(urls()[1]),
            connect(urls()[2]),
          ]);
          const [A1, B1, B2, C1] = [a1, b1, b2, c1].map((c) => (c as ChatClient).client) as Array<ChatClient["client"]> as [
            ChatClient["client"],
            ChatClient["client"],
            ChatClient["client"],
            ChatClient["client"],
          ];
          expect(await shardSubscribers(channel)).toBe(0);
          await call(A1, "room.join", { room });
          await settled(channel, 1);
          await eventually("A's broker lists the channel", 5000, () => broker.roomChannels.includes(channel));
          for (const c of [B1, B2]) await call(c, "room.join", { room });
          // B subscribes once for its two members; C, with no member, not at all
          await settled(channel, 2);
          A1.emit("room.say", { room, text: "one" });
          for (const c of [A1, B1, B2]) expect((await c.nextEvent("room.message")).data.text).toBe("one");
          expect(await C1.nothingPending()).toBeUndefined();
          expect(await shardSubscribers(channel)).toBe(2);
          // B's first member leaves: B stays subscribed for the other
          await call(B1, "room.leave", { room });
          A1.emit("room.say", { room, text: "two" });
          for (const c of [A1, B2]) expect((await c.nextEvent("room.message")).data.text).toBe("two");
          expect(await shardSubscribers(channel)).toBe(2);
          // B's last member moves to another namespace (leaving its rooms): B unsubscribes
          await call(B2, "namespace.join", { namespace: "/elsewhere" });
          await settled(channel, 1);
          A1.emit("room.say", { room, text: "three" });
          expect((await A1.nextEvent("room.message")).data.text).toBe("three");
          for (const c of [B1, B2, C1]) expect(await c.nothingPending()).toBeUndefined();
          // C's member joins, then disconnects: C subscribes, then unsubscribes
          await call(C1, "room.join", { room });
          await settled(channel, 2);
          A1.emit("room.say", { room, text: "four" });
          expect((await C1.nextEvent("room.message")).data.text).toBe("four");
          await C1.close();
          await settled(channel, 1);
          // and so does A when its last member disconnects
          await A1.close();
          await settled(channel, 0);
          await eventually("A's broker dropped the channel", 5000, () => !broker.roomChannels.includes(channel));
          await closeAll();
        },
        LONG,
      );

    if (backend === "cluster")
      test(
        "membership churn on every node keeps room delivery exact",
        async () => {
          const room = `churn-${runtime}`;
          const channel = broker.keys.room("/", room);
          const nodeUrls = urls();
          // two possible members and one publisher (never a member) per node
          const members = await Promise.all([0, 0, 1, 1, 2, 2].map((n) => connect(nodeUrls[n] as string)));
          const publishers = await Promise.all([0, 1, 2].map((n) => connect(nodeUrls[n] as string)));
          const inRoom = new Set<ChatClient>();
          const lastSeen = new Map<ChatClient, number>();
          let seed = 17;
          const random = (n: number): number => {
            seed = (seed * 1103515245 + 12345) % 2 ** 31;
            return seed % n;
          };
          for (let step = 0; step < 18; step++) {
            const who = members[random(members.length)] as ChatClient;
            if (inRoom.has(who)) {
              await call(who.client, "room.leave", { room });
              inRoom.delete(who);
            } else {
              await call(who.client, "room.join", { room });
              inRoom.add(who);
            }
            // the join's ack is held until the node's SSUBSCRIBE is confirmed: when the client has it, its node
            // listens (a node that just lost its last member may still be unsubscribing: at least, not exactly)
            expect(await shardSubscribers(channel)).toBeGreaterThanOrEqual(new Set([...inRoom].map((c) => c.node)).size);
            // so a message sent right after reaches every member once, from a publisher on each node in turn
            const publisher = publishers[step % 3] as ChatClient;
            publisher.client.emit("room.say", { room, text: `step ${step}` });
            for (const c of inRoom) {
              // once each, in order; a member that just joined may still get a message sent before its join
              // that was on its way to its node (pub/sub delay), never one twice or out of order
              for (;;) {
                const n = Number(/^step (\d+)$/.exec((await c.client.nextEvent("room.message")).data.text)?.[1]);
                expect(n).toBeGreaterThan(lastSeen.get(c) ?? -1);
                expect(n).toBeLessThanOrEqual(step);
                lastSeen.set(c, n);
                if (n === step) break;
              }
            }
          }
          for (const c of [...members, ...publishers]) expect(await c.client.nothingPending()).toBeUndefined();
          await closeAll();
          await settled(channel, 0);
        },
        LONG,
      );

    test(
      "emit, disconnect and client data across nodes; namespace and global broadcasts",
      async () => {
        const [a1, b1, c1] = await Promise.all([connect(urls()[0]), connect(urls()[1]), connect(urls()[2])]);
        const [A, B, C] = [a1?.client, b1?.client, c1?.client] as [never, never, never] as [
          ChatClient["client"],
          ChatClient["client"],
          ChatClient["client"],
        ];
        A.emit("whisper", { to: c1?.id, text: "from A" });
        expect((await C.nextEvent("whisper")).data).toEqual({ from: a1?.id, text: "from A" });
        await call(C, "profile.set", { key: "name", value: "Cy" });
        if (backend === "standalone") expect(await call(B, "profile.get", { clientId: c1?.id, key: "name" })).toBe("Cy");
        // a cluster client routes each command through an async slot lookup, so the write-behind may reach Redis
        // a moment after C acknowledged: another node sees it shortly after, not necessarily at once
        else
          await eventually(
            "C's write visible on B",
            5000,
            async () => (await call(B, "profile.get", { clientId: c1?.id, key: "name" })) === "Cy",
          );
        await call(B, "profile.set", { clientId: c1?.id, key: "tags", value: ["x", 1] });
        expect(
          await eventually("remote setClientData applied", 5000, async () => {
            const all = await call(A, "profile.get", { clientId: c1?.id });
            return all?.tags?.[0] === "x";
          }),
        ).toBeGreaterThanOrEqual(0);
        expect(await call(C, "profile.get", {})).toEqual({ name: "Cy", tags: ["x", 1] });
        await call(B, "namespace.join", { namespace: "/ops" });
        A.emit("namespace.say", { namespace: "/ops", text: "ops only" });
        expect((await B.nextEvent("namespace.message")).data.text).toBe("ops only");
        expect(await C.nothingPending()).toBeUndefined();
        C.emit("announce", { text: "everyone" });
        for (const c of [A, B, C]) expect((await c.nextEvent("announcement")).data.text).toBe("everyone");
        A.emit("kick", { clientId: b1?.id });
        expect(await B.closed).toEqual({ code: 4001, reason: "kicked" });
        await closeAll();
      },
      LONG,
    );

    test(
      "cluster-wide counts, members and connection checks",
      async () => {
        const clients = await Promise.all([urls()[0], urls()[1], urls()[1], urls()[2]].map((u) => connect(u as string)));
        const ids = clients.map((c) => c.id);
        await call((clients[1] as ChatClient).client, "room.join", { room: "r3" });
        await call((clients[3] as ChatClient).client, "room.join", { room: "r3" });
        const stats = await call((clients[0] as ChatClient).client, "stats", { room: "r3", clientId: ids[3] });
        expect(stats.count).toBe(4);
        expect(stats.clients).toEqual([...ids].sort());
        expect(stats.room).toEqual([ids[1], ids[3]].sort());
        expect(stats.connected).toBe(true);
        expect(await server.getClientCount()).toBe(4);
        expect(Object.keys(await server.getClientsInRoom("r3")).sort()).toEqual([ids[1] as string, ids[3] as string].sort());
        expect(await server.isClientConnected("nobody")).toBe(false);
        await closeAll();
        await eventually("counts drop to 0 after the clients left", 5000, async () => (await server.getClientCount()) === 0);
      },
      LONG,
    );

    test(
      "the emitter publishes into rooms and to one client from a process without sockets",
      async () => {
        const [a1, b1, c1] = await Promise.all([connect(urls()[0]), connect(urls()[1]), connect(urls()[2])]);
        for (const c of [a1, b1]) await call(c?.client as never, "room.join", { room: "news" });
        const emitterRedis = newClient();
        const emitter = createEmitter({ redis: emitterRedis });
        await emitter.to("news").emit("room.message", { from: "cron", text: "deploy at 5" });
        for (const c of [a1, b1])
          expect((await c?.client.nextEvent("room.message"))?.data).toEqual({ from: "cron", text: "deploy at 5" });
        expect(await c1?.client.nothingPending()).toBeUndefined();
        await emitter.toClient(c1?.id as string).emit("whisper", { from: "cron", text: "just you" });
        expect((await c1?.client.nextEvent("whisper"))?.data.text).toBe("just you");
        await expect(emitter.emit("bad name!")).rejects.toThrow("Invalid event name");
        // the example emitter script, run as a user would on another runtime
        const out = await runToEnd(others[0] as Runtime, "examples/cluster/emitter.ts", ["news", "from the example"], redisEnv);
        expect(out).toContain("sent to room news");
        for (const c of [a1, b1])
          expect((await c?.client.nextEvent("room.message"))?.data).toEqual({ from: "emitter", text: "from the example" });
        await closeAll();
      },
      LONG,
    );

    test(
      "malformed and foreign messages on the channel are logged and ignored",
      async () => {
        const [a1, c1] = await Promise.all([connect(urls()[0]), connect(urls()[2])]);
        const raw = newClient();
        await raw.connect();
        for (const junk of ["{", "[]", '{"v":2,"node":"x","kind":"broadcast","event":"e","data":{}}', '{"v":1,"kind":"to"}'])
          if (backend === "cluster") await raw.sPublish(broker.keys.bus, junk);
          else await raw.publish(broker.keys.bus, junk);
        a1?.client.emit("whisper", { to: c1?.id, text: "still here" });
        expect((await c1?.client.nextEvent("whisper"))?.data.text).toBe("still here");
        expect(logs.lines.some((l) => l.level === "warning" && l.message.startsWith("Ignored a message"))).toBe(true);
        expect(children.every((c) => c.alive())).toBe(true);
        // a command Redis refuses (not an outage) is reported through onError with Redis' message
        await raw.set(broker.keys.data(a1?.id as string), "not a hash");
        await call(a1?.client as never, "profile.set", { key: "x", value: 1 });
        await eventually("the failed write is reported", 5000, () =>
          errors.some((e) => e.source === "broker" && String((e.error as Error).message).includes("WRONGTYPE")),
        );
        expect(await call(a1?.client as never, "profile.get", { key: "x" })).toBe(1);
        await closeAll();
      },
      LONG,
    );

    test(
      "a new node is in the cluster once ready() resolves; a node that dies slows at most one query",
      async () => {
        const clientD = newClient();
        const brokerD = createRedisBroker({ redis: clientD, nodeId: `D-${runtime}`, livenessTtlMs: 60_000 });
        const serverD = createServer({ port: 0, logger: recordLogs().logger, onError: () => {}, broker: brokerD });
        try {
          await serverD.ready();
          expect(await broker.nodes()).toContain(brokerD.nodeId);
          expect(await server.getClientCount()).toBe(0);
          // D stops answering (its command connection is gone) while its liveness key lives on for 60 s
          const dead = clientD as unknown as { destroy?: () => void; disconnect?: () => Promise<void> };
          if (dead.destroy) dead.destroy();
          else await dead.disconnect?.();
          const timed = async (): Promise<number> => {
            const started = Date.now();
            await server.getClientCount();
            return Date.now() - started;
          };
          expect(await timed()).toBeGreaterThanOrEqual(QUERY_TIMEOUT_MS - 50); // the first query waits for D once
          // later queries do not wait for a node that let a query time out (a bound, not a timing measurement)
          expect(await timed()).toBeLessThan(QUERY_TIMEOUT_MS);
          expect(await timed()).toBeLessThan(QUERY_TIMEOUT_MS);
        } finally {
          await serverD.close().catch(() => undefined);
          await clientA.del(broker.keys.live(brokerD.nodeId));
          await clientA.zRem(broker.keys.nodes, [brokerD.nodeId]);
        }
      },
      LONG,
    );

    test(
      "the Redis rate-limit store shares one sliding window across nodes",
      async () => {
        const one = new RedisRateLimitStore({ redis: clientA });
        const two = new RedisRateLimitStore({ redis: (await newClient().connect()) as never });
        const t = Date.now();
        expect(await one.hit("ip:1", 1000, t, 3)).toEqual({ allowed: true, count: 1, resetAt: t + 1000 });
        expect(await two.hit("ip:1", 1000, t, 3)).toEqual({ allowed: true, count: 2, resetAt: t + 1000 });
        expect(await one.hit("ip:1", 1000, t + 10, 3)).toEqual({ allowed: true, count: 3, resetAt: t + 1000 });
        // at the limit: refused on either node, and not recorded
        expect(await two.hit("ip:1", 1000, t + 20, 3)).toEqual({ allowed: false, count: 3, resetAt: t + 1000 });
        // a hit still counts at exactly windowMs old; one ms later the first two have left the window
        expect((await one.hit("ip:1", 1000, t + 1000, 3)).allowed).toBe(false);
        expect(await one.hit("ip:1", 1000, t + 1001, 3)).toEqual({ allowed: true, count: 2, resetAt: t + 1010 });
        expect(await two.hit("ip:2", 1000, t)).toEqual({ allowed: true, count: 1, resetAt: t + 1000 });
        await expect(one.hit("ip:1", 0, t)).rejects.toThrow("windowMs");
      },
      LONG,
    );

    if (backend === "standalone")
      test(
        "Redis killed and restarted mid-traffic: no crash, local delivery throughout, reported once, delivery resumes",
        async () => {
          const [a1, a2, b1] = await Promise.all([connect(urls()[0]), connect(urls()[0]), connect(urls()[1])]);
          const [A1, A2, B1] = [a1, a2, b1].map((c) => (c as ChatClient).client) as [
            ChatClient["client"],
            ChatClient["client"],
            ChatClient["client"],
          ];
          for (const c of [A1, A2, B1]) await call(c, "room.join", { room: "live" });
          await call(A1, "profile.set", { key: "status", value: "before" });
          const errorsBefore = errors.length;
          await (redis as RedisProcess).kill();
          await eventually("A sees the outage", 5000, () => !broker.connected);
          for (let i = 0; i < 20; i++) {
            A1.emit("room.say", { room: "live", text: `outage ${i}` });
            expect((await A2.nextEvent("room.message")).data.text).toBe(`outage ${i}`);
            await A1.nextEvent("room.message");
          }
          // the other nodes keep serving their own clients, and nothing from A crosses while Redis is down
          expect((await call(B1, "stats", {})).count).toBe(1);
          expect(await B1.nothingPending()).toBeUndefined();
          // client data of local clients stays readable and writable
          await call(A1, "profile.set", { key: "status", value: "during" });
          expect(await call(A2, "profile.get", { clientId: a1?.id, key: "status" })).toBe("during");
          expect(broker.buffered).toBe(0);
          const reported = errors.slice(errorsBefore).filter((e) => e.source === "broker");
          expect(reported.length).toBe(1);
          expect((reported[0] as { error: Error }).error.name).toBe("RedisUnavailableError");

          // a node started while Redis is down serves its own clients at once
          const lateErrors: unknown[] = [];
          const lateRedis = newClient();
          const late = createServer({
            port: 0,
            logger: recordLogs().logger,
            onError: (error) => lateErrors.push(error),
            broker: createRedisBroker({ redis: lateRedis, nodeId: `late-${runtime}`, livenessTtlMs: TTL_MS }),
          }).register(new ChatController("late"));
          const lateReady = late.ready();
          const lateListener = await serve(late, { port: 0, hostname: "127.0.0.1" });
          const e1 = await connect(`ws://127.0.0.1:${lateListener.port}/`);
          await call(e1.client, "room.join", { room: "live" });
          e1.client.emit("room.say", { room: "live", text: "local only" });
          expect((await e1.client.nextEvent("room.message")).data.text).toBe("local only");
          expect(await call(e1.client, "stats", {})).toMatchObject({ count: 1 });
          expect(lateErrors.length).toBe(1);

          await (redis as RedisProcess).start();
          const restarted = Date.now();
          let n = 0;
          const resumedAfter = await eventually("cross-node delivery resumes", 5000, async () => {
            A1.emit("room.say", { room: "live", text: `probe ${n++}` });
            const frame = await B1.next(100).catch(() => undefined);
            return frame?.event === "room.message";
          });
          console.log(
            `cross-node delivery resumed ${Date.now() - restarted} ms after Redis restarted (probe loop ${resumedAfter} ms)`,
          );
          expect(children.every((c) => c.alive())).toBe(true);
          const notice = logs.lines.find((l) => l.level === "notice" && l.message.startsWith("Redis available again"));
          // the 20 room messages (and more) published during the outage were dropped, and the count is reported
          expect(notice?.context?.dropped as number).toBeGreaterThanOrEqual(20);
          expect(errors.slice(errorsBefore).filter((e) => e.source === "broker").length).toBe(1);
          // the child nodes (default console logger) logged the outage once each, and its end
          for (const child of children) {
            expect(child.output().split("Redis unavailable").length - 1).toBe(1);
            await eventually(`${child.runtime} node logs the recovery`, 5000, () =>
              child.output().includes("Redis available again"),
            );
          }
          // the late node joined the cluster once Redis was reachable
          await lateReady;
          await eventually("the late node joins", 5000, async () => (await broker.nodes()).includes(`late-${runtime}`));
          expect(lateErrors.length).toBe(1);
          await late.close();
          await lateListener.stop();
          // the outage-time write reached Redis again (re-sync), so other nodes read the current value
          await eventually(
            "client data re-synced",
            5000,
            async () => (await call(B1, "profile.get", { clientId: a1?.id, key: "status" })) === "during",
          );
          await closeAll();
        },
        LONG,
      );

    if (backend === "cluster")
      test(
        "a node started while the cluster is unreachable serves its own clients, then joins once it is reachable",
        async () => {
          // the seed is a port that drops every connection, until it forwards to a real cluster node
          const port = await freeLowPort();
          const proxy = await startTcpProxy(port);
          const lateErrors: Array<{ error: unknown; source: string }> = [];
          const lateRedis = createCluster({ rootNodes: [{ url: `redis://127.0.0.1:${port}` }], defaults: { socket } });
          lateRedis.on("error", () => {});
          extraClients.push(lateRedis);
          const lateBroker = createRedisBroker({ redis: lateRedis, nodeId: `late-${runtime}`, livenessTtlMs: TTL_MS });
          const late = createServer({
            port: 0,
            logger: recordLogs().logger,
            onError: (error, context) => lateErrors.push({ error, source: context.source }),
            broker: lateBroker,
          }).register(new ChatController("late"));
          let joined = false;
          const lateReady = late.ready().then(() => (joined = true));
          const lateListener = await serve(late, { port: 0, hostname: "127.0.0.1" });
          try {
            // serves its own clients at once
            const e1 = await connect(`ws://127.0.0.1:${lateListener.port}/`);
            await call(e1.client, "room.join", { room: "late-room" });
            e1.client.emit("room.say", { room: "late-room", text: "local only" });
            expect((await e1.client.nextEvent("room.message")).data.text).toBe("local only");
            await eventually("the start-up failure is reported", 10_000, () => lateErrors.length > 0);
            expect((lateErrors[0] as { error: Error }).error.name).toBe("RedisUnavailableError");
            // it retries (100 ms doubling to 2 s between attempts), reported once, and stays out of the cluster
            await eventually("three connection attempts", 10_000, () => proxy.refused >= 3);
            expect(joined).toBe(false);
            expect(lateErrors.length).toBe(1);
            expect(await broker.nodes()).not.toContain(lateBroker.nodeId);

            proxy.forward((redis as RedisClusterProcess).seeds[0] as string);
            await Promise.race([
              lateReady,
              new Promise((_, reject) => setTimeout(() => reject(new Error("not ready 20 s after the cluster came up")), 20_000)),
            ]);
            // visible to every node's queries, and room traffic crosses both ways
            expect(await broker.nodes()).toContain(lateBroker.nodeId);
            const a1 = await connect(urls()[0]);
            await call(a1.client, "room.join", { room: "late-room" });
            await settled(lateBroker.keys.room("/", "late-room"), 2);
            a1.client.emit("room.say", { room: "late-room", text: "from A" });
            expect((await e1.client.nextEvent("room.message")).data.text).toBe("from A");
            e1.client.emit("room.say", { room: "late-room", text: "from late" });
            expect((await a1.client.nextEvent("room.message")).data.text).toBe("from A");
            expect((await a1.client.nextEvent("room.message")).data.text).toBe("from late");
            expect((await call(a1.client, "stats", {})).count).toBe(2);
            // the retries were not reported one by one
            expect(lateErrors.length).toBe(1);
          } finally {
            await closeAll();
            await late.close();
            await lateListener.stop();
            await proxy.close();
          }
        },
        LONG,
      );

    if (backend === "cluster")
      test(
        "a shard's master killed: other shards keep serving, a replica takes over, delivery on its shard resumes",
        async () => {
          const cluster = redis as RedisClusterProcess;
          const channelOf = (room: string): string => broker.keys.channelOf({ kind: "broadcast", namespace: "/", rooms: [room] });
          // the victim: the master serving room "fo-victim"'s channel; a second room whose channel another master serves
          const victimRoom = "fo-victim";
          const victim = await cluster.masterOf(keySlot(channelOf(victimRoom)));
          let healthyRoom = "";
          for (let i = 0; i < 200 && healthyRoom === ""; i++) {
            const master = await cluster.masterOf(keySlot(channelOf(`fo-${i}`)));
            if (master !== victim) healthyRoom = `fo-${i}`;
          }
          expect(healthyRoom).not.toBe("");
          const [a1, a2, b1] = await Promise.all([connect(urls()[0]), connect(urls()[0]), connect(urls()[1])]);
          const [A1, A2, B1] = [a1, a2, b1].map((c) => (c as ChatClient).client) as [
            ChatClient["client"],
            ChatClient["client"],
            ChatClient["client"],
          ];
          for (const c of [A1, A2, B1]) for (const room of [victimRoom, healthyRoom]) await call(c, "room.join", { room });
          A1.emit("room.say", { room: victimRoom, text: "before" });
          expect((await B1.nextEvent("room.message")).data.text).toBe("before");
          for (const c of [A1, A2]) expect((await c.nextEvent("room.message")).data.text).toBe("before");
          const errorsBefore = errors.length;

          await cluster.kill(victim);
          const killedAt = Date.now();
          // the other shards keep serving at once: a room whose channel lives elsewhere crosses nodes
          A1.emit("room.say", { room: healthyRoom, text: "other shard" });
          expect((await B1.nextEvent("room.message")).data.text).toBe("other shard");
          // and local delivery never stops
          A1.emit("room.say", { room: victimRoom, text: "local" });
          expect((await A2.nextEvent("room.message")).data.text).toBe("other shard");
          expect((await A2.nextEvent("room.message")).data.text).toBe("local");

          // probe the killed shard's room until a message crosses again (bounded; the gap is measured, not asserted)
          let n = 0;
          await eventually("cross-node delivery on the killed shard resumes", 30_000, async () => {
            A1.emit("room.say", { room: victimRoom, text: `probe ${n++}` });
            for (let i = 0; i < 10; i++) {
              const frame = await B1.next(100).catch(() => undefined);
              if (frame === undefined) return false;
              if (frame.event === "room.message" && String(frame.data.text).startsWith("probe")) return true;
            }
            return false;
          });
          const gap = Date.now() - killedAt;
          const promoted = await cluster.waitForNewMaster(keySlot(channelOf(victimRoom)), victim, 30_000);
          console.log(
            `failover: master :${victim.port} killed; replica :${promoted.port} took over; cross-node delivery on its ` +
              `shard resumed ${gap} ms after SIGKILL (cluster-node-timeout 2000 ms)`,
          );
          expect(promoted.port).not.toBe(victim.port);
          expect(children.every((c) => c.alive())).toBe(true);
          // the outage was reported through onError as RedisUnavailableError, and its end logged
          const reported = errors.slice(errorsBefore).filter((e) => e.source === "broker");
          expect(reported.length).toBeGreaterThanOrEqual(1);
          expect((reported[0] as { error: Error }).error.name).toBe("RedisUnavailableError");
          await eventually("A logs the recovery", 10_000, () =>
            logs.lines.some((l) => l.level === "notice" && l.message.startsWith("Redis available again")),
          );
          // the cluster keeps serving everything: node registry, queries, client data, emits on every shard
          await eventually("all three nodes seen", 10_000, async () => (await broker.nodes()).length === 3);
          expect((await call(B1, "stats", {})).count).toBe(3);
          await call(B1, "profile.set", { key: "after", value: "failover" });
          // a write acknowledged by one shard's new master may reach another node's read a moment later
          await eventually(
            "client data written after the failover is readable on the other node",
            10_000,
            async () => (await call(A1, "profile.get", { clientId: b1?.id, key: "after" })) === "failover",
          );
          A1.emit("whisper", { to: b1?.id, text: "after failover" });
          expect((await B1.nextEvent("whisper")).data.text).toBe("after failover");
          await closeAll();
        },
        LONG,
      );

    test(
      "a node killed with SIGKILL leaves cluster-wide counts within the liveness TTL",
      async () => {
        await eventually("all three nodes alive again", 10_000, async () => (await broker.nodes()).length === 3);
        const [a1, c1, c2] = await Promise.all([connect(urls()[0]), connect(urls()[2]), connect(urls()[2])]);
        await call(c1?.client as never, "profile.set", { key: "k", value: 1 });
        expect(await server.getClientCount()).toBe(3);
        const victim = children[1] as ChildNode;
        await victim.kill("SIGKILL");
        const killedAt = Date.now();
        await eventually("the killed node leaves the node list", TTL_MS + 3000, async () => (await broker.nodes()).length === 2);
        console.log(`killed node left the cluster ${Date.now() - killedAt} ms after SIGKILL (TTL ${TTL_MS} ms)`);
        expect(await server.getClientCount()).toBe(1);
        expect(await server.isClientConnected(c1?.id as string)).toBe(false);
        await eventually(
          "its client data is removed",
          TTL_MS + 3000,
          async () => (await server.getClientData(c1?.id as string, "k")) === null,
        );
        expect(await call(a1?.client as never, "stats", {})).toMatchObject({ count: 1 });
        expect(c2?.id).not.toBe(c1?.id);
        await closeAll();
      },
      LONG,
    );
  });
}
