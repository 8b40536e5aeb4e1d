/**
 * Turns the raw rounds into the markdown report: medians per metric, ratios against each runtime's raw
 * baseline and against socket.io, and the targets of the performance issue with whether each holds.
 */
import { cpus, release } from "node:os";
import { EXPLANATIONS } from "./explanations.ts";
import { BASELINE, METRICS_ON, OURS, SERVERS, SOCKET_IO } from "./specs.ts";

/** Every round's result per server and metric (`idle` is bytes per connection). */
export type Measurements = Record<string, Record<string, unknown[]>>;

/** Facts printed in the report header. */
export interface RunInfo {
  startedAt: Date;
  rounds: number;
  quick: boolean;
  load: Record<string, unknown>;
  loadBefore: string;
  loadAfter: string;
}

/** Median of the finite values (mean of the middle two for an even count); NaN when there is none. */
export function median(values: number[]): number {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return Number.NaN;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? (v[mid] as number) : ((v[mid - 1] as number) + (v[mid] as number)) / 2;
}

/** Median of one field of one metric of one server. */
function med(results: Measurements, server: string, metric: string, field?: string): number {
  const rows = results[server]?.[metric] ?? [];
  return median(rows.map((r) => (field ? (r as Record<string, number>)[field] : (r as number)) as number));
}

const fmt = (x: number, digits = 2): string => (Number.isFinite(x) ? x.toFixed(digits) : "–");
const ratio = (a: number, b: number): string => (Number.isFinite(a / b) ? `${(a / b).toFixed(2)}×` : "–");

function fanoutTable(results: Measurements, metric: string, servers: string[]): string {
  const lines = [
    "| server | server µs/delivery | vs raw runtime | vs socket.io | deliveries/s | p50 ms | p99 ms | lost |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const name of servers) {
    const spec = SERVERS.find((s) => s.name === name);
    if (!spec || !results[name]?.[metric]) continue;
    const us = med(results, name, metric, "usPerDelivery");
    const base = med(results, BASELINE[spec.runtime], metric, "usPerDelivery");
    const sio = med(results, SOCKET_IO, metric, "usPerDelivery");
    lines.push(
      `| ${name} | ${fmt(us, 3)} | ${ratio(us, base)} | ${ratio(us, sio)} | ${fmt(med(results, name, metric, "deliveriesPerSec"), 0)} | ${fmt(
        med(results, name, metric, "p50Ms"),
        1,
      )} | ${fmt(med(results, name, metric, "p99Ms"), 1)} | ${fmt(med(results, name, metric, "losses"), 0)} |`,
    );
  }
  return lines.join("\n");
}

function echoTable(results: Measurements, servers: string[]): string {
  const lines = [
    "| server | server µs/round trip | vs raw runtime | vs socket.io | round trips/s | p50 ms | p99 ms |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const name of servers) {
    const spec = SERVERS.find((s) => s.name === name);
    if (!spec || !results[name]?.echo) continue;
    const us = med(results, name, "echo", "usPerRoundTrip");
    lines.push(
      `| ${name} | ${fmt(us, 2)} | ${ratio(us, med(results, BASELINE[spec.runtime], "echo", "usPerRoundTrip"))} | ${ratio(
        us,
        med(results, SOCKET_IO, "echo", "usPerRoundTrip"),
      )} | ${fmt(med(results, name, "echo", "roundTripsPerSec"), 0)} | ${fmt(med(results, name, "echo", "p50Ms"), 2)} | ${fmt(
        med(results, name, "echo", "p99Ms"),
        2,
      )} |`,
    );
  }
  return lines.join("\n");
}

function idleTable(results: Measurements, servers: string[]): string {
  const lines = [
    "| server | RSS bytes/idle connection | minus raw runtime | JS heap bytes/connection | minus raw runtime |",
    "| --- | ---: | ---: | ---: | ---: |",
  ];
  for (const name of servers) {
    const spec = SERVERS.find((s) => s.name === name);
    if (!spec || !results[name]?.idle) continue;
    const base = BASELINE[spec.runtime];
    const rss = med(results, name, "idle", "rssPerConn");
    const heap = med(results, name, "idle", "heapPerConn");
    lines.push(
      `| ${name} | ${fmt(rss, 0)} | ${fmt(rss - med(results, base, "idle", "rssPerConn"), 0)} | ${fmt(heap, 0)} | ${fmt(
        heap - med(results, base, "idle", "heapPerConn"),
        0,
      )} |`,
    );
  }
  return lines.join("\n");
}

/** One target of the issue: a measured ratio (or difference) against its limit. */
interface Target {
  label: string;
  value: number;
  limit: number;
  unit: "×" | "B";
}

function targets(results: Measurements): Target[] {
  const out: Target[] = [];
  const us = (server: string, metric: string): number =>
    med(results, server, metric, metric === "echo" ? "usPerRoundTrip" : "usPerDelivery");
  const fan = [
    ["burst1k", "burst 1k"],
    ["burst5k", "burst 5k"],
    ["paced", "paced"],
  ] as const;
  for (const [metric, label] of fan) {
    out.push({
      label: `Bun ${label}: ours / Bun publish`,
      value: us(OURS.bun, metric) / us(BASELINE.bun, metric),
      limit: metric === "paced" ? 1.25 : 1.0,
      unit: "×",
    });
  }
  for (const runtime of ["deno", "node"] as const) {
    for (const [metric, label] of fan) {
      out.push({
        label: `${runtime === "deno" ? "Deno" : "Node"} ${label}: ours / raw loop`,
        value: us(OURS[runtime], metric) / us(BASELINE[runtime], metric),
        limit: 1.2,
        unit: "×",
      });
    }
  }
  for (const [metric, label] of fan) {
    out.push({
      label: `Node ${label}: ours / socket.io`,
      value: us(OURS.node, metric) / us(SOCKET_IO, metric),
      limit: 0.5,
      unit: "×",
    });
  }
  for (const runtime of ["bun", "deno", "node"] as const) {
    out.push({
      label: `${runtime[0]?.toUpperCase()}${runtime.slice(1)} echo: ours / raw`,
      value: us(OURS[runtime], "echo") / us(BASELINE[runtime], "echo"),
      limit: 1.15,
      unit: "×",
    });
  }
  for (const runtime of ["bun", "deno", "node"] as const) {
    for (const [metric, label] of [
      ["burst1k", "burst 1k"],
      ["echo", "echo"],
    ] as const) {
      out.push({
        label: `${runtime[0]?.toUpperCase()}${runtime.slice(1)} ${label}: metrics on / off`,
        value: us(METRICS_ON[runtime], metric) / us(OURS[runtime], metric),
        limit: 1.05,
        unit: "×",
      });
    }
  }
  for (const runtime of ["bun", "deno", "node"] as const) {
    out.push({
      label: `${runtime[0]?.toUpperCase()}${runtime.slice(1)} idle memory: ours − raw`,
      value: med(results, OURS[runtime], "idle", "rssPerConn") - med(results, BASELINE[runtime], "idle", "rssPerConn"),
      limit: 1536,
      unit: "B",
    });
  }
  return out;
}

/** The whole markdown report. */
export function renderReport(results: Measurements, info: RunInfo): string {
  const servers = SERVERS.map((s) => s.name).filter((n) => results[n]);
  const load = info.load as Record<string, number[] | number>;
  const list = targets(results);
  const met = list.filter((t) => t.value <= t.limit).length;
  const targetLines = ["| target | measured | limit | holds |", "| --- | ---: | ---: | :---: |"];
  for (const t of list) {
    const shown = t.unit === "×" ? `${fmt(t.value)}×` : `${fmt(t.value, 0)} B`;
    const limit = t.unit === "×" ? `≤ ${t.limit}×` : `≤ +${t.limit} B`;
    targetLines.push(
      `| ${t.label} | ${shown} | ${limit} | ${Number.isFinite(t.value) ? (t.value <= t.limit ? "yes" : "**no**") : "–"} |`,
    );
  }
  const missed = list.filter((t) => Number.isFinite(t.value) && t.value > t.limit);
  const why = missed.length
    ? `\n## Why the missed targets miss\n\n${missed
        .map(
          (t) =>
            `### ${t.label}\n\n${EXPLANATIONS[t.label] ?? "No profile recorded for this one: rerun and profile with bench/profile.ts."}\n`,
        )
        .join("\n")}`
    : "";
  return `# Benchmark results${info.quick ? " (quick run)" : ""}

Run ${info.startedAt.toISOString()}; ${info.rounds} interleaved round(s), medians shown. Machine: ${cpus().length} × ${
    cpus()[0]?.model ?? "unknown CPU"
  }, Linux ${release()}, bun ${Bun.version}, deno ${denoVersion()}, node ${nodeVersion()}. Load average before/after: \`${
    info.loadBefore
  }\` / \`${info.loadAfter}\` (shared machine: other jobs may have run during the rounds).

Server CPU is the sum over every server thread of /proc/<pid>/task/*/schedstat across the measured window, so
it does not depend on which side saturated; the load generator is one Bun process on the same 2 cores.

## Targets (${met} of ${list.length} hold)

${targetLines.join("\n")}
${why}
## Burst fan-out: ${(load.burst1k as number[])[0]} clients in a room, ${(load.burst1k as number[])[1]} messages at full speed

${fanoutTable(results, "burst1k", servers)}

## Burst fan-out: ${(load.burst5k as number[])[0]} clients, ${(load.burst5k as number[])[1]} messages at full speed

${fanoutTable(results, "burst5k", servers)}

## Paced fan-out: ${(load.paced as number[])[0]} clients, ${(load.paced as number[])[1]} messages, one every ${
    (load.paced as number[])[2]
  } ms

${fanoutTable(results, "paced", servers)}

## Echo: ${(load.echo as number[])[0]} clients, ${(load.echo as number[])[1]} sequential request/replies each

${echoTable(results, servers)}

## Idle connections: ${load.idle} open, RSS growth per connection after a full GC

${idleTable(results, servers)}
`;
}

function denoVersion(): string {
  try {
    const out = Bun.spawnSync(["node_modules/.bin/deno", "--version"]).stdout.toString();
    return /deno (\S+)/.exec(out)?.[1] ?? "?";
  } catch {
    return "?";
  }
}

function nodeVersion(): string {
  try {
    return Bun.spawnSync(["node", "--version"]).stdout.toString().trim().replace(/^v/, "");
  } catch {
    return "?";
  }
}
