/// <reference types="bun" />
/**
 * `bun bench/lib/flooder.ts <port>`: one client flooding `echo` frames as fast as its socket takes them (at most
 * 1 MiB unsent), reading its replies. Runs in its own process, so the flood does not slow the process that
 * measures the gentle clients. Prints `FLOODING` once connected, then `ENDED <how>` when closed or on SIGTERM.
 */
import { BenchClient } from "./client.ts";

const flooder = await BenchClient.connect(Number(process.argv[2]), "json");
let replies = 0;
flooder.onFrame = () => replies++;
const end = (how: string): void => {
  console.log(`ENDED ${how} after ${replies} replies`);
  process.exit(0);
};
flooder.ws.onclose = (e) => end(`closed ${e.code} ${e.reason || "(no reason)"}`);
process.on("SIGTERM", () => end("still open"));
const frame = flooder.encode("echo", { flood: true });
const pump = (): void => {
  if (flooder.ws.readyState !== WebSocket.OPEN) return;
  for (let i = 0; i < 500 && flooder.ws.bufferedAmount < 1 << 20; i++) flooder.ws.send(frame);
  setTimeout(pump, 0);
};
console.log("FLOODING");
pump();
