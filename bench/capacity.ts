/// <reference types="bun" />
/**
 * `bun bench/capacity.ts`: idle connections per server, at several sizes, in interleaved rounds: RSS and live
 * heap per connection after a full GC, and the connect rate. Two load generators:
 * - CAP_CLIENT=ws (default): client processes with the `ws` API on Bun (bench/capacity-client.ts), at most 9,750 sockets each
 *   (the fd limit is per process), bound round-robin to 127.x.y.1-4 so no source address runs out of ports;
 *   what the capacity runs (10,000 and the ~19,500 one process may hold) use.
 * - CAP_CLIENT=bun: the main benchmark's Bun clients from 127.0.0.1 (bench/lib/client.ts), as
 *   `npm run bench`'s idle row measures it; for the idle-memory targets.
 * CAP_BEFORE=<earlier checkout> adds our bench app from there. CAP_COUNTS=10000,19500, CAP_ROUNDS=1, CAP_ONLY=substring[,substring] (server names), CAP_OUT=name writes
 * bench/results/<name>.{md,json}. Servers: ours (the bench app, and the README-style app with default options),
 * the raw loops and socket.io.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { connectMany } from "./lib/client.ts";
import { type Running, rssBytes, type ServerSpec, startServer } from "./lib/proc.ts";
import { median } from "./lib/report.ts";
import { BASELINE, SERVERS } from "./lib/specs.ts";

const root = join(import.meta.dir, "..");
const counts = (process.env.CAP_COUNTS ?? "10000,19500").split(",").map(Number);
const rounds = Number(process.env.CAP_ROUNDS ?? 1);
const clientKind = process.env.CAP_CLIENT ?? "ws";
const only = process.env.CAP_ONLY?.split(",").map((s) => s.toLowerCase());
const PER_PROCESS = 9750;

const peers = ["Bun.serve publish", "Deno.upgradeWebSocket loop", "ws loop (Node)", "socket.io 4.8.3 (Node)"];
const ours = SERVERS.filter((s) => s.name.startsWith("sockeon-ts") && !s.env?.METRICS && !s.env?.RECOVERY);
const defaults: ServerSpec[] = ours.map((spec) => ({
  ...spec,
  name: `${spec.name}, default options`,
  cmd: spec.cmd.map((part) => (part === "bench/servers/sockeon.ts" ? "bench/servers/sockeon-default.ts" : part)),
}));
// CAP_BEFORE=<checkout of an earlier commit, node_modules beside it>: our bench app from there too, same run
const before = process.env.CAP_BEFORE;
const earlier: ServerSpec[] = before
  ? ours.map((spec) => ({
      ...spec,
      name: `${spec.name}, before`,
      cmd: spec.cmd.map((part) => (part === "bench/servers/sockeon.ts" ? `${before}/bench/servers/sockeon.ts` : part)),
    }))
  : [];
// CAP_DEFAULTS=0 leaves the README-style app out
const withDefaults = process.env.CAP_DEFAULTS !== "0";
const all: ServerSpec[] = [
  ...ours,
  ...(withDefaults ? defaults : []),
  ...earlier,
  ...SERVERS.filter((s) => peers.includes(s.name)),
];
const servers = all.filter((s) => !only || only.some((o) => s.name.toLowerCase().includes(o)));

/** One idle measurement. */
interface IdleRow {
  opened: number;
  rssPerConn: number;
  heapPerConn: number;
  connectsPerSec: number;
  serverFdLimit: number;
  clientFdLimit: number;
  error?: string;
}

async function gc(server: Running): Promise<number> {
  await fetch(`http://127.0.0.1:${server.port}/gc`).then((r) => r.text());
  await Bun.sleep(400);
  const heap = Number(await fetch(`http://127.0.0.1:${server.port}/gc`).then((r) => r.text()));
  await Bun.sleep(200);
  return heap;
}

const fdLimit = (pid: number | "self"): number =>
  Number(/Max open files\s+(\d+)/.exec(readFileSync(`/proc/${pid}/limits`, "utf8"))?.[1]);

let block = 10 + Math.floor(Math.random() * 100);

/** Starts client processes for `count` sockets; resolves once all reported, with the slowest one's time. */
async function wsClients(
  server: Running,
  count: number,
): Promise<{ procs: Subprocess[]; opened: number; ms: number; limit: number; error?: string }> {
  const n = Math.ceil(count / PER_PROCESS);
  // a fresh block of source addresses per batch: the last run's TIME_WAIT ports stay out of the way
  block = block >= 250 ? 10 : block + 1;
  const procs = Array.from({ length: n }, (_, k) =>
    Bun.spawn([process.execPath, "bench/capacity-client.ts"], {
      cwd: root,
      env: {
        ...process.env,
        PORT: String(server.port),
        COUNT: String(Math.floor(count / n) + (k < count % n ? 1 : 0)),
        FLAVOUR: server.spec.flavour,
        ADDRS: [1, 2, 3, 4].map((j) => `127.${block}.${k}.${j}`).join(","),
      },
      stdout: "pipe",
      stderr: "inherit",
    }),
  );
  let opened = 0;
  let ms = 0;
  let limit = Number.POSITIVE_INFINITY;
  let error: string | undefined;
  await Promise.all(
    procs.map(async (proc) => {
      const reader = proc.stdout.getReader();
      let text = "";
      const deadline = Date.now() + 240_000;
      while (Date.now() < deadline && !/^(OPEN|FAIL) .*$/m.test(text)) {
        const chunk = await Promise.race([reader.read(), Bun.sleep(deadline - Date.now()).then(() => null)]);
        if (!chunk || chunk.done) break;
        text += new TextDecoder().decode(chunk.value);
      }
      reader.releaseLock();
      limit = Math.min(limit, Number(/LIMIT (\d+)/.exec(text)?.[1]));
      const open = /^OPEN (\d+) (\d+)$/m.exec(text);
      if (open) {
        opened += Number(open[1]);
        ms = Math.max(ms, Number(open[2]));
      } else error = /^FAIL (.*)$/m.exec(text)?.[1] ?? "no answer within 240 s";
    }),
  );
  return { procs, opened, ms, limit, error };
}

async function measure(spec: ServerSpec, count: number): Promise<IdleRow> {
  const server = await startServer(spec, root);
  try {
    const serverFdLimit = fdLimit(server.pid);
    if (clientKind === "bun") {
      for (const c of await connectMany(server.port, spec.flavour, 200)) c.close();
      const heap0 = await gc(server);
      const rss0 = rssBytes(server.pid);
      const t0 = performance.now();
      const clients = await connectMany(server.port, spec.flavour, count, 500);
      const ms = performance.now() - t0;
      try {
        const heap1 = await gc(server);
        return {
          opened: clients.length,
          rssPerConn: (rssBytes(server.pid) - rss0) / count,
          heapPerConn: (heap1 - heap0) / count,
          connectsPerSec: count / (ms / 1000),
          serverFdLimit,
          clientFdLimit: fdLimit("self"),
        };
      } finally {
        for (const c of clients) c.close();
      }
    }
    // warm the connection path so compiled code is not counted per connection
    const warm = await wsClients(server, 200);
    for (const p of warm.procs) p.kill("SIGKILL");
    await Promise.all(warm.procs.map((p) => p.exited));
    await Bun.sleep(1000);
    const heap0 = await gc(server);
    const rss0 = rssBytes(server.pid);
    const run = await wsClients(server, count);
    try {
      const heap1 = await gc(server);
      const opened = run.opened;
      return {
        opened,
        rssPerConn: (rssBytes(server.pid) - rss0) / Math.max(1, opened),
        heapPerConn: (heap1 - heap0) / Math.max(1, opened),
        connectsPerSec: opened / (run.ms / 1000),
        serverFdLimit,
        clientFdLimit: run.limit,
        ...(run.error && { error: run.error }),
      };
    } finally {
      for (const p of run.procs) p.kill("SIGKILL");
      await Promise.all(run.procs.map((p) => p.exited));
    }
  } finally {
    await server.stop();
    await Bun.sleep(1000);
  }
}

const results: Record<string, Record<number, IdleRow[]>> = {};
const loadBefore = (await Bun.file("/proc/loadavg").text()).trim();
const startedAt = new Date();
for (let round = 1; round <= rounds; round++) {
  for (const count of counts) {
    for (const spec of servers) {
      const t0 = performance.now();
      let row: IdleRow;
      try {
        row = await measure(spec, count);
      } catch (error) {
        row = {
          opened: 0,
          rssPerConn: Number.NaN,
          heapPerConn: Number.NaN,
          connectsPerSec: Number.NaN,
          serverFdLimit: 0,
          clientFdLimit: 0,
          error: String(error),
        };
      }
      ((results[spec.name] ??= {})[count] ??= []).push(row);
      const took = ((performance.now() - t0) / 1000).toFixed(1);
      console.log(`round ${round} ${count} ${spec.name}: ${JSON.stringify(row)} (${took} s)`);
    }
  }
}
const loadAfter = (await Bun.file("/proc/loadavg").text()).trim();

const med = (name: string, count: number, field: keyof IdleRow): number =>
  median((results[name]?.[count] ?? []).map((r) => r[field] as number));
const fmt = (x: number): string => (Number.isFinite(x) ? x.toFixed(0) : "–");

const lines: string[] = [
  `# Idle connections (${clientKind === "ws" ? "ws-API client processes on Bun, many source addresses" : "Bun clients from 127.0.0.1"})`,
  "",
  `Run ${startedAt.toISOString()}; ${rounds} interleaved round(s), medians shown. Load average before/after: \`${loadBefore}\` / \`${loadAfter}\` (shared 2-core machine).`,
  "RSS and live JS heap are read after a full GC, before and after the clients connect; the difference over the connections open.",
  "",
];
for (const count of counts) {
  lines.push(`## ${count.toLocaleString("en-US")} idle connections`, "");
  lines.push(
    "| server | open | RSS bytes/connection | minus raw runtime | JS heap bytes/connection | connects/s | server fd limit | client fd limit |",
  );
  lines.push("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const spec of servers) {
    const rss = med(spec.name, count, "rssPerConn");
    const base = med(BASELINE[spec.runtime], count, "rssPerConn");
    const errors = (results[spec.name]?.[count] ?? []).map((r) => r.error).filter(Boolean);
    const note = errors.length ? ` (${errors.join("; ").slice(0, 120)})` : "";
    lines.push(
      `| ${spec.name}${note} | ${fmt(med(spec.name, count, "opened"))} | ${fmt(rss)} | ${fmt(rss - base)} | ${fmt(med(spec.name, count, "heapPerConn"))} | ${fmt(
        med(spec.name, count, "connectsPerSec"),
      )} | ${fmt(med(spec.name, count, "serverFdLimit"))} | ${fmt(med(spec.name, count, "clientFdLimit"))} |`,
    );
  }
  lines.push("");
}
const out = join(root, "bench", "results");
mkdirSync(out, { recursive: true });
const base = process.env.CAP_OUT ?? `capacity-${clientKind}`;
writeFileSync(join(out, `${base}.md`), `${lines.join("\n")}\n`);
writeFileSync(
  join(out, `${base}.json`),
  `${JSON.stringify({ startedAt, rounds, counts, clientKind, loadBefore, loadAfter, results }, null, 2)}\n`,
);
console.log(lines.join("\n"));
