/// <reference types="bun" />
/**
 * `npm run bench`: runs every server in SERVERS one after another on the same load, in interleaved rounds,
 * and writes bench/results/latest.md (+ latest.json). BENCH_QUICK=1 for a short run (one round, smaller
 * loads); BENCH_ONLY=substring to run some servers; BENCH_SCENARIOS=echo,paced,... to run some scenarios;
 * BENCH_ROUNDS=n to override the rounds; BENCH_BEFORE=<earlier checkout> adds our server from there (see
 * lib/specs.ts); BENCH_OUT=name writes bench/results/<name>.md instead of latest.md. 127.0.0.1 only.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Running, startServer } from "./lib/proc.ts";
import { type Measurements, renderReport } from "./lib/report.ts";
import { echo, fanout, idleMemory } from "./lib/scenarios.ts";
import { SERVERS } from "./lib/specs.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const quick = process.env.BENCH_QUICK === "1";
const only = process.env.BENCH_ONLY;
const scenarios = new Set((process.env.BENCH_SCENARIOS ?? "idle,burst1k,paced,echo,burst5k").split(","));
const rounds = Number(process.env.BENCH_ROUNDS ?? (quick ? 1 : 3));

/** Load sizes; the quick run keeps the shapes and shrinks the counts. */
export const LOAD = quick
  ? { burst1k: [1000, 200], burst5k: [2000, 50], paced: [1000, 15, 20], echo: [100, 300], idle: 2000 }
  : { burst1k: [1000, 1000], burst5k: [5000, 200], paced: [1000, 50, 20], echo: [100, 1000], idle: 10000 };

const servers = SERVERS.filter((s) => !only || s.name.toLowerCase().includes(only.toLowerCase()));
const results: Measurements = {};
const startedAt = new Date();
const loadBefore = await Bun.file("/proc/loadavg").text();

async function withServer<T>(spec: (typeof SERVERS)[number], body: (server: Running) => Promise<T>): Promise<T> {
  const server = await startServer(spec, root);
  try {
    return await body(server);
  } finally {
    await server.stop();
    // let the kernel reap the killed server's sockets before the next one starts
    await Bun.sleep(300);
  }
}

for (let round = 1; round <= rounds; round++) {
  for (const spec of servers) {
    const row = (results[spec.name] ??= {});
    let mark = performance.now();
    const add = (metric: string, value: unknown): void => {
      ((row[metric] ??= []) as unknown[]).push(value);
      const now = performance.now();
      if (process.env.BENCH_VERBOSE) console.error(`  ${spec.name} ${metric}: ${((now - mark) / 1000).toFixed(1)} s`);
      mark = now;
    };
    const t0 = performance.now();
    if (scenarios.has("idle")) add("idle", await withServer(spec, (s) => idleMemory(s, LOAD.idle)));
    await withServer(spec, async (s) => {
      const [c1, m1] = LOAD.burst1k as [number, number];
      if (scenarios.has("burst1k"))
        add("burst1k", await fanout(s, { clients: c1, messages: m1, intervalMs: 0, warmup: 50, boundMs: 60_000 }));
      const [cp, mp, ip] = LOAD.paced as [number, number, number];
      if (scenarios.has("paced"))
        add("paced", await fanout(s, { clients: cp, messages: mp, intervalMs: ip, warmup: 100, boundMs: 30_000 }));
      const [ce, re] = LOAD.echo as [number, number];
      if (scenarios.has("echo")) add("echo", await echo(s, { clients: ce, rounds: re, warmup: 200 }));
    });
    if (scenarios.has("burst5k")) {
      await withServer(spec, async (s) => {
        const [c5, m5] = LOAD.burst5k as [number, number];
        add("burst5k", await fanout(s, { clients: c5, messages: m5, intervalMs: 0, warmup: 10, boundMs: 60_000 }));
      });
    }
    console.log(`round ${round}/${rounds} ${spec.name}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
}

const loadAfter = await Bun.file("/proc/loadavg").text();
const info = { startedAt, rounds, quick, load: LOAD, loadBefore: loadBefore.trim(), loadAfter: loadAfter.trim() };
const report = renderReport(results, info);
const outDir = join(root, "bench", "results");
mkdirSync(outDir, { recursive: true });
// BENCH_OUT names the report (e.g. a before/after comparison) so it does not replace latest.md
const base = process.env.BENCH_OUT ?? (quick ? "quick" : "latest");
writeFileSync(join(outDir, `${base}.md`), report);
writeFileSync(join(outDir, `${base}.json`), `${JSON.stringify({ ...info, results }, null, 2)}\n`);
console.log(report);
