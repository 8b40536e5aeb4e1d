/// <reference types="bun" />
/**
 * `bun bench/fanout-procs.ts`: burst room fan-out (1,000 members, 1,000 messages) under two load generators, on
 * the same servers in interleaved rounds, to tell a server's cost from the load generator's:
 * - "one process": the main benchmark's scenario (bench/lib/scenarios.ts `fanout`), every member in the runner's
 *   single Bun process, which parses every frame itself and so drains its sockets slowly under a burst;
 * - "N processes": the members spread over FAN_PROCS Bun processes (bench/fanout-client.ts), which drain
 *   their sockets about N times faster, as many independent clients would.
 * Server CPU (every thread, schedstat) over the measured burst per delivery, deliveries/s, p50/p99, losses.
 * FAN_SERVERS=substring[,substring] picks servers (default the Bun ones: our app as the README writes it, our
 * bench app, Bun's native publish); FAN_ROUNDS (3), FAN_PROCS (4), FAN_CLIENTS (1000), FAN_MESSAGES (1000); FAN_OUT=name
 * writes bench/results/<name>.{md,json}.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BenchClient } from "./lib/client.ts";
import { cpuNs, type Running, type ServerSpec, startServer } from "./lib/proc.ts";
import { median } from "./lib/report.ts";
import { type FanoutResult, fanout } from "./lib/scenarios.ts";
import { SERVERS } from "./lib/specs.ts";

const root = join(import.meta.dir, "..");
const rounds = Number(process.env.FAN_ROUNDS ?? 3);
const procs = Number(process.env.FAN_PROCS ?? 4);
const clients = Number(process.env.FAN_CLIENTS ?? 1000);
const messages = Number(process.env.FAN_MESSAGES ?? 1000);
const WARMUP = 50;
const PAD = "x".repeat(48);

const bunOurs = SERVERS.find((s) => s.name === "sockeon-ts (Bun)") as ServerSpec;
const catalogue: ServerSpec[] = [
  { ...bunOurs, name: "sockeon-ts (Bun), default options", cmd: [bunOurs.cmd[0] as string, "bench/servers/sockeon-default.ts"] },
  bunOurs,
  SERVERS.find((s) => s.name === "Bun.serve publish") as ServerSpec,
  ...SERVERS.filter((s) => s.runtime !== "bun" && !s.env),
  ...SERVERS.filter((s) => s.runtime !== "bun" && s.name.startsWith("sockeon-ts") && !s.env).map((s) => ({
    ...s,
    name: `${s.name}, default options`,
    cmd: s.cmd.map((part) => (part === "bench/servers/sockeon.ts" ? "bench/servers/sockeon-default.ts" : part)),
  })),
];
// the Bun rows unless FAN_SERVERS picks others (comma-separated name substrings)
const picked = process.env.FAN_SERVERS?.toLowerCase().split(",");
const servers = catalogue.filter((s) => (picked ? picked.some((p) => s.name.toLowerCase().includes(p)) : s.runtime === "bun"));

/** The burst with the members in `procs` separate processes. */
async function fanoutProcs(server: Running): Promise<FanoutResult> {
  const children = Array.from({ length: procs }, (_, k) =>
    Bun.spawn([process.execPath, "bench/fanout-client.ts"], {
      cwd: root,
      env: {
        ...process.env,
        PORT: String(server.port),
        COUNT: String(Math.floor(clients / procs) + (k < clients % procs ? 1 : 0)),
        MESSAGES: String(messages),
        WARMUP: String(WARMUP),
      },
      stdout: "pipe",
      stderr: "inherit",
    }),
  );
  const lines: string[][] = children.map(() => []);
  const waiters: (() => void)[] = [];
  for (const [k, child] of children.entries()) {
    void (async () => {
      let text = "";
      for await (const chunk of child.stdout) {
        text += new TextDecoder().decode(chunk);
        const parts = text.split("\n");
        text = parts.pop() ?? "";
        for (const line of parts) lines[k]?.push(line);
        for (const w of waiters.splice(0)) w();
      }
    })();
  }
  const until = async (test: (l: string) => boolean, ms: number): Promise<boolean> => {
    const deadline = Date.now() + ms;
    while (!lines.every((l) => l.some(test))) {
      if (Date.now() > deadline) return false;
      await Promise.race([new Promise<void>((r) => waiters.push(r)), Bun.sleep(250)]);
    }
    return true;
  };
  const publisher = await BenchClient.connect(server.port, "json");
  try {
    if (!(await until((l) => l === "READY", 60_000))) throw new Error("clients did not join within 60 s");
    const burst = async (phase: number, n: number): Promise<boolean> => {
      for (let i = 0; i < n; i++) publisher.emit("say", { p: phase, i, t: performance.timeOrigin + performance.now(), pad: PAD });
      return until((l) => l.startsWith(`DONE ${phase} `), 60_000);
    };
    await burst(2, WARMUP);
    const cpu0 = cpuNs(server.pid);
    const t0 = performance.now();
    await burst(1, messages);
    const wall = performance.now() - t0;
    const cpu = cpuNs(server.pid) - cpu0;
    const done = lines.map((l) =>
      l
        .find((x) => x.startsWith("DONE 1 "))
        ?.split(" ")
        .map(Number),
    );
    const delivered = done.reduce((sum, d) => sum + (d?.[2] ?? 0), 0);
    const med = (i: number): number =>
      done.map((d) => d?.[i] ?? Number.NaN).sort((a, b) => a - b)[Math.floor(done.length / 2)] as number;
    return {
      usPerDelivery: cpu / 1000 / Math.max(1, delivered),
      deliveriesPerSec: delivered / (wall / 1000),
      p50Ms: med(4),
      p99Ms: Math.max(...done.map((d) => d?.[5] ?? Number.NaN)),
      losses: clients * messages - delivered + done.reduce((sum, d) => sum + (d?.[3] ?? 0), 0),
    };
  } finally {
    publisher.close();
    for (const child of children) child.kill("SIGKILL");
    await Promise.all(children.map((c) => c.exited));
  }
}

const harnesses: Record<string, (server: Running) => Promise<FanoutResult>> = {
  "one process": (s) => fanout(s, { clients, messages, intervalMs: 0, warmup: WARMUP, boundMs: 60_000 }),
  [`${procs} processes`]: fanoutProcs,
};
const results: Record<string, Record<string, FanoutResult[]>> = {};
const loadBefore = (await Bun.file("/proc/loadavg").text()).trim();
const startedAt = new Date();
for (let round = 1; round <= rounds; round++) {
  for (const spec of servers) {
    for (const [harness, run] of Object.entries(harnesses)) {
      const server = await startServer(spec, root);
      try {
        const result = await run(server);
        ((results[spec.name] ??= {})[harness] ??= []).push(result);
        console.log(`round ${round} ${spec.name} / ${harness}: ${JSON.stringify(result)}`);
      } catch (error) {
        console.log(`round ${round} ${spec.name} / ${harness}: failed: ${error}`);
      } finally {
        await server.stop();
        await Bun.sleep(500);
      }
    }
  }
}
const loadAfter = (await Bun.file("/proc/loadavg").text()).trim();
const publish = "Bun.serve publish";
const lines = [
  `# Burst fan-out under two load generators (${clients} members × ${messages} messages)`,
  "",
  `Run ${startedAt.toISOString()}; ${rounds} interleaved round(s), medians shown. Load average before/after: \`${loadBefore}\` / \`${loadAfter}\` (shared 2-core machine).`,
  "",
  "| server | load generator | server µs/delivery | vs Bun publish, same generator | deliveries/s | p50 ms | p99 ms | lost |",
  "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
];
for (const spec of servers) {
  for (const harness of Object.keys(harnesses)) {
    const rs = results[spec.name]?.[harness] ?? [];
    const us = median(rs.map((r) => r.usPerDelivery));
    const base = median((results[publish]?.[harness] ?? []).map((r) => r.usPerDelivery));
    lines.push(
      `| ${spec.name} | ${harness} | ${us.toFixed(3)} | ${(us / base).toFixed(2)}× | ${median(rs.map((r) => r.deliveriesPerSec)).toFixed(0)} | ${median(
        rs.map((r) => r.p50Ms),
      ).toFixed(1)} | ${median(rs.map((r) => r.p99Ms)).toFixed(1)} | ${median(rs.map((r) => r.losses)).toFixed(0)} |`,
    );
  }
}
const out = join(root, "bench", "results");
mkdirSync(out, { recursive: true });
const base = process.env.FAN_OUT ?? "fanout-procs";
writeFileSync(join(out, `${base}.md`), `${lines.join("\n")}\n`);
writeFileSync(
  join(out, `${base}.json`),
  `${JSON.stringify({ startedAt, rounds, procs, clients, messages, loadBefore, loadAfter, results }, null, 2)}\n`,
);
console.log(lines.join("\n"));
