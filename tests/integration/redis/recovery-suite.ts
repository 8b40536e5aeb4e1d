/**
 * Connection-state recovery across nodes through a real, private Redis (the Redis recovery store): a client of
 * node A (a child process on another runtime) resumes on node B (this process) after A was killed with SIGKILL,
 * after A shut down gracefully (1012), and falls back to a fresh session past the window or after Redis lost its
 * data. The client is `sockeon-ts/client`, reconnecting to whichever node the test points it at.
 */
import { createCluster, createClient as createRedis } from "redis";
import { serve } from "../../../adapters/serve.ts";
import { createClient, type SockeonClient, type StatusDetail, type WebSocketConstructor } from "../../../client/index.ts";
import { ChatController } from "../../../examples/cluster/chat-controller.ts";
import type { Engine } from "../../../src/engine/engine.ts";
import { hostOf } from "../../../src/extend.ts";
import { createServer, type Listener, type SockeonServer } from "../../../src/index.ts";
import { createRedisBroker, createRedisRecoveryStore } from "../../../src/redis.ts";
import { type RedisClusterProcess, startRedisCluster } from "../../support/redis-cluster.ts";
import { type RedisProcess, startRedis } from "../../support/redis-server.ts";
import { afterAll, beforeAll, describe, expect, runtime, test } from "../../support/test.ts";
import { Presence, until } from "../scenarios/recovery-controller.ts";
import { TestClient } from "../support/client.ts";
import { call } from "../support/cluster-client.ts";
import { type ChildNode, type Runtime, startChild } from "../support/processes.ts";
import { type SilentRelay, startRelay } from "../support/proxy.ts";
import { recordLogs } from "../support/servers.ts";

const LONG = 60_000;
/** A prefix of this run's own, so nothing else using the same Redis (or a port reused after a restart) mixes in. */
const PREFIX = `recovery-${Date.now().toString(36)}`;
/** The recovery window: long enough for a loaded machine to reconnect within it. */
const WINDOW_MS = 8000;
const TTL_MS = 3000;

const NativeWebSocket = (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
const BaseWebSocket: WebSocketConstructor =
  NativeWebSocket ?? ((await import("ws")).WebSocket as unknown as WebSocketConstructor);

/** A WebSocket class that connects to `target.url` (keeping the client's query string): the test moves the client between nodes. */
function redirecting(target: { url: string }): WebSocketConstructor {
  return function Redirected(url: string, protocols?: string | string[]) {
    const wanted = new URL(url);
    const to = new URL(target.url);
    to.search = wanted.search;
    return new BaseWebSocket(to.href, protocols);
  } as unknown as WebSocketConstructor;
}

function nextOpen(client: SockeonClient): Promise<StatusDetail> {
  return new Promise((resolve) => {
    const off = client.onStatus((status, detail) => {
      if (status !== "open") return;
      off();
      resolve(detail);
    });
  });
}

/** Collects the numbers of `m` events; `reach(n)` resolves once `n` arrived. */
function inbox(client: SockeonClient) {
  const got: number[] = [];
  const waiters = new Map<number, () => void>();
  client.on("m", (data: { n: number }) => {
    got.push(data.n);
    waiters.get(data.n)?.();
  });
  return { got, reach: (n: number) => (got.includes(n) ? Promise.resolve() : new Promise<void>((r) => waiters.set(n, r))) };
}

/** Awaits `promise`, failing with `what` after `ms` (a bound for a clear failure, not a timing assertion). */
async function within<T>(promise: Promise<T>, what: string | (() => string), ms = 20_000): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    const text = (): string => (typeof what === "string" ? what : what());
    timer = setTimeout(() => reject(new Error(`${text()}: not within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** Which Redis the suite runs against. */
export type RecoveryBackend = "standalone" | "cluster";

export function redisRecoverySuite(backend: RecoveryBackend = "standalone"): void {
  const other = (["bun", "deno", "node"] as Runtime[]).find((r) => r !== runtime) as Runtime;
  let redis: RedisProcess | RedisClusterProcess;
  let redisEnv: Record<string, string> = {};
  const socket = { reconnectStrategy: (n: number) => Math.min(50 * 2 ** n, 500) };
  const makeRedis = () =>
    "seeds" in redis
      ? createCluster({ rootNodes: redis.seeds.map((seed) => ({ url: `redis://${seed}` })), defaults: { socket } })
      : createRedis({ url: redis.url, socket });
  const nodes: Array<{ server: SockeonServer; listener: Listener; redis: ReturnType<typeof makeRedis> }> = [];
  const children: ChildNode[] = [];
  const clients: SockeonClient[] = [];
  const relays: SilentRelay[] = [];

  const errors: Array<{ error: unknown; source: string }> = [];

  /** A node in this process with recovery in Redis. */
  async function startNode(name: string, windowMs = WINDOW_MS) {
    const client = makeRedis();
    const presence = new Presence();
    const nodeId = `${name}-${runtime}-${Date.now()}`;
    const broker = createRedisBroker({ redis: client, prefix: PREFIX, nodeId, livenessTtlMs: TTL_MS });
    const server = createServer({
      port: 0,
      logger: recordLogs().logger,
      onError: (error, context) => errors.push({ error, source: context.source }),
      broker,
      connectionStateRecovery: {
        maxDisconnectionDuration: windowMs,
        store: createRedisRecoveryStore({ redis: client, prefix: PREFIX }),
      },
    }).register(new ChatController(name), presence);
    await server.ready();
    const listener = await serve(server, { port: 0, hostname: "127.0.0.1" });
    nodes.push({ server, listener, redis: client });
    return { server, url: `ws://127.0.0.1:${listener.port}/`, port: listener.port, presence, redis: client, broker };
  }

  /** A client of `node` through a relay the test can cut; joined to `room`. */
  async function clientBehindRelay(node: { port: number }, room: string, heartbeat: Parameters<typeof connectClient>[1] = false) {
    const relay = await startRelay(node.port);
    relays.push(relay);
    const target = { url: `ws://127.0.0.1:${relay.port}/` };
    const client = connectClient(target, heartbeat);
    const welcome = new Promise<{ clientId: string }>((resolve) => client.on("welcome", resolve));
    await within(client.ready(), "the client connects");
    const { clientId: id } = await within(welcome, "the welcome frame");
    await client.joinRoom(room);
    return { relay, target, client, id };
  }

  function connectClient(
    target: { url: string },
    heartbeat: false | { interval: number; timeout: number } = false,
  ): SockeonClient {
    const client = createClient(target.url, {
      WebSocket: redirecting(target),
      reconnect: { delay: 50, maxDelay: 200 },
      heartbeat,
    });
    clients.push(client);
    return client;
  }

  const through = backend === "cluster" ? "a real Redis Cluster" : "a real Redis";
  describe(`${runtime}: connection-state recovery across nodes through ${through}`, () => {
    let B: Awaited<ReturnType<typeof startNode>>;

    beforeAll(async () => {
      if (backend === "cluster") {
        const cluster = await startRedisCluster();
        redis = cluster;
        redisEnv = { REDIS_CLUSTER: cluster.seedList };
      } else {
        const server = await startRedis();
        redis = server;
        redisEnv = { REDIS_URL: server.url };
      }
      B = await startNode("B");
    }, LONG);

    afterAll(async () => {
      for (const c of clients.splice(0)) c.close();
      await Promise.all(relays.splice(0).map((r) => r.close()));
      await Promise.all(children.map((c) => c.kill("SIGKILL")));
      for (const node of nodes.splice(0)) {
        await node.server.close();
        await node.listener.stop();
        if (node.redis.isOpen) await node.redis.close().catch(() => undefined);
      }
      if (redis && "stop" in redis) await redis.stop();
      else await redis?.kill();
    }, LONG);

    test(
      "node A killed with SIGKILL: the client resumes on node B with its id, rooms and data, every missed message once and in order",
      async () => {
        const A = await startChild(other, "examples/cluster/node.ts", {
          ...redisEnv,
          NODE_NAME: "A",
          LIVENESS_TTL_MS: String(TTL_MS),
          RECOVERY_MS: String(WINDOW_MS),
          REDIS_PREFIX: PREFIX,
        });
        children.push(A);
        const target = { url: A.url };
        const client = connectClient(target);
        const welcome = new Promise<{ clientId: string; node: string }>((resolve) => client.on("welcome", resolve));
        await within(client.ready(), "the client connects");
        const { clientId: id, node } = await within(welcome, "the welcome frame");
        expect(node).toBe("A");
        // A serves at once and joins the cluster a moment later: B's broadcasts reach A's clients from then on
        await until(() => B.server.isClientConnected(id), "A joined the cluster", 10_000);
        await client.joinRoom("r");
        await client.request("profile.set", { key: "name", value: "Ann" });
        const box = inbox(client);
        // on the wire: a client that did not opt in gets Sockeon's frame byte for byte; an opted-in one the same
        // frame with the sender's position first
        const plain = await TestClient.connect(B.url);
        const opted = await TestClient.connect(`${B.url}?sockeon_recovery=1`);
        for (const c of [plain, opted]) await call(c, "room.join", { room: "r" });
        for (const n of range(1, 5)) B.server.broadcastToRoomClients("m", { n }, "r");
        await within(box.reach(5), "message 5 arrives");
        expect(await plain.nextRaw()).toBe('{"event":"m","data":{"n":1}}');
        expect(await opted.nextRaw()).toMatch(/^\{"pos":"B-[\w.-]+:\d+","event":"m","data":\{"n":1\}\}$/);
        for (const c of [plain, opted]) await c.close();

        const back = nextOpen(client);
        await A.kill("SIGKILL");
        target.url = B.url;
        // B keeps talking to the room while the client is away and while it comes back
        for (const n of range(6, 15)) B.server.broadcastToRoomClients("m", { n }, "r");
        const detail = await within(back, "the client is open again");
        expect(detail.recovered).toBe(true);
        for (const n of range(16, 20)) B.server.broadcastToRoomClients("m", { n }, "r");
        await within(box.reach(20), () => `message 20 arrives (got ${box.got}; errors ${errors.map((e) => e.error)})`);
        expect(client.recovered).toBe(true);
        expect(box.got).toEqual(range(1, 20));
        // the same session, now on B: same id, in its room, with its data; no welcome (no @OnConnect) on B
        await until(
          async () => Object.keys(await B.server.getClientsInRoom("r")).join() === id,
          "the room holds the resumed client",
        );
        expect(await B.server.getClientData(id, "name")).toBe("Ann");
        expect(B.presence.events.filter((e) => e.endsWith(id))).toEqual([`reconnect ${id}`]);
        expect(await client.request("profile.get", { key: "name" })).toBe("Ann");
        // once A is declared dead and its clients' data reaped, the resumed client's shared data stays (B adopted it)
        const nodeA = `A-${A.pid}`;
        const registry = B.broker.keys.nodes;
        await until(async () => !(await B.redis.zRange(registry, 0, -1)).includes(nodeA), "A is reaped", TTL_MS + 5000);
        expect(await B.redis.hGet(B.broker.keys.data(id), "name")).toBe('"Ann"');
        client.close();
      },
      LONG,
    );

    test(
      "graceful shutdown: opted-in clients are closed with 1012 and resume on another node at once, without @OnDisconnect",
      async () => {
        const C = await startNode("C");
        const target = { url: C.url };
        const client = connectClient(target);
        const statuses: Array<[string, StatusDetail]> = [];
        client.onStatus((status, detail) => statuses.push([status, detail]));
        const welcome = new Promise<{ clientId: string }>((resolve) => client.on("welcome", resolve));
        await within(client.ready(), "the client connects");
        const { clientId: id } = await within(welcome, "the welcome frame");
        await client.joinRoom("g");
        await client.request("profile.set", { key: "name", value: "Cy" });
        const box = inbox(client);
        for (const n of range(1, 5)) B.server.broadcastToRoomClients("m", { n }, "g");
        await within(box.reach(5), "message 5 arrives");

        target.url = B.url;
        const back = nextOpen(client);
        const closing = C.server.close();
        for (const n of range(6, 10)) B.server.broadcastToRoomClients("m", { n }, "g");
        const detail = await within(back, "the client is open again");
        await closing;
        for (const n of range(11, 12)) B.server.broadcastToRoomClients("m", { n }, "g");
        await within(box.reach(12), "message 12 arrives");
        expect(statuses.find(([status]) => status === "reconnecting")?.[1]).toMatchObject({ code: 1012, delay: 0 });
        expect(detail.recovered).toBe(true);
        expect(box.got).toEqual(range(1, 12));
        expect(Object.keys(await B.server.getClientsInRoom("g"))).toEqual([id]);
        expect(await B.server.getClientData(id, "name")).toBe("Cy");
        // the session moved: C ran no @OnDisconnect for it, B ran @OnReconnect
        expect(C.presence.events).toEqual([`connect ${id}`]);
        expect(B.presence.events).toContain(`reconnect ${id}`);
        client.close();
      },
      LONG,
    );

    test(
      "the old node is alive and its socket half-open: the session moves to the other node, direct emits included, and the old node lets it go without @OnDisconnect",
      async () => {
        const D = await startNode("D2");
        const { relay, target, client, id } = await clientBehindRelay(D, "h", { interval: 200, timeout: 400 });
        const box = inbox(client);
        B.server.broadcastToRoomClients("m", { n: 1 }, "h");
        await within(box.reach(1), "message 1 arrives");
        target.url = B.url;
        const back = nextOpen(client);
        // silence both ways: D still holds an open socket (half-open) while the client's heartbeat gives up on it
        relay.freeze();
        B.server.emit(id, "m", { n: 2 });
        B.server.broadcastToRoomClients("m", { n: 3 }, "h");
        expect((await within(back, "the client is open again")).recovered).toBe(true);
        B.server.broadcastToRoomClients("m", { n: 4 }, "h");
        await within(box.reach(4), "message 4 arrives");
        expect(box.got).toEqual([1, 2, 3, 4]);
        // D let its copy go when B took the session over: no session, no @OnDisconnect, its socket closed
        const engineD = hostOf(D.server) as unknown as Engine;
        await until(() => !engineD.state.sessions.has(id), "D lets the session go");
        expect(D.presence.events).toEqual([`connect ${id}`]);
        expect(await B.server.isClientConnected(id)).toBe(true);
        client.close();
      },
      LONG,
    );
    test(
      "past the window the session is gone everywhere: a fresh session on the other node (recovered false), @OnDisconnect ran once",
      async () => {
        const D = await startNode("D", 1500);
        const { relay, target, client, id } = await clientBehindRelay(D, "w");
        const key = createRedisRecoveryStore({ redis: D.redis, prefix: PREFIX }).record(id);
        relay.refuse = true;
        relay.cut();
        await until(async () => (await D.redis.exists(key)) === 0, "the record expires with the window", 10_000);
        await D.presence.left(id);
        const welcome = new Promise<{ clientId: string }>((resolve) => client.on("welcome", resolve));
        const back = nextOpen(client);
        target.url = B.url;
        const detail = await within(back, "the client is open again");
        const fresh = (await within(welcome, "the welcome frame")).clientId;
        expect(detail.recovered).toBe(false);
        expect(client.recovered).toBe(false);
        expect(fresh).not.toBe(id);
        expect(D.presence.events).toEqual([`connect ${id}`, `disconnect ${id}`]);
        // the client rejoined its room itself, as it does for any fresh session
        await until(async () => Object.keys(await B.server.getClientsInRoom("w")).includes(fresh), "the client rejoins its room");
        client.close();
      },
      LONG,
    );

    if (backend === "standalone")
      test(
        "Redis restarted mid-window (its data lost): no crash; the resume on another node gets a fresh session",
        async () => {
          const E = await startNode("E");
          const { relay, target, client, id } = await clientBehindRelay(E, "x");
          relay.refuse = true;
          relay.cut();
          const key = createRedisRecoveryStore({ redis: E.redis, prefix: PREFIX }).record(id);
          // E noticed the drop and its record for the window is in Redis
          await until(async () => {
            const ttl = await E.redis.pTTL(key);
            return ttl > 0 && ttl <= WINDOW_MS;
          }, "E records the suspended session");
          await (redis as RedisProcess).kill();
          await (redis as RedisProcess).start();
          await until(() => B.redis.isReady && E.redis.isReady, "both nodes reconnected to Redis", 10_000);
          // E still holds the session and writes its record again (a change while suspended): the record is back,
          // but the history it would need is not, so it must not be resumed elsewhere
          E.server.setClientData(id, "after", "restart");
          await until(async () => (await E.redis.exists(key)) === 1, "E rewrites the record");
          const welcome = new Promise<{ clientId: string }>((resolve) => client.on("welcome", resolve));
          const back = nextOpen(client);
          target.url = B.url;
          expect((await within(back, "the client is open again")).recovered).toBe(false);
          expect((await within(welcome, "the welcome frame")).clientId).not.toBe(id);
          // both nodes keep serving; the suspended session on E ends with its window as usual
          expect(await client.request("profile.get", { key: "after" })).toBeNull();
          expect(await E.server.getClientData(id, "after")).toBe("restart");
          client.close();
        },
        LONG,
      );
  });
}
