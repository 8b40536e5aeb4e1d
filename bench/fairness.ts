/// <reference types="bun" />
/**
 * `bun bench/fairness.ts`: fairness between connections without a configured rate limit. For our server on
 * Bun, Deno and Node: 50 gentle clients send an `echo` every 20 ms and record round trips, first alone, then
 * while one client floods `echo` frames as fast as its socket takes them (reading its replies). Prints and
 * writes bench/results/fairness.md: the gentle clients' p50/p99 with and without the flood, their ratio (the
 * goal is p99 within 2x), and how the flooder ended (cut with 1008 once its inbound queue is over
 * `maxQueuedFrames`). A measurement, never an assertion. FAIR_SECONDS (default 3) sets each phase's length.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { BenchClient, connectMany } from "./lib/client.ts";
import { startServer } from "./lib/proc.ts";
import { SERVERS } from "./lib/specs.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const seconds = Number(process.env.FAIR_SECONDS ?? 3);
const GENTLE = 50;

const percentile = (sorted: number[], p: number): number =>
  sorted.length === 0 ? Number.NaN : (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number);

/** Round trips of the gentle clients over one phase, in ms, sorted. */
async function gentlePhase(clients: BenchClient[]): Promise<number[]> {
  const rtts: number[] = [];
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    clients.map(async (client) => {
      while (performance.now() < end) {
        const sent = performance.now();
        const reply = client.once("echo", 30_000);
        client.emit("echo", { sent });
        await reply;
        rtts.push(performance.now() - sent);
        await Bun.sleep(20);
      }
    }),
  );
  return rtts.sort((a, b) => a - b);
}

/** Floods until stopped; resolves with how it ended. */
function flood(flooder: BenchClient): { stop: () => void; ended: Promise<string> } {
  let running = true;
  let replies = 0;
  flooder.onFrame = () => replies++;
  const frame = flooder.encode("echo", { flood: true });
  const ended = new Promise<string>((resolve) => {
    flooder.ws.onclose = (e) => resolve(`closed ${e.code} ${e.reason || "(no reason)"} after ${replies} replies`);
    const pump = (): void => {
      if (!running) {
        resolve(`still open after ${replies} replies`);
        return;
      }
      if (flooder.ws.readyState !== WebSocket.OPEN) return;
      for (let i = 0; i < 500 && flooder.ws.bufferedAmount < 1 << 20; i++) flooder.ws.send(frame);
      setTimeout(pump, 0);
    };
    pump();
  });
  return { stop: () => void (running = false), ended };
}

const rows: string[] = [];
for (const spec of SERVERS.filter((s) => s.name.startsWith("sockeon-ts"))) {
  const server = await startServer(spec, root);
  try {
    const gentle = await connectMany(server.port, "json", GENTLE);
    const quiet = await gentlePhase(gentle);
    const flooder = await BenchClient.connect(server.port, "json");
    const flooding = flood(flooder);
    const loud = await gentlePhase(gentle);
    flooding.stop();
    const ended = await Promise.race([flooding.ended, Bun.sleep(2000).then(() => "no answer")]);
    for (const c of [...gentle, flooder]) c.close();
    const q99 = percentile(quiet, 99);
    const l99 = percentile(loud, 99);
    const row = `| ${spec.name} | ${percentile(quiet, 50).toFixed(2)} | ${q99.toFixed(2)} | ${percentile(loud, 50).toFixed(2)} | ${l99.toFixed(2)} | ${(l99 / q99).toFixed(2)}x | ${ended} |`;
    console.log(row);
    rows.push(row);
  } finally {
    await server.stop();
  }
}

const report = [
  "# Fairness: gentle clients' echo round trips (ms) without and with one flooding client",
  "",
  `${GENTLE} gentle clients, one echo each every 20 ms, ${seconds} s per phase; run ${new Date().toISOString()}.`,
  "",
  "| server | p50 alone | p99 alone | p50 flood | p99 flood | p99 ratio | flooder |",
  "| --- | --- | --- | --- | --- | --- | --- |",
  ...rows,
  "",
].join("\n");
mkdirSync(join(root, "bench/results"), { recursive: true });
writeFileSync(join(root, "bench/results/fairness.md"), report);
console.log(report);
