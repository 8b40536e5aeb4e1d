/**
 * What metrics cost, measured in one process without sockets: the same server code with `metrics: true` and
 * without, on fake connections (writes are no-ops, so the figure is the engine's own CPU, where counting
 * happens), alternating off/on rounds so machine noise hits both alike. Reports the median CPU time per
 * delivery (a room broadcast to 200 clients) and per echo, and the on/off ratios (target ≤ 1.05×).
 * Run: `bun bench/metrics-cost.ts`, `deno run -A bench/metrics-cost.ts`, `tsx bench/metrics-cost.ts`.
 */
import process from "node:process";
import { hostOf, type SocketHandle } from "../src/extend.ts";
import { createServer, type LoggerLike, type SockeonServer, SocketController, SocketOn } from "../src/index.ts";

const CLIENTS = 200;
const BROADCASTS = 400;
const ECHOES = 20_000;
const ROUNDS = Number(process.env.ROUNDS ?? 9);
const quiet = Object.fromEntries(
  ["emergency", "alert", "critical", "error", "warning", "notice", "info", "debug", "exception"].map((l) => [l, () => {}]),
) as unknown as LoggerLike;

class Bench extends SocketController {
  @SocketOn("say")
  say(_clientId: string, data: unknown): void {
    this.broadcastToRoomClients("msg", data, "bench");
  }

  @SocketOn("echo")
  echo(clientId: string, data: unknown): void {
    this.emit(clientId, "echo", data);
  }
}

async function setup(metrics: boolean): Promise<{ server: SockeonServer; handles: SocketHandle[] }> {
  const server = createServer({ metrics, logger: quiet, registerSystemControllers: false }).register(new Bench());
  const host = hostOf(server);
  const handles: SocketHandle[] = [];
  for (let i = 0; i < CLIENTS; i++) {
    const request = new Request("http://127.0.0.1/", {
      headers: { upgrade: "websocket", connection: "Upgrade", "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==" },
    });
    const accepted = await host.accept(request, { remoteAddress: "127.0.0.1" });
    if (accepted.response) throw new Error(`rejected: ${accepted.response.status}`);
    // a positive return is Bun's "written": no backlog question, as on the fastest runtime
    handles.push(host.open({ send: () => 1, close: () => {}, raw: null }, accepted.ticket));
    server.joinRoom(accepted.ticket.clientId, "bench");
  }
  return { server, handles };
}

const turn = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));
const cpu = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000; // ms
};

async function measure(metrics: boolean): Promise<{ delivery: number; echo: number }> {
  const { server, handles } = await setup(metrics);
  const say = JSON.stringify({ event: "say", data: { text: "hello everyone in the room" } });
  const echo = JSON.stringify({ event: "echo", data: { text: "hello me" } });
  const first = handles[0] as SocketHandle;
  let t = cpu();
  for (let i = 0; i < BROADCASTS; i++) {
    first.message(say);
    if (i % 20 === 19) await turn();
  }
  await turn();
  const delivery = ((cpu() - t) * 1000) / (BROADCASTS * CLIENTS); // µs per delivery
  t = cpu();
  for (let i = 0; i < ECHOES; i++) {
    (handles[i % CLIENTS] as SocketHandle).message(echo);
    if (i % 1000 === 999) await turn();
  }
  await turn();
  const echoUs = ((cpu() - t) * 1000) / ECHOES;
  await server.close({ timeout: 100 });
  return { delivery, echo: echoUs };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};

const runtime = typeof (globalThis as { Bun?: unknown }).Bun !== "undefined" ? "bun" : "Deno" in globalThis ? "deno" : "node";
await measure(false); // warm-up: JIT both paths before measuring
await measure(true);
const off: Array<{ delivery: number; echo: number }> = [];
const on: Array<{ delivery: number; echo: number }> = [];
for (let r = 0; r < ROUNDS; r++) {
  off.push(await measure(false));
  on.push(await measure(true));
}
const d0 = median(off.map((x) => x.delivery));
const d1 = median(on.map((x) => x.delivery));
const e0 = median(off.map((x) => x.echo));
const e1 = median(on.map((x) => x.echo));
console.log(
  `${runtime}: delivery ${d0.toFixed(3)} -> ${d1.toFixed(3)} µs (${(d1 / d0).toFixed(3)}×), echo ${e0.toFixed(2)} -> ${e1.toFixed(2)} µs (${(e1 / e0).toFixed(3)}×), ${ROUNDS} rounds`,
);
