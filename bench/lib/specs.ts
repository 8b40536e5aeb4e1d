/** The servers compared, grouped by runtime; ratios are taken within a runtime and against socket.io. */
import type { ServerSpec } from "./proc.ts";

const bin = "node_modules/.bin";

/** Every server the benchmark runs, in run order within a round. */
export const SERVERS: readonly ServerSpec[] = [
  { name: "sockeon-ts (Bun)", runtime: "bun", flavour: "json", cmd: [`${bin}/bun`, "bench/servers/sockeon.ts"] },
  {
    name: "Bun.serve publish",
    runtime: "bun",
    flavour: "json",
    cmd: [`${bin}/bun`, "bench/servers/raw-bun.ts"],
    env: { MODE: "publish" },
  },
  {
    name: "Bun.serve loop",
    runtime: "bun",
    flavour: "json",
    cmd: [`${bin}/bun`, "bench/servers/raw-bun.ts"],
    env: { MODE: "loop" },
  },
  {
    name: "sockeon-ts (Deno)",
    runtime: "deno",
    flavour: "json",
    cmd: [`${bin}/deno`, "run", "-A", "--v8-flags=--expose-gc", "bench/servers/sockeon.ts"],
  },
  {
    name: "Deno.upgradeWebSocket loop",
    runtime: "deno",
    flavour: "json",
    cmd: [`${bin}/deno`, "run", "-A", "--v8-flags=--expose-gc", "bench/servers/raw-deno.deno.ts"],
  },
  {
    name: "sockeon-ts (Node)",
    runtime: "node",
    flavour: "json",
    cmd: ["node", "--expose-gc", "--import", "tsx", "bench/servers/sockeon.ts"],
  },
  {
    name: "ws loop (Node)",
    runtime: "node",
    flavour: "json",
    cmd: ["node", "--expose-gc", "--import", "tsx", "bench/servers/raw-node-ws.ts"],
  },
  {
    name: "socket.io 4.8.3 (Node)",
    runtime: "node",
    flavour: "sio",
    cmd: ["node", "--expose-gc", "--import", "tsx", "bench/servers/socketio.ts"],
  },
];

/** Our server again with `metrics: true` (METRICS=1), per runtime: what counting costs, measured in the same run. */
export const METRICS_ON: Record<ServerSpec["runtime"], string> = {
  bun: "sockeon-ts (Bun), metrics on",
  deno: "sockeon-ts (Deno), metrics on",
  node: "sockeon-ts (Node), metrics on",
};
for (const runtime of ["bun", "deno", "node"] as const) {
  const off = SERVERS.find((spec) => spec.runtime === runtime && spec.name.startsWith("sockeon-ts")) as ServerSpec;
  (SERVERS as ServerSpec[]).push({ ...off, name: METRICS_ON[runtime], env: { ...off.env, METRICS: "1" } });
}

/**
 * With BENCH_BEFORE=<checkout of an earlier commit> (node_modules beside it), our server from that checkout runs
 * too, as "<our row>, before": a before/after comparison of a change in one run, interleaved.
 */
const before = process.env.BENCH_BEFORE;
if (before) {
  const ours = SERVERS.filter((spec) => spec.name.startsWith("sockeon-ts") && spec.env?.METRICS === undefined);
  (SERVERS as ServerSpec[]).push(
    ...ours.map((spec) => ({
      ...spec,
      name: `${spec.name}, before`,
      cmd: spec.cmd.map((part) => (part === "bench/servers/sockeon.ts" ? `${before}/bench/servers/sockeon.ts` : part)),
    })),
  );
}

/** The raw baseline of each runtime that targets compare against. */
export const BASELINE: Record<ServerSpec["runtime"], string> = {
  bun: "Bun.serve publish",
  deno: "Deno.upgradeWebSocket loop",
  node: "ws loop (Node)",
};

/** The socket.io row. */
export const SOCKET_IO = "socket.io 4.8.3 (Node)";

/** Our row per runtime. */
export const OURS: Record<ServerSpec["runtime"], string> = {
  bun: "sockeon-ts (Bun)",
  deno: "sockeon-ts (Deno)",
  node: "sockeon-ts (Node)",
};
