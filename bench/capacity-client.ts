/**
 * One load-generator process of the capacity run (bench/capacity.ts), run by Bun with the `ws` client API (Bun's
 * own implementation, about twice as fast as `ws` on Node here), whose `localAddress` binds each client to one of several loopback addresses (loopback has about 28,000 ephemeral ports per source
 * address, and one process may hold at most its fd limit of sockets). Env: PORT, COUNT, FLAVOUR (json | sio),
 * ADDRS (comma-separated local addresses, used round-robin), WINDOW (handshakes in flight). Prints
 * `LIMIT <max open files>`, then `OPEN <count> <ms>` once every client is open (or `FAIL <reason>`), and holds
 * the sockets until killed.
 */
import { readFileSync } from "node:fs";
import process from "node:process";
import WebSocket from "ws";

const port = Number(process.env.PORT);
const count = Number(process.env.COUNT);
const sio = process.env.FLAVOUR === "sio";
const addrs = (process.env.ADDRS ?? "127.0.0.1").split(",");
const window = Number(process.env.WINDOW ?? 200);
const limit = /Max open files\s+(\d+)/.exec(readFileSync("/proc/self/limits", "utf8"))?.[1];
console.log(`LIMIT ${limit}`);

const sockets: WebSocket[] = [];
const path = sio ? "/socket.io/?EIO=4&transport=websocket" : "/";

function open(i: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`, {
      localAddress: addrs[i % addrs.length],
      perMessageDeflate: false,
      handshakeTimeout: 30_000,
    });
    sockets.push(ws);
    ws.on("error", (error) => reject(error));
    if (!sio) ws.on("open", () => resolve());
    ws.on("message", (data) => {
      if (!sio) return;
      const text = data.toString();
      // engine.io v4: open packet -> socket.io connect, then the connect ack; answer pings
      if (text === "2") ws.send("3");
      else if (text.startsWith("40")) resolve();
      else if (text.startsWith("0")) ws.send("40");
    });
  });
}

const t0 = performance.now();
let next = 0;
async function lane(): Promise<void> {
  while (next < count) await open(next++);
}
try {
  await Promise.all(Array.from({ length: Math.min(window, count) }, lane));
  console.log(`OPEN ${sockets.length} ${(performance.now() - t0).toFixed(0)}`);
} catch (error) {
  console.log(`FAIL ${(error as Error).message} after ${sockets.length}`);
}
// hold the sockets open until the runner kills this process
setInterval(() => {}, 1 << 30);
