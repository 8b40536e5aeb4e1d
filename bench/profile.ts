/// <reference types="bun" />
/**
 * `bun bench/profile.ts <bun|deno|node> <echo|paced|burst1k|burst5k|cross|cross-cluster>`: runs one scenario
 * against sockeon-ts under the runtime's CPU profiler and prints the heaviest functions (self time) per process.
 * `cross` is bench/cluster.ts's burst over two nodes through one private Redis, `cross-cluster` through a private
 * Redis Cluster (both nodes profiled). The .cpuprofile files are left in artifacts/profiles/ for a closer look
 * (Chrome DevTools, speedscope). PROFILE_APP=bench/servers/sockeon-default.ts profiles the README-style app
 * (default options) instead of the bench app; RECOVERY=1 turns recovery on.
 */
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { startRedisCluster } from "../tests/support/redis-cluster.ts";
import { startRedis } from "../tests/support/redis-server.ts";
import { startServer } from "./lib/proc.ts";
import { echo, fanout, fanoutAcross } from "./lib/scenarios.ts";

const [runtime = "bun", scenario = "echo"] = process.argv.slice(2);
const root = join(import.meta.dir, "..");
const dir = join(root, "artifacts", "profiles", `${runtime}-${scenario}-${Date.now()}`);
mkdirSync(dir, { recursive: true });
const app = process.env.PROFILE_APP ?? "bench/servers/sockeon.ts";
const cmd: Record<string, string[]> = {
  bun: ["node_modules/.bin/bun", "--cpu-prof", "--cpu-prof-interval=20", `--cpu-prof-dir=${dir}`, app],
  deno: ["node_modules/.bin/deno", "run", "-A", `--cpu-prof`, `--cpu-prof-dir=${dir}`, app],
  node: ["node", "--cpu-prof", `--cpu-prof-dir=${dir}`, "--import", "tsx", app],
};
const cross = scenario === "cross" || scenario === "cross-cluster";
const redis = scenario === "cross" ? await startRedis() : undefined;
const cluster = scenario === "cross-cluster" ? await startRedisCluster() : undefined;
const env: Record<string, string> = redis ? { REDIS_URL: redis.url } : cluster ? { REDIS_CLUSTER: cluster.seedList } : {};
const servers = [];
for (let i = 0; i < (cross ? 2 : 1); i++)
  servers.push(await startServer({ name: runtime, runtime: "bun", flavour: "json", cmd: cmd[runtime] ?? [], env }, root));
const server = servers[0] as (typeof servers)[number];
if (cross) {
  await Bun.sleep(1000);
  const backendPids = redis ? [redis.pid as number] : (cluster?.nodes.map((n) => n.pid) ?? []);
  const setup = { ports: servers.map((s) => s.port), flavour: "json" as const, pids: servers.map((s) => s.pid), backendPids };
  console.log(await fanoutAcross(setup, { clients: 1000, messages: 500, intervalMs: 0, warmup: 50, boundMs: 60_000 }));
} else if (scenario === "echo") console.log(await echo(server, { clients: 100, rounds: 300, warmup: 20 }));
else if (scenario === "paced")
  console.log(await fanout(server, { clients: 1000, messages: 50, intervalMs: 20, warmup: 5, boundMs: 30_000 }));
else if (scenario === "burst5k")
  console.log(await fanout(server, { clients: 5000, messages: 200, intervalMs: 0, warmup: 10, boundMs: 60_000 }));
else console.log(await fanout(server, { clients: 1000, messages: 500, intervalMs: 0, warmup: 50, boundMs: 60_000 }));
for (const s of servers) process.kill(s.pid, "SIGTERM");
for (let i = 0; i < 50 && readdirSync(dir).length < servers.length; i++) await Bun.sleep(100);
await Bun.sleep(300);
for (const s of servers) await s.stop();
await redis?.kill();
await cluster?.stop();

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
for (const file of readdirSync(dir)) {
  const profile = JSON.parse(readFileSync(join(dir, file), "utf8")) as { nodes: Node[]; samples?: number[] };
  const self = new Map<string, number>();
  let total = 0;
  const hits = new Map<number, number>();
  for (const id of profile.samples ?? []) hits.set(id, (hits.get(id) ?? 0) + 1);
  for (const node of profile.nodes) {
    const n = node.hitCount ?? hits.get(node.id) ?? 0;
    const key = `${node.callFrame.functionName || "(anonymous)"} ${node.callFrame.url.replace(/.*\//, "")}:${node.callFrame.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + n);
    total += n;
  }
  console.log(`${file}: ${total} samples`);
  for (const [key, n] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) {
    console.log(`${((100 * n) / total).toFixed(1).padStart(5)}%  ${key}`);
  }
}
