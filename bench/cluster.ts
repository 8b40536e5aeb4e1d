/// <reference types="bun" />
/**
 * Cross-node room fan-out through Redis, side by side with socket.io: `npm run bench:cluster`
 * (`bun bench/cluster.ts`). Writes bench/results/cluster.md. 127.0.0.1 only; every Redis is private.
 *
 * Setups, all started at once and measured in interleaved rounds (so drift on a shared machine hits all alike):
 * - single node: one sockeon-ts process (Node, Bun) without a broker, every client on it: the baseline;
 * - a control: two single nodes side by side without a broker, each with half the receivers and its own
 *   publisher, bursting at once: the same work per node as the two-node setups minus the backplane, so the
 *   part of the cross-node gap that is only two busy processes on a small machine shows apart;
 * - two nodes of sockeon-ts (Node, Bun; bench/servers/sockeon.ts behind the Redis broker) and two nodes of
 *   socket.io 4.8 with @socket.io/redis-adapter (bench/servers/socketio.ts), first through one redis-server
 *   (classic pub/sub), then through a private Redis Cluster of 3 masters + 3 replicas (sharded pub/sub:
 *   our room channels; socket.io's `createShardedAdapter`).
 * RECEIVERS clients in one room, split evenly over the nodes; a publisher on the first node (not in the room)
 * sends MESSAGES frames in one burst; every member checks it gets every frame in order. Reported per setup:
 * deliveries/s, server CPU per delivery (every thread of every node process and of every redis-server serving
 * it, from /proc schedstat), p50/p99 latency (send to receipt, queueing included) and losses (missing or out of
 * order after a 60 s bound). CLUSTER_RECEIVERS, CLUSTER_MESSAGES and CLUSTER_ROUNDS override the load.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { startRedisCluster } from "../tests/support/redis-cluster.ts";
import { startRedis } from "../tests/support/redis-server.ts";
import { type Running, type ServerSpec, startServer } from "./lib/proc.ts";
import { fanoutAcross } from "./lib/scenarios.ts";

const RECEIVERS = Number(process.env.CLUSTER_RECEIVERS ?? 1000);
const MESSAGES = Number(process.env.CLUSTER_MESSAGES ?? 500);
const ROUNDS = Number(process.env.CLUSTER_ROUNDS ?? 3);
const WARMUP = 50;
const BOUND_MS = 60_000;
const root = `${import.meta.dir}/..`;
const bin = "node_modules/.bin";

type Kind = "node" | "bun" | "sio";
const KINDS: Record<Kind, { name: string; flavour: "json" | "sio"; cmd: string[] }> = {
  node: { name: "sockeon-ts (Node)", flavour: "json", cmd: ["node", "--import", "tsx", "bench/servers/sockeon.ts"] },
  bun: { name: "sockeon-ts (Bun)", flavour: "json", cmd: [`${bin}/bun`, "bench/servers/sockeon.ts"] },
  sio: {
    name: "socket.io 4.8 + redis-adapter (Node)",
    flavour: "sio",
    cmd: ["node", "--import", "tsx", "bench/servers/socketio.ts"],
  },
};

/** One measured setup: its node processes and the redis-server PIDs whose CPU it is charged. */
interface Setup {
  label: string;
  kind: Kind;
  backend: "single" | "pair" | "standalone" | "cluster";
  nodes: Running[];
  redisPids: number[];
}

interface Result {
  usPerDelivery: number;
  /** The part of `usPerDelivery` spent in redis-server processes. */
  redisUsPerDelivery: number;
  deliveriesPerSec: number;
  p50: number;
  p99: number;
  losses: number;
}

/** One burst over a setup: members split over its nodes, the publisher on the first node (bench/lib/scenarios.ts). */
async function burst(setup: Setup): Promise<Result> {
  if (setup.backend === "pair") return pairBurst(setup);
  const r = await fanoutAcross(
    {
      ports: setup.nodes.map((n) => n.port),
      flavour: KINDS[setup.kind].flavour,
      pids: setup.nodes.map((n) => n.pid),
      backendPids: setup.redisPids,
    },
    { clients: RECEIVERS, messages: MESSAGES, intervalMs: 0, warmup: WARMUP, boundMs: BOUND_MS },
  );
  return {
    usPerDelivery: r.usPerDelivery,
    redisUsPerDelivery: r.backendUsPerDelivery,
    deliveriesPerSec: r.deliveriesPerSec,
    p50: r.p50Ms,
    p99: r.p99Ms,
    losses: r.losses,
  };
}

/** The control: each node of the pair bursts to its own half of the receivers at the same time. */
async function pairBurst(setup: Setup): Promise<Result> {
  const rs = await Promise.all(
    setup.nodes.map((node) =>
      fanoutAcross(
        { ports: [node.port], flavour: KINDS[setup.kind].flavour, pids: [node.pid] },
        { clients: RECEIVERS / setup.nodes.length, messages: MESSAGES, intervalMs: 0, warmup: WARMUP, boundMs: BOUND_MS },
      ),
    ),
  );
  const mean = (f: (r: (typeof rs)[number]) => number) => rs.reduce((sum, r) => sum + f(r), 0) / rs.length;
  return {
    usPerDelivery: mean((r) => r.usPerDelivery),
    redisUsPerDelivery: 0,
    deliveriesPerSec: rs.reduce((sum, r) => sum + r.deliveriesPerSec, 0),
    p50: Math.max(...rs.map((r) => r.p50Ms)),
    p99: Math.max(...rs.map((r) => r.p99Ms)),
    losses: rs.reduce((sum, r) => sum + r.losses, 0),
  };
}

const spec = (kind: Kind, label: string, env: Record<string, string>): ServerSpec => ({
  name: label,
  runtime: kind === "bun" ? "bun" : "node",
  flavour: KINDS[kind].flavour,
  cmd: KINDS[kind].cmd,
  env,
});

const started = Date.now();
const redis = await startRedis();
const cluster = await startRedisCluster();
const setups: Setup[] = [];
try {
  for (const kind of ["node", "bun"] as const) {
    const label = `${KINDS[kind].name}, single node`;
    setups.push({ label, kind, backend: "single", nodes: [await startServer(spec(kind, label, {}), root)], redisPids: [] });
  }
  for (const kind of ["node", "bun"] as const) {
    const label = `${KINDS[kind].name}, 2 single nodes side by side (control, no Redis)`;
    const nodes = [await startServer(spec(kind, label, {}), root), await startServer(spec(kind, label, {}), root)];
    setups.push({ label, kind, backend: "pair", nodes, redisPids: [] });
  }
  const backends: Array<{ backend: "standalone" | "cluster"; env: Record<string, string>; pids: number[] }> = [
    { backend: "standalone", env: { REDIS_URL: redis.url }, pids: [redis.pid as number] },
    { backend: "cluster", env: { REDIS_CLUSTER: cluster.seedList }, pids: cluster.nodes.map((n) => n.pid) },
  ];
  for (const { backend, env, pids } of backends) {
    for (const kind of ["node", "bun", "sio"] as const) {
      const label = `${KINDS[kind].name}, 2 nodes, ${backend === "cluster" ? "Redis Cluster (sharded)" : "one Redis"}`;
      // a prefix per setup: our pairs on one Redis must not form one 4-node cluster
      const nodeEnv = { ...env, REDIS_PREFIX: `bench-${kind}` };
      const nodes = [await startServer(spec(kind, label, nodeEnv), root), await startServer(spec(kind, label, nodeEnv), root)];
      setups.push({ label, kind, backend, nodes, redisPids: pids });
    }
  }
  // let every node finish joining its backplane before the first measurement
  await Bun.sleep(1000);
  const results = new Map<Setup, Result[]>(setups.map((s) => [s, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const setup of setups) {
      const result = await burst(setup);
      results.get(setup)?.push(result);
      console.log(
        `round ${round + 1}/${ROUNDS} ${setup.label}: ${result.usPerDelivery.toFixed(3)} µs/delivery, ` +
          `${Math.round(result.deliveriesPerSec)} deliveries/s, p99 ${result.p99.toFixed(1)} ms, losses ${result.losses}`,
      );
    }
  }
  const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
  const summary = new Map<Setup, Result>();
  for (const [setup, rs] of results)
    summary.set(setup, {
      usPerDelivery: median(rs.map((r) => r.usPerDelivery)),
      redisUsPerDelivery: median(rs.map((r) => r.redisUsPerDelivery)),
      deliveriesPerSec: median(rs.map((r) => r.deliveriesPerSec)),
      p50: median(rs.map((r) => r.p50)),
      p99: median(rs.map((r) => r.p99)),
      losses: rs.reduce((sum, r) => sum + r.losses, 0),
    });
  const find = (kind: Kind, backend: Setup["backend"]) =>
    summary.get(setups.find((s) => s.kind === kind && s.backend === backend) as Setup) as Result;
  const held = (ratio: number, goal: number) => `${ratio.toFixed(2)}× (${ratio <= goal ? "held" : "not held"})`;
  const lines = [
    `# Cross-node room fan-out through Redis (${new Date().toISOString().slice(0, 16)} UTC)`,
    "",
    `${RECEIVERS} receivers in one room split evenly over the nodes, a publisher on the first node sending ${MESSAGES} ` +
      `messages in one burst; median of ${ROUNDS} interleaved rounds (losses: frames missing or out of order 60 s after ` +
      "the burst, total over all rounds: a slow setup counts what it had not delivered by then). CPU per delivery " +
      "counts every thread of every node process and of every redis-server serving the setup (the 6 servers of the " +
      "Redis Cluster for the sharded rows). The control rows: two single nodes without a broker, each with half the " +
      "receivers and its own publisher, bursting at once (the two-node work minus the backplane). 127.0.0.1, " +
      "private redis-servers; run with `npm run bench:cluster`.",
    "",
    "| setup | deliveries/s | CPU µs/delivery | of which Redis | p50 ms | p99 ms | losses |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...setups.map((s) => {
      const r = summary.get(s) as Result;
      return `| ${s.label} | ${Math.round(r.deliveriesPerSec).toLocaleString("en")} | ${r.usPerDelivery.toFixed(3)} | ${r.redisUsPerDelivery.toFixed(3)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.losses} |`;
    }),
    "",
    "Targets (issue 17): CPU per delivery at most 0.5× socket.io's, and within 1.25× of our own single-node figure.",
    "",
    "| runtime | backend | vs socket.io (goal ≤ 0.5×) | vs our single node (goal ≤ 1.25×) | vs the control pair | throughput vs socket.io |",
    "| --- | --- | ---: | ---: | ---: | ---: |",
  ];
  for (const backend of ["standalone", "cluster"] as const)
    for (const kind of ["node", "bun"] as const) {
      const ours = find(kind, backend);
      const sio = find("sio", backend);
      const single = find(kind, "single");
      const pair = find(kind, "pair");
      lines.push(
        `| ${KINDS[kind].name} | ${backend === "cluster" ? "Redis Cluster (sharded)" : "one Redis"} | ` +
          `${held(ours.usPerDelivery / sio.usPerDelivery, 0.5)} | ${held(ours.usPerDelivery / single.usPerDelivery, 1.25)} | ` +
          `${(ours.usPerDelivery / pair.usPerDelivery).toFixed(2)}× | ` +
          `${(ours.deliveriesPerSec / sio.deliveriesPerSec).toFixed(2)}× |`,
      );
    }
  lines.push("", `Run time ${Math.round((Date.now() - started) / 1000)} s.`, "");
  const report = lines.join("\n");
  mkdirSync("bench/results", { recursive: true });
  writeFileSync("bench/results/cluster.md", report);
  console.log(report);
} finally {
  for (const setup of setups) for (const node of setup.nodes) await node.stop();
  await redis.kill();
  await cluster.stop();
}
