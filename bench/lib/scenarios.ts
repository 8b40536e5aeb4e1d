/// <reference types="bun" />
/**
 * The measured scenarios. Each one sets up its clients, warms the server up, then measures one window:
 * server CPU (all threads, from schedstat) over the window divided by the work done, wall-clock throughput,
 * client-observed latency, and losses. Every wait is bounded.
 */
import { BenchClient, connectMany } from "./client.ts";
import { cpuNs, type Running, rssBytes } from "./proc.ts";

/** Result of a fan-out scenario. */
export interface FanoutResult {
  /** Server CPU µs per delivered frame. */
  usPerDelivery: number;
  deliveriesPerSec: number;
  p50Ms: number;
  p99Ms: number;
  /** Frames expected but not received before the bound, plus frames out of order. */
  losses: number;
}

/** Result of the echo scenario. */
export interface EchoResult {
  /** Server CPU µs per request/reply. */
  usPerRoundTrip: number;
  roundTripsPerSec: number;
  p50Ms: number;
  p99Ms: number;
}

const PAD = "x".repeat(48);

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number;
}

function quantiles(values: Float64Array, count: number): { p50Ms: number; p99Ms: number } {
  const sorted = values.slice(0, count).sort();
  return { p50Ms: percentile(sorted, 0.5), p99Ms: percentile(sorted, 0.99) };
}

async function joinAll(clients: BenchClient[]): Promise<void> {
  await Promise.all(
    clients.map((c) => {
      const joined = c.once("joined");
      c.emit("join", {});
      return joined;
    }),
  );
}

/** Where a fan-out runs: one server, or several nodes of one cluster (bench/cluster.ts). */
export interface FanoutSetup {
  /** The servers the members are spread over, evenly and in order; the publisher is on the first. */
  ports: number[];
  flavour: "json" | "sio";
  /** Processes whose CPU (every thread) is charged to the window: the servers. */
  pids: number[];
  /** More processes charged to it and also reported apart (the redis-servers of a cluster setup). */
  backendPids?: number[];
}

/** CPU of every PID; a process that died counts 0 from then on (its losses show in the result). */
function cpuOf(pids: readonly number[]): number {
  let total = 0;
  for (const pid of pids) {
    try {
      total += cpuNs(pid);
    } catch {
      // gone: nothing more to add
    }
  }
  return total;
}

/**
 * Room fan-out: `clients` members, one publisher outside the room sending `messages` frames, all at once
 * (`intervalMs` 0) or one every `intervalMs`. Each member checks it gets every frame, in order.
 */
export function fanout(
  server: Running,
  options: { clients: number; messages: number; intervalMs: number; warmup: number; boundMs: number },
): Promise<FanoutResult> {
  return fanoutAcross({ ports: [server.port], flavour: server.spec.flavour, pids: [server.pid] }, options);
}

/**
 * {@link fanout} over one or several servers: the members split evenly over `setup.ports`, the publisher on the
 * first; CPU of `pids` and `backendPids` together, the latter also apart (`backendUsPerDelivery`).
 */
export async function fanoutAcross(
  setup: FanoutSetup,
  options: { clients: number; messages: number; intervalMs: number; warmup: number; boundMs: number },
): Promise<FanoutResult & { backendUsPerDelivery: number }> {
  const { ports, flavour } = setup;
  const members: BenchClient[] = [];
  const share = Math.ceil(options.clients / ports.length);
  for (const port of ports)
    members.push(...(await connectMany(port, flavour, Math.min(share, options.clients - members.length))));
  const publisher = await BenchClient.connect(ports[0] as number, flavour);
  try {
    await joinAll(members);
    const latencies = new Float64Array(members.length * options.messages);
    let phase = 0;
    let expected = 0;
    let received = 0;
    let outOfOrder = 0;
    let done: () => void = () => {};
    const next = new Int32Array(members.length);
    members.forEach((client, k) => {
      client.onFrame = (event, data) => {
        if (event !== "msg" || data.p !== phase) return;
        if (data.i !== next[k]) outOfOrder++;
        next[k] = data.i + 1;
        if (phase === 1) latencies[received] = performance.now() - data.t;
        if (++received === expected) done();
      };
    });

    const run = async (which: number, messages: number, intervalMs: number): Promise<boolean> => {
      phase = which;
      expected = messages * members.length;
      received = 0;
      next.fill(0);
      const all = new Promise<void>((resolve) => {
        done = resolve;
      });
      const frames = Array.from({ length: messages }, (_, i) => ({ p: which, i, t: 0, pad: PAD }));
      for (let i = 0; i < messages; i++) {
        const data = frames[i] as { t: number };
        data.t = performance.now();
        publisher.emit("say", data);
        if (intervalMs > 0) await Bun.sleep(intervalMs);
      }
      return await Promise.race([all.then(() => true), Bun.sleep(options.boundMs).then(() => false)]);
    };

    // the warm-up has the scenario's shape (paced at a short interval), so the JIT has tiered up the very path
    // the window measures: steady state is what a server runs in
    await run(2, options.warmup, Math.min(options.intervalMs, 2));
    const backendPids = setup.backendPids ?? [];
    const cpu0 = cpuOf(setup.pids);
    const backend0 = cpuOf(backendPids);
    const t0 = performance.now();
    await run(1, options.messages, options.intervalMs);
    const wall = performance.now() - t0;
    const backend = cpuOf(backendPids) - backend0;
    const cpu = cpuOf(setup.pids) - cpu0 + backend;
    const delivered = received;
    return {
      usPerDelivery: cpu / 1000 / Math.max(1, delivered),
      backendUsPerDelivery: backend / 1000 / Math.max(1, delivered),
      deliveriesPerSec: delivered / (wall / 1000),
      ...quantiles(latencies, delivered),
      losses: expected - delivered + outOfOrder,
    };
  } finally {
    for (const c of members) c.close();
    publisher.close();
  }
}

/** Request/reply: `clients` clients each doing `rounds` sequential echoes (closed loop). */
export async function echo(server: Running, options: { clients: number; rounds: number; warmup: number }): Promise<EchoResult> {
  const clients = await connectMany(server.port, server.spec.flavour, options.clients);
  try {
    const latencies = new Float64Array(options.clients * options.rounds);
    let recorded = 0;
    const loop = (client: BenchClient, rounds: number, record: boolean): Promise<void> =>
      new Promise((resolve) => {
        let left = rounds;
        let sentAt = 0;
        const send = (): void => {
          sentAt = performance.now();
          client.emit("echo", { t: sentAt, pad: PAD });
        };
        client.onFrame = (event) => {
          if (event !== "echo") return;
          if (record) latencies[recorded++] = performance.now() - sentAt;
          if (--left === 0) resolve();
          else send();
        };
        send();
      });
    const bound = <T>(p: Promise<T>): Promise<T> =>
      Promise.race([p, Bun.sleep(60_000).then(() => Promise.reject(new Error("echo did not finish within 60 s")))]);
    await bound(Promise.all(clients.map((c) => loop(c, options.warmup, false))));
    const cpu0 = cpuNs(server.pid);
    const t0 = performance.now();
    await bound(Promise.all(clients.map((c) => loop(c, options.rounds, true))));
    const wall = performance.now() - t0;
    const cpu = cpuNs(server.pid) - cpu0;
    return {
      usPerRoundTrip: cpu / 1000 / recorded,
      roundTripsPerSec: recorded / (wall / 1000),
      ...quantiles(latencies, recorded),
    };
  } finally {
    for (const c of clients) c.close();
  }
}

/** Memory per idle connection. */
export interface IdleResult {
  /** Resident bytes per connection (what the OS charges). */
  rssPerConn: number;
  /** Live JS heap bytes per connection after a full GC. */
  heapPerConn: number;
}

/** Runs a full GC in the server (twice, with pauses so freed pages can go back) and returns its heap in use. */
async function gcAndSettle(server: Running): Promise<number> {
  await fetch(`http://127.0.0.1:${server.port}/gc`).then((r) => r.text());
  await Bun.sleep(400);
  const heap = Number(await fetch(`http://127.0.0.1:${server.port}/gc`).then((r) => r.text()));
  await Bun.sleep(200);
  return heap;
}

/** Memory per idle connection: RSS and live heap after `count` connections minus before, both after a full GC. */
export async function idleMemory(server: Running, count: number): Promise<IdleResult> {
  // connect a few first so code compiled for the connection path is not counted as per-connection memory
  for (const c of await connectMany(server.port, server.spec.flavour, 200)) c.close();
  const heapBefore = await gcAndSettle(server);
  const before = rssBytes(server.pid);
  const clients = await connectMany(server.port, server.spec.flavour, count, 500);
  try {
    const heapAfter = await gcAndSettle(server);
    return { rssPerConn: (rssBytes(server.pid) - before) / count, heapPerConn: (heapAfter - heapBefore) / count };
  } finally {
    for (const c of clients) c.close();
  }
}
