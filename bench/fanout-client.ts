/// <reference types="bun" />
/**
 * One load-generator process of bench/fanout-procs.ts: COUNT clients (our JSON frames) on 127.0.0.1:PORT join
 * the room, then count the `msg` frames of each phase (`p`: 2 warm-up, WARMUP frames; 1 measured, MESSAGES
 * frames), checking the order per client. Prints `READY` once every client joined, then per phase
 * `DONE <phase> <received> <outOfOrder> <p50 ms> <p99 ms>` once every client got every frame of it. Latency is
 * send to receipt on the shared wall clock (`timeOrigin + now()`), so it spans processes.
 */
import { connectMany } from "./lib/client.ts";

const port = Number(process.env.PORT);
const count = Number(process.env.COUNT);
const expect: Record<number, number> = { 1: Number(process.env.MESSAGES), 2: Number(process.env.WARMUP) };
const clients = await connectMany(port, "json", count);
await Promise.all(
  clients.map((c) => {
    const joined = c.once("joined");
    c.emit("join", {});
    return joined;
  }),
);
const received = { 1: 0, 2: 0 };
const outOfOrder = { 1: 0, 2: 0 };
const latencies = new Float64Array(count * (expect[1] as number));
const next = new Int32Array(count * 3);
clients.forEach((client, k) => {
  client.onFrame = (event, data) => {
    if (event !== "msg") return;
    const p = data.p as 1 | 2;
    if (data.i !== next[k * 3 + p]) outOfOrder[p]++;
    next[k * 3 + p] = data.i + 1;
    if (p === 1) latencies[received[1]] = performance.timeOrigin + performance.now() - data.t;
    if (++received[p] === count * (expect[p] as number)) {
      let p50 = 0;
      let p99 = 0;
      if (p === 1) {
        const sorted = latencies.slice(0, received[1]).sort();
        p50 = sorted[Math.floor(0.5 * sorted.length)] as number;
        p99 = sorted[Math.floor(0.99 * sorted.length)] as number;
      }
      console.log(`DONE ${p} ${received[p]} ${outOfOrder[p]} ${p50.toFixed(1)} ${p99.toFixed(1)}`);
    }
  };
});
console.log("READY");
// stays until the runner kills it
setInterval(() => {}, 1 << 30);
