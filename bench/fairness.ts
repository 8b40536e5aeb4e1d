/// <reference types="bun" />
/**
 * `bun bench/fairness.ts`: fairness between connections without a configured rate limit. For our server on
 * Bun, Deno and Node: 50 gentle clients send an `echo` every 20 ms and record round trips, first alone, then
 * while one client floods `echo` frames as fast as its socket takes them (reading its replies), from its own
 * process (bench/lib/flooder.ts, at nice 19) so the flood does not slow the process that measures. Windows with
 * and without the flood alternate (500 ms each), so the machine's other load weighs on both alike. Prints and
 * writes bench/results/fairness.md: the gentle clients' p50/p99 with and without the flood, their ratio (the
 * goal is p99 within 2x), and how the flooder ended (cut with 1008 once its inbound queue is over
 * `maxQueuedFrames`). A measurement, never an assertion. FAIR_SECONDS (default 3) sets the time with and without the flood;
 * FAIR_RUNTIMES (e.g. `bun,node`) picks runtimes; FAIR_RUNS (default 1) repeats the whole set, interleaved.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type BenchClient, connectMany } from "./lib/client.ts";
import { startServer } from "./lib/proc.ts";
import { SERVERS } from "./lib/specs.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const seconds = Number(process.env.FAIR_SECONDS ?? 3);
const GENTLE = 50;
/** Length of one window with or without the flood, in ms. */
const SLICE_MS = 500;
const runtimes = (process.env.FAIR_RUNTIMES ?? "bun,deno,node").split(",");

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const percentile = (sorted: number[], p: number): number =>
  sorted.length === 0 ? Number.NaN : (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number);

/**
 * The flooder in its own process (bench/lib/flooder.ts) at the lowest CPU priority: on one machine its CPU would
 * otherwise be taken from the server and the measuring process, which a remote attacker's is not. Paused with
 * SIGSTOP between flood windows.
 */
class Flooder {
  readonly #proc: ReturnType<typeof Bun.spawn>;
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  #text = "";

  private constructor(port: number) {
    const cmd = ["nice", "-n", "19", process.execPath, join(root, "bench/lib/flooder.ts"), String(port)];
    this.#proc = Bun.spawn(cmd, { stdout: "pipe" });
    this.#reader = (this.#proc.stdout as ReadableStream<Uint8Array>).getReader();
    void this.#read();
  }

  /** Starts one and resolves once it is flooding (or ended). */
  static async start(port: number): Promise<Flooder> {
    const flooder = new Flooder(port);
    while (!flooder.#text.includes("FLOODING") && !flooder.ended) await Bun.sleep(5);
    return flooder;
  }

  async #read(): Promise<void> {
    const decoder = new TextDecoder();
    for (;;) {
      const { value, done } = await this.#reader.read();
      if (done) break;
      this.#text += decoder.decode(value);
    }
  }

  /** How it ended (`closed 1008 ...`, `still open`), once it did. */
  get ended(): string | undefined {
    return /ENDED (.*)/.exec(this.#text)?.[1];
  }

  pause(): void {
    if (!this.ended) this.#proc.kill("SIGSTOP");
  }

  resume(): void {
    if (!this.ended) this.#proc.kill("SIGCONT");
  }

  /** Stops it and resolves with how it ended. */
  async stop(): Promise<string> {
    if (!this.ended) {
      this.#proc.kill("SIGCONT");
      this.#proc.kill("SIGTERM");
    }
    await this.#proc.exited;
    for (let i = 0; i < 100 && !this.ended; i++) await Bun.sleep(10);
    return this.ended ?? "no answer";
  }
}

/**
 * The gentle clients' round trips (ms, sorted) in alternating windows without and with the flood (SLICE_MS each,
 * `seconds` of each in total), so the machine's other load falls on both alike. A flooder the server cut is
 * replaced before the next flood window (outside any window); how each ended is returned.
 */
async function measure(
  port: number,
  clients: BenchClient[],
): Promise<{ quiet: number[]; loud: number[]; ends: string[]; pairs: number[] }> {
  const rtts: Record<"quiet" | "loud", number[]> = { quiet: [], loud: [] };
  // the round trips of each window, for the ratio of each flood window to the quiet window just before it
  const windows: number[][] = [];
  let mode: "quiet" | "loud" | "off" = "off";
  let running = true;
  const gentle = Promise.all(
    clients.map(async (client) => {
      while (running) {
        const window = mode;
        const index = windows.length - 1;
        const sent = performance.now();
        const reply = client.once("echo", 30_000);
        client.emit("echo", { sent });
        await reply;
        if (window !== "off" && window === mode && index === windows.length - 1) {
          rtts[window].push(performance.now() - sent);
          windows[index]?.push(performance.now() - sent);
        }
        await Bun.sleep(20);
      }
    }),
  );
  const ends: string[] = [];
  let flooder = await Flooder.start(port);
  flooder.pause();
  for (let slice = 0; slice < (2 * seconds * 1000) / SLICE_MS; slice++) {
    if (slice % 2 === 1) {
      if (flooder.ended) {
        mode = "off";
        ends.push(await flooder.stop());
        flooder = await Flooder.start(port);
      } else flooder.resume();
    }
    windows.push([]);
    mode = slice % 2 === 0 ? "quiet" : "loud";
    await Bun.sleep(SLICE_MS);
    if (slice % 2 === 1) flooder.pause();
  }
  mode = "off";
  ends.push(await flooder.stop());
  running = false;
  await gentle;
  const pairs: number[] = [];
  for (let i = 0; i + 1 < windows.length; i += 2) {
    const [quiet, loud] = [windows[i] as number[], windows[i + 1] as number[]].map((w) => w.sort((a, b) => a - b));
    pairs.push(percentile(loud as number[], 99) / percentile(quiet as number[], 99));
  }
  return { quiet: rtts.quiet.sort((a, b) => a - b), loud: rtts.loud.sort((a, b) => a - b), ends, pairs };
}

/** "closed 1008 ... after N replies" x3, "still open ..." as one summary cell. */
function summarise(ends: string[]): string {
  const counts = new Map<string, number>();
  for (const end of ends) {
    const how = end.replace(/ after \d+ replies/, "");
    counts.set(how, (counts.get(how) ?? 0) + 1);
  }
  return [...counts].map(([how, n]) => `${how}${n > 1 ? ` (x${n})` : ""}`).join("; ");
}

const rows: string[] = [];
const ratios = new Map<string, number[]>();
const runs = Number(process.env.FAIR_RUNS ?? 1);
const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");
// our server per runtime (and, with BENCH_BEFORE, the same from an earlier checkout), without the metrics-on rows
const ours = SERVERS.filter((s) => s.name.startsWith("sockeon-ts") && s.env?.METRICS === undefined);
for (let run = 1; run <= runs; run++) {
  for (const spec of ours.filter((s) => runtimes.includes(s.runtime))) {
    const server = await startServer(spec, root);
    try {
      const before = load();
      const gentle = await connectMany(server.port, "json", GENTLE);
      const { quiet, loud, ends, pairs } = await measure(server.port, gentle);
      const ended = summarise(ends);
      for (const c of gentle) c.close();
      const q99 = percentile(quiet, 99);
      const l99 = percentile(loud, 99);
      ratios.set(spec.name, [...(ratios.get(spec.name) ?? []), l99 / q99]);
      const cells = [run, spec.name, percentile(quiet, 50).toFixed(2), q99.toFixed(2), percentile(loud, 50).toFixed(2)];
      const paired = `${median(pairs).toFixed(2)}x`;
      const row = `| ${[...cells, l99.toFixed(2), `${(l99 / q99).toFixed(2)}x`, paired, ended, before].join(" | ")} |`;
      console.log(row);
      rows.push(row);
    } finally {
      await server.stop();
    }
  }
}

const report = [
  "# Fairness: gentle clients' echo round trips (ms) without and with one flooding client",
  "",
  `${GENTLE} gentle clients, one echo each every 20 ms; ${seconds} s without and ${seconds} s with the flood, in alternating ${SLICE_MS} ms windows;`,
  "the flooder in its own process at nice 19, paused between its windows and replaced (outside any window) when the server cut it;",
  "p99 ratio: p99 over all flood windows / p99 over all quiet windows (the goal); window pairs: the median of each flood window's",
  "p99 over the quiet window just before it, which the machine's other load (a shared machine) moves less.",
  `${runs} run(s), ${new Date().toISOString()}, ${cpus().length} CPUs; load average (1, 5, 15 min) at the start of each row.`,
  "",
  "| run | server | p50 alone | p99 alone | p50 flood | p99 flood | p99 ratio | window pairs | flooder (how each ended) | load average |",
  "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  ...rows,
  "",
  "Median p99 ratio per server (goal: at most 2x):",
  "",
  ...[...ratios].map(
    ([name, values]) => `- ${name}: ${median(values).toFixed(2)}x (${values.map((v) => v.toFixed(2)).join(", ")})`,
  ),
  "",
].join("\n");
mkdirSync(join(root, "bench/results"), { recursive: true });
writeFileSync(join(root, "bench/results/fairness.md"), report);
console.log(report);
