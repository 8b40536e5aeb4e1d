/// <reference types="bun" />
/**
 * `bun bench/recovery-full.ts`: what connection-state recovery costs at the main benchmark's full sizes. Our
 * bench app on Bun, Deno and Node, with recovery off and on (RECOVERY=1; the bench clients always opt in, so
 * with it on every frame is also logged), in interleaved rounds, under the main benchmark's scenarios
 * (bench/lib/scenarios.ts): burst fan-out 1,000 × 1,000 and 5,000 × 200, paced fan-out 1,000 × 50 every 20 ms,
 * echo 100 × 1,000. Reports server CPU per delivery (per round trip for echo) and the on/off ratio; target
 * (issue 15) at most 1.15×. REC_ROUNDS (3), REC_RUNTIMES=bun,deno,node, REC_SCENARIOS=burst1k,burst5k,paced,echo,
 * REC_OUT=name writes bench/results/<name>.{md,json} (default recovery-full).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Running, type ServerSpec, startServer } from "./lib/proc.ts";
import { median } from "./lib/report.ts";
import { echo, fanout } from "./lib/scenarios.ts";
import { SERVERS } from "./lib/specs.ts";

const root = join(import.meta.dir, "..");
const rounds = Number(process.env.REC_ROUNDS ?? 3);
const runtimes = (process.env.REC_RUNTIMES ?? "bun,deno,node").split(",");
const scenarios = new Set((process.env.REC_SCENARIOS ?? "burst1k,burst5k,paced,echo").split(","));
const ours = SERVERS.filter((s) => s.name.startsWith("sockeon-ts") && !s.env && runtimes.includes(s.runtime));
const servers: ServerSpec[] = ours.flatMap((spec) => [
  spec,
  { ...spec, name: `${spec.name}, recovery on`, env: { RECOVERY: "1" } },
]);

type Row = Record<string, { us: number; perSec: number; p50: number; p99: number; lost: number }[]>;
const results: Record<string, Row> = {};

async function withServer(spec: ServerSpec, body: (s: Running) => Promise<void>): Promise<void> {
  const server = await startServer(spec, root);
  try {
    await body(server);
  } finally {
    await server.stop();
    await Bun.sleep(300);
  }
}

const loadBefore = (await Bun.file("/proc/loadavg").text()).trim();
const startedAt = new Date();
for (let round = 1; round <= rounds; round++) {
  for (const spec of servers) {
    const row = (results[spec.name] ??= {});
    const t0 = performance.now();
    const add = (metric: string, us: number, perSec: number, p50: number, p99: number, lost: number): void =>
      void (row[metric] ??= []).push({ us, perSec, p50, p99, lost });
    await withServer(spec, async (s) => {
      if (scenarios.has("burst1k")) {
        const r = await fanout(s, { clients: 1000, messages: 1000, intervalMs: 0, warmup: 50, boundMs: 60_000 });
        add("burst1k", r.usPerDelivery, r.deliveriesPerSec, r.p50Ms, r.p99Ms, r.losses);
      }
      if (scenarios.has("paced")) {
        const r = await fanout(s, { clients: 1000, messages: 50, intervalMs: 20, warmup: 100, boundMs: 30_000 });
        add("paced", r.usPerDelivery, r.deliveriesPerSec, r.p50Ms, r.p99Ms, r.losses);
      }
      if (scenarios.has("echo")) {
        const r = await echo(s, { clients: 100, rounds: 1000, warmup: 200 });
        add("echo", r.usPerRoundTrip, r.roundTripsPerSec, r.p50Ms, r.p99Ms, 0);
      }
    });
    if (scenarios.has("burst5k")) {
      await withServer(spec, async (s) => {
        const r = await fanout(s, { clients: 5000, messages: 200, intervalMs: 0, warmup: 10, boundMs: 60_000 });
        add("burst5k", r.usPerDelivery, r.deliveriesPerSec, r.p50Ms, r.p99Ms, r.losses);
      });
    }
    console.log(
      `round ${round}/${rounds} ${spec.name}: ${((performance.now() - t0) / 1000).toFixed(1)} s ${JSON.stringify(row)}`,
    );
  }
}
const loadAfter = (await Bun.file("/proc/loadavg").text()).trim();

const titles: Record<string, string> = {
  burst1k: "Burst fan-out 1,000 × 1,000 (µs/delivery)",
  burst5k: "Burst fan-out 5,000 × 200 (µs/delivery)",
  paced: "Paced fan-out 1,000 × 50, one per 20 ms (µs/delivery)",
  echo: "Echo 100 × 1,000 (µs/round trip)",
};
const lines = [
  "# Connection-state recovery on vs off, full-size benchmark",
  "",
  `Run ${startedAt.toISOString()}; ${rounds} interleaved round(s), medians shown. Load average before/after: \`${loadBefore}\` / \`${loadAfter}\` (shared 2-core machine).`,
  "Server CPU over the measured window (every thread, schedstat); the bench clients opt into recovery, so with it on every frame is also logged. Target (issue 15): on/off at most 1.15×.",
  "",
  "| scenario | runtime | off | on | on ÷ off | holds (≤ 1.15×) | lost (on) | p99 ms off / on |",
  "| --- | --- | ---: | ---: | ---: | :---: | ---: | ---: |",
];
for (const metric of ["burst1k", "burst5k", "paced", "echo"].filter((m) => scenarios.has(m))) {
  for (const spec of ours) {
    const off = results[spec.name]?.[metric] ?? [];
    const on = results[`${spec.name}, recovery on`]?.[metric] ?? [];
    const a = median(off.map((r) => r.us));
    const b = median(on.map((r) => r.us));
    const digits = metric === "echo" ? 2 : 3;
    lines.push(
      `| ${titles[metric]} | ${spec.runtime} | ${a.toFixed(digits)} | ${b.toFixed(digits)} | ${(b / a).toFixed(2)}× | ${b / a <= 1.15 ? "yes" : "**no**"} | ${median(
        on.map((r) => r.lost),
      ).toFixed(0)} | ${median(off.map((r) => r.p99)).toFixed(1)} / ${median(on.map((r) => r.p99)).toFixed(1)} |`,
    );
  }
}
const out = join(root, "bench", "results");
mkdirSync(out, { recursive: true });
const base = process.env.REC_OUT ?? "recovery-full";
writeFileSync(join(out, `${base}.md`), `${lines.join("\n")}\n`);
writeFileSync(join(out, `${base}.json`), `${JSON.stringify({ startedAt, rounds, loadBefore, loadAfter, results }, null, 2)}\n`);
console.log(lines.join("\n"));
