/// <reference types="bun" />
/**
 * Cross-node room fan-out through Redis against the same fan-out on one node: `bun bench/cluster.ts`.
 *
 * Two nodes (examples/cluster/node.ts on Bun, separate processes) share a private redis-server. RECEIVERS
 * clients on node B sit in one room; a sender says MESSAGES messages in that room in one burst, either
 * connected to B itself (single node: B fans out its own broadcast) or to A (cross-node: A publishes, B fans out
 * what arrives from Redis). Reported: deliveries per second and p50/p99 latency (send to receipt, queueing
 * included), and the cross-node / single-node ratios. Writes bench/results/cluster.md. 127.0.0.1 only.
 * CLUSTER_RECEIVERS, CLUSTER_MESSAGES and CLUSTER_ROUNDS override the load.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { startChild } from "../tests/integration/support/processes.ts";
import { startRedis } from "../tests/support/redis-server.ts";

const RECEIVERS = Number(process.env.CLUSTER_RECEIVERS ?? 200);
const MESSAGES = Number(process.env.CLUSTER_MESSAGES ?? 500);
const ROUNDS = Number(process.env.CLUSTER_ROUNDS ?? 3);

interface Result {
  deliveriesPerSecond: number;
  p50: number;
  p99: number;
}

function open(url: string, onMessage?: (data: string) => void): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.onopen = () => resolve(ws);
    ws.onerror = () => reject(new Error(`cannot connect to ${url}`));
    if (onMessage) ws.onmessage = (e) => onMessage(String(e.data));
  });
}

/** Connects receivers to `receiverUrl`, a sender to `senderUrl`, and measures one burst. */
async function burst(senderUrl: string, receiverUrl: string, room: string): Promise<Result> {
  const latencies: number[] = [];
  let expected = RECEIVERS * MESSAGES;
  let done: () => void = () => {};
  const finished = new Promise<void>((resolve) => (done = resolve));
  let joined = 0;
  let allJoined: () => void = () => {};
  const joinedAll = new Promise<void>((resolve) => (allJoined = resolve));
  const receivers: WebSocket[] = [];
  for (let i = 0; i < RECEIVERS; i++) {
    receivers.push(
      await open(receiverUrl, (data) => {
        const frame = JSON.parse(data) as { event: string; data: { text?: string; id?: number } };
        if (frame.event === "ack" && ++joined === RECEIVERS) allJoined();
        if (frame.event !== "room.message") return;
        latencies.push(performance.now() - Number(frame.data.text));
        if (--expected === 0) done();
      }),
    );
  }
  for (const ws of receivers) ws.send(JSON.stringify({ event: "room.join", data: { room }, id: 1 }));
  await joinedAll;
  const sender = await open(senderUrl);
  const started = performance.now();
  for (let i = 0; i < MESSAGES; i++)
    sender.send(JSON.stringify({ event: "room.say", data: { room, text: String(performance.now()) } }));
  const timeout = setTimeout(() => done(), 60_000);
  await finished;
  clearTimeout(timeout);
  const elapsed = (performance.now() - started) / 1000;
  for (const ws of [...receivers, sender]) ws.close();
  if (expected > 0) throw new Error(`${expected} deliveries missing after 60 s`);
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] as number;
  return { deliveriesPerSecond: (RECEIVERS * MESSAGES) / elapsed, p50: at(0.5), p99: at(0.99) };
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

const redis = await startRedis();
const env = { REDIS_URL: redis.url };
const [a, b] = await Promise.all([
  startChild("bun", "examples/cluster/node.ts", { ...env, NODE_NAME: "A" }),
  startChild("bun", "examples/cluster/node.ts", { ...env, NODE_NAME: "B" }),
]);
const runs: Record<"single" | "cross", Result[]> = { single: [], cross: [] };
try {
  for (let round = 0; round < ROUNDS; round++) {
    // interleaved, so drift on a shared machine hits both alike
    runs.single.push(await burst(b.url, b.url, `single-${round}`));
    runs.cross.push(await burst(a.url, b.url, `cross-${round}`));
  }
} finally {
  await Promise.all([a.kill(), b.kill()]);
  await redis.kill();
}

const summary = (rs: Result[]) => ({
  deliveriesPerSecond: median(rs.map((r) => r.deliveriesPerSecond)),
  p50: median(rs.map((r) => r.p50)),
  p99: median(rs.map((r) => r.p99)),
});
const single = summary(runs.single);
const cross = summary(runs.cross);
const row = (name: string, r: Result) =>
  `| ${name} | ${Math.round(r.deliveriesPerSecond).toLocaleString("en")} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} |`;
const report = [
  `# Cross-node room fan-out (${new Date().toISOString().slice(0, 16)} UTC)`,
  "",
  `${RECEIVERS} receivers on node B in one room, ${MESSAGES} messages in one burst, median of ${ROUNDS} interleaved rounds;`,
  "two Bun nodes (examples/cluster/node.ts) and a private redis-server on 127.0.0.1.",
  "",
  "| setup | deliveries/s | p50 ms | p99 ms |",
  "| --- | ---: | ---: | ---: |",
  row("single node (sender on B)", single),
  row("cross-node (sender on A, via Redis)", cross),
  "",
  `Ratio cross-node / single node: throughput ${(cross.deliveriesPerSecond / single.deliveriesPerSecond).toFixed(2)}x, ` +
    `p99 latency ${(cross.p99 / single.p99).toFixed(2)}x.`,
  "",
].join("\n");
mkdirSync("bench/results", { recursive: true });
writeFileSync("bench/results/cluster.md", report);
console.log(report);
