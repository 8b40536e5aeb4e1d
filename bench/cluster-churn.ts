/// <reference types="bun" />
/**
 * `bun bench/cluster-churn.ts`: what per-room subscription trades on a Redis Cluster, on a private cluster of
 * 3 masters + 3 replicas. A node that subscribes to a room's channel only while it has members pays one
 * SSUBSCRIBE when the room's first local member joins and one SUNSUBSCRIBE when the last one leaves; a node
 * subscribed to channels it has no members for pays one useless delivery per message on them (Redis writes it,
 * the node reads, parses and drops it). Prints CPU (this process + every redis-server) per subscribe/unsubscribe
 * pair, with and without another channel keeping the shard's pub/sub connection open, and per useless delivery
 * of a bench-sized envelope. CHURN_N overrides the count.
 */
import process from "node:process";
import { createCluster } from "redis";
import { startRedisCluster } from "../tests/support/redis-cluster.ts";
import { cpuNs } from "./lib/proc.ts";

const N = Number(process.env.CHURN_N ?? 3000);
const cluster = await startRedisCluster();
const rootNodes = cluster.seeds.map((seed) => ({ url: `redis://${seed}` }));
const sub = createCluster({ rootNodes });
const pub = createCluster({ rootNodes });
for (const c of [sub, pub]) c.on("error", () => {});
await Promise.all([sub.connect(), pub.connect()]);
const redisPids = cluster.nodes.map((n) => n.pid);
const cpu = (): { self: number; redis: number } => ({
  self: cpuNs(process.pid),
  redis: redisPids.reduce((s, pid) => s + cpuNs(pid), 0),
});
const per = async (label: string, n: number, work: () => Promise<void>): Promise<void> => {
  const a = cpu();
  const t0 = performance.now();
  await work();
  const wall = performance.now() - t0;
  const b = cpu();
  const self = (b.self - a.self) / 1000 / n;
  const redis = (b.redis - a.redis) / 1000 / n;
  console.log(
    `${label}: ${(self + redis).toFixed(1)} µs CPU each (process ${self.toFixed(1)}, Redis ${redis.toFixed(1)}), ` +
      `${((wall * 1000) / n).toFixed(1)} µs wall each`,
  );
};
const noop = (): void => {};
try {
  const envelope = JSON.stringify({
    kind: "broadcast",
    event: "msg",
    data: { p: 1, i: 123, t: 123456.789, pad: "x".repeat(48) },
    rooms: ["bench"],
    v: 1,
    node: "node-0123456789abcdef01234567",
  });
  // warm-up: every shard's pub/sub connection opened once
  for (let i = 0; i < 200; i++) await sub.sSubscribe(`warm:${i}`, noop);
  for (let i = 0; i < 200; i++) await sub.sUnsubscribe(`warm:${i}`);
  await per("subscribe + unsubscribe, shard connection opened and closed each time", N / 3, async () => {
    for (let i = 0; i < N / 3; i++) {
      await sub.sSubscribe(`solo:${i}`, noop);
      await sub.sUnsubscribe(`solo:${i}`);
    }
  });
  // anchors on every shard: the connection stays open (a node that has other rooms there)
  for (let i = 0; i < 64; i++) await sub.sSubscribe(`anchor:${i}`, noop);
  await per("subscribe + unsubscribe, shard connection kept open", N, async () => {
    for (let i = 0; i < N; i++) {
      await sub.sSubscribe(`room:${i}`, noop);
      await sub.sUnsubscribe(`room:${i}`);
    }
  });
  await per("subscribe + unsubscribe, 100 at a time (a burst of joins)", N, async () => {
    for (let i = 0; i < N; i += 100) {
      const names = Array.from({ length: 100 }, (_, k) => `burst:${i + k}`);
      await Promise.all(names.map((name) => sub.sSubscribe(name, noop)));
      await Promise.all(names.map((name) => sub.sUnsubscribe(name)));
    }
  });
  const publish = async (count: number): Promise<void> => {
    for (let i = 0; i < count; i += 100) {
      const batch: Promise<unknown>[] = [];
      for (let k = 0; k < 100; k++) batch.push(pub.sPublish("useless", envelope));
      await Promise.all(batch);
    }
  };
  let got = 0;
  const listener = (message: string): void => {
    // what a node does with a message for a room it has no member in: parse, find nobody, drop
    if ((JSON.parse(message) as { rooms?: string[] }).rooms) got++;
  };
  await publish(1000);
  // interleaved rounds without and with a subscriber that has nothing to deliver to; medians compared
  const rounds: Record<"without" | "with", number[]> = { without: [], with: [] };
  for (let round = 0; round < 6; round++) {
    const subscribed = round % 2 === 1;
    if (subscribed) await sub.sSubscribe("useless", listener);
    got = 0;
    const a = cpu();
    await publish(N * 5);
    for (let i = 0; i < 250 && subscribed && got < N * 5; i++) await Bun.sleep(20);
    const b = cpu();
    rounds[subscribed ? "with" : "without"].push((b.self - a.self + b.redis - a.redis) / 1000 / (N * 5));
    if (subscribed) await sub.sUnsubscribe("useless");
  }
  const median = (xs: number[]): number => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] as number;
  console.log(
    `publish without a subscriber ${median(rounds.without).toFixed(2)} µs, with one ${median(rounds.with).toFixed(2)} µs: ` +
      `useless delivery (${envelope.length} B envelope) ${(median(rounds.with) - median(rounds.without)).toFixed(2)} µs CPU each`,
  );
} finally {
  await Promise.all([sub.close(), pub.close()]).catch(() => undefined);
  await cluster.stop();
}
