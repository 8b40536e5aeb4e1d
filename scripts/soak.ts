/**
 * Soak test (`npm run soak`; not part of `npm test`): for each runtime, holds SOAK_CONNECTIONS (default 10,000)
 * WebSocket connections to scripts/soak-server.ts, churns them for SOAK_CHURN_SECONDS (default 20) while they
 * join rooms and broadcast, then closes them all and reports the server's RSS before, during and after; the
 * cycle runs SOAK_CYCLES times (default 2), to tell a leak (grows every cycle) from a high-water mark the runtime
 * keeps. Passes when RSS after everyone left is within 10% of the baseline on every runtime.
 *
 * The baseline is taken after a warm-up of SOAK_WARMUP (default 500) connections that come and go, so that JIT
 * code, allocator arenas and socket pools the runtime keeps for its lifetime count as "start", not as a leak.
 * The cold RSS (before any connection) is reported too.
 *
 * Then one client tries to join SOAK_ROOM_FLOOD (default 100,000) distinct rooms with 60 KB names (refused by
 * `maxNameLength`, one error frame each, 32 in flight so its inbound queue stays under its bound), and the RSS
 * before and after is reported; it passes when RSS grew by less than 64 MB.
 *
 * Clients connect from 127.0.0.2-127.0.0.17 so churn does not run out of ephemeral ports. Bounded: every wait has
 * a deadline, and one runtime takes about a minute. Options: SOAK_RUNTIMES=bun,deno,node.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import process from "node:process";
import WebSocket from "ws";

const CONNECTIONS = Number(process.env.SOAK_CONNECTIONS ?? 10_000);
const CHURN_SECONDS = Number(process.env.SOAK_CHURN_SECONDS ?? 20);
const WARMUP = Number(process.env.SOAK_WARMUP ?? 500);
const CYCLES = Number(process.env.SOAK_CYCLES ?? 2);
const RUNTIMES = (process.env.SOAK_RUNTIMES ?? "bun,deno,node").split(",").map((s) => s.trim());
const BATCH = 250;
const TOLERANCE = 0.1;
const ROOM_FLOOD = Number(process.env.SOAK_ROOM_FLOOD ?? 100_000);
const ROOM_FLOOD_GROWTH = 64 * 1024 * 1024;

const commands: Record<string, string[]> = {
  bun: ["node_modules/.bin/bun", "scripts/soak-server.ts"],
  deno: ["node_modules/.bin/deno", "run", "-A", "--v8-flags=--expose-gc", "scripts/soak-server.ts"],
  node: [process.execPath, "--expose-gc", "--import", "tsx", "scripts/soak-server.ts"],
};

interface Stats {
  rss: number;
  /** JS heap in use, after a forced GC. */
  heap: number;
  /** JS heap reserved by the engine. */
  heapTotal: number;
  /** Memory of engine-external objects (buffers). */
  external: number;
  clients: number;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

async function startServer(runtime: string): Promise<{ child: ChildProcess; port: number }> {
  const [bin, ...args] = commands[runtime] as [string, ...string[]];
  // the server holds every connection's socket: raise its soft fd limit as far as the hard limit allows
  const child = spawn("bash", ["-c", 'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$@"', "soak", bin, ...args], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let output = "";
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${runtime} server did not start: ${output}`)), 30_000);
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /SOAK_PORT=(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.once("exit", (code) => reject(new Error(`${runtime} server exited with ${code}: ${output}`)));
  });
  return { child, port };
}

async function stats(port: number): Promise<Stats> {
  const res = await fetch(`http://127.0.0.1:${port}/soak/stats`);
  return (await res.json()) as Stats;
}

let addressIndex = 0;

function open(port: number, room: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const localAddress = `127.0.0.${2 + (addressIndex++ % 16)}`;
    const ws = new WebSocket(`ws://127.0.0.1:${port}/`, { localAddress, perMessageDeflate: false });
    ws.once("open", () => {
      ws.send(JSON.stringify({ event: "soak.join", data: { room } }));
      resolve(ws);
    });
    ws.once("error", reject);
  });
}

async function openMany(port: number, count: number, into: WebSocket[]): Promise<void> {
  for (let done = 0; done < count; done += BATCH) {
    const batch = Math.min(BATCH, count - done);
    const opened = await Promise.all(Array.from({ length: batch }, (_, i) => open(port, `room-${(done + i) % 100}`)));
    into.push(...opened);
  }
}

async function closeMany(sockets: WebSocket[]): Promise<void> {
  for (let i = 0; i < sockets.length; i += BATCH) {
    await Promise.all(
      sockets.slice(i, i + BATCH).map((ws) => {
        if (ws.readyState === WebSocket.CLOSED) return undefined;
        const closed = once(ws, "close");
        ws.close(1000);
        return closed;
      }),
    );
  }
}

/** One client asks for ROOM_FLOOD rooms with distinct 60 KB names; every answer must be an error frame. */
async function roomFlood(port: number): Promise<boolean> {
  const before = await untilClients(port, 0);
  const ws = await new Promise<WebSocket>((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/`, { perMessageDeflate: false });
    socket.once("open", () => resolve(socket));
    socket.once("error", reject);
  });
  const pad = "r".repeat(60_000);
  let sent = 0;
  let answered = 0;
  let refused = 0;
  const started = Date.now();
  await new Promise<void>((resolve, reject) => {
    const send = (): void => {
      while (sent < ROOM_FLOOD && sent - answered < 32)
        ws.send(JSON.stringify({ event: "join_room", data: { room: `${sent++}${pad}` } }));
    };
    ws.on("message", (raw) => {
      answered++;
      if (JSON.parse(String(raw)).event === "error") refused++;
      if (answered === ROOM_FLOOD) resolve();
      else send();
    });
    ws.once("close", (code) => reject(new Error(`room flood: closed ${code} after ${answered} answers`)));
    send();
  });
  const during = await stats(port);
  ws.close(1000);
  const after = await untilClients(port, 0);
  const growth = after.rss - before.rss;
  const ok = refused === ROOM_FLOOD && growth < ROOM_FLOOD_GROWTH;
  console.log(
    `room flood: ${ROOM_FLOOD} joins with 60 KB names in ${((Date.now() - started) / 1000).toFixed(1)} s, ${refused} refused; ` +
      `RSS before ${mb(before.rss)}, with the client ${mb(during.rss)}, after ${mb(after.rss)} (${ok ? "ok" : "FAILED"})`,
  );
  return ok;
}

/** Polls until the server counts `clients` (bounded). */
async function untilClients(port: number, clients: number): Promise<Stats> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const s = await stats(port);
    if (s.clients === clients || Date.now() > deadline) return s;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** One full cycle: open every connection, churn, close them all. Returns the RSS once everyone left, and the verdict. */
async function cycle(
  runtime: string,
  port: number,
  baseline: Stats,
  n: number,
): Promise<{ ok: boolean; after: number; peak: number }> {
  const sockets: WebSocket[] = [];
  const started = Date.now();
  await openMany(port, CONNECTIONS, sockets);
  const full = await untilClients(port, CONNECTIONS);
  console.log(`${runtime}: cycle ${n}: ${full.clients} connections open in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  // churn: replace 5% of the clients per round and broadcast into rooms, for CHURN_SECONDS
  let peak = full.rss;
  let rounds = 0;
  let messages = 0;
  const churnEnd = Date.now() + CHURN_SECONDS * 1000;
  while (Date.now() < churnEnd) {
    const leaving = sockets.splice(0, Math.floor(CONNECTIONS / 20));
    await closeMany(leaving);
    await openMany(port, leaving.length, sockets);
    for (let i = 0; i < 200; i++) {
      const ws = sockets[(rounds * 200 + i) % sockets.length] as WebSocket;
      ws.send(JSON.stringify({ event: "soak.say", data: { room: `room-${i % 100}`, text: "hello" } }));
      messages++;
    }
    peak = Math.max(peak, (await stats(port)).rss);
    rounds++;
  }
  const during = await untilClients(port, CONNECTIONS);
  peak = Math.max(peak, during.rss);

  await closeMany(sockets);
  const after = await untilClients(port, 0);
  // allocators return memory lazily: take the lowest of a few bounded samples
  let settled = after;
  for (let i = 0; i < 10; i++) {
    await new Promise((resolve) => setTimeout(resolve, 300));
    const s = await stats(port);
    if (s.rss < settled.rss) settled = s;
  }
  const ratio = settled.rss / baseline.rss;
  const ok = after.clients === 0 && ratio <= 1 + TOLERANCE;
  console.log(
    `${runtime}: cycle ${n}: RSS with ${CONNECTIONS} clients ${mb(full.rss)}, peak during churn ${mb(peak)} ` +
      `(${rounds} rounds, ${rounds * Math.floor(CONNECTIONS / 20)} reconnects, ${messages} room broadcasts), ` +
      `after all left ${mb(settled.rss)} = ${(ratio * 100).toFixed(1)}% of baseline -> ${ok ? "OK" : "FAILED"} ` +
      `(limit ${(100 + TOLERANCE * 100).toFixed(0)}%); JS heap used/total ${mb(full.heap)}/${mb(full.heapTotal)} ` +
      `-> ${mb(settled.heap)}/${mb(settled.heapTotal)}, external ${mb(full.external)} -> ${mb(settled.external)}`,
  );
  return { ok, after: settled.rss, peak };
}

async function soak(runtime: string): Promise<boolean> {
  const { child, port } = await startServer(runtime);
  try {
    const cold = await stats(port);
    const warm: WebSocket[] = [];
    await openMany(port, WARMUP, warm);
    await closeMany(warm);
    const baseline = await untilClients(port, 0);
    console.log(
      `${runtime}: RSS cold ${mb(cold.rss)}, baseline after ${WARMUP} warm-up connections ${mb(baseline.rss)} ` +
        `(JS heap used/total ${mb(baseline.heap)}/${mb(baseline.heapTotal)})`,
    );
    let ok = true;
    const results: Array<{ after: number; peak: number }> = [];
    for (let n = 1; n <= CYCLES; n++) {
      const result = await cycle(runtime, port, baseline, n);
      if (!result.ok) ok = false;
      results.push(result);
    }
    if (ROOM_FLOOD > 0 && !(await roomFlood(port))) ok = false;
    // a leak grows with every cycle; memory a runtime keeps as a high-water mark stays under the first peak
    const first = results[0];
    const last = results[results.length - 1];
    if (first && last && results.length > 1) {
      const growth = Math.max(last.after, last.peak) / first.peak;
      console.log(
        `${runtime}: RSS in the last cycle (peak ${mb(last.peak)}, after ${mb(last.after)}) vs the first cycle's peak ` +
          `${mb(first.peak)}: ${(growth * 100).toFixed(1)}% (${growth <= 1 + TOLERANCE ? "no growth across cycles" : "GROWING across cycles"})`,
      );
    }
    return ok;
  } finally {
    child.kill("SIGTERM");
    await Promise.race([once(child, "exit"), new Promise((resolve) => setTimeout(resolve, 5000))]);
    if (child.exitCode === null) child.kill("SIGKILL");
  }
}

let failed = false;
for (const runtime of RUNTIMES) {
  if (!commands[runtime]) throw new Error(`SOAK_RUNTIMES: unknown runtime ${JSON.stringify(runtime)} (bun, deno, node)`);
  if (!(await soak(runtime))) failed = true;
}
process.exit(failed ? 1 : 0);
