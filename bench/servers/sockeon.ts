/**
 * The benchmark app on sockeon-ts; the same file runs on Bun, Deno and Node (tsx) through `serve()`.
 * Events: `join` (enter room "bench", answer `joined`), `say` (broadcast `msg` to the room), `echo` (answer
 * `echo` to the sender). METRICS=1 turns Prometheus metrics on. GET /gc runs a full GC so idle-memory readings are comparable. Prints `READY <port>`.
 */
import process from "node:process";
import { serve } from "../../adapters/serve.ts";
import { createServer, SocketController, SocketOn } from "../../src/index.ts";
import { collectGarbage } from "./gc.ts";

class BenchController extends SocketController {
  @SocketOn("join")
  onJoin(clientId: string): void {
    this.joinRoom(clientId, "bench");
    this.emit(clientId, "joined", {});
  }

  @SocketOn("say")
  onSay(_clientId: string, data: Record<string, unknown>): void {
    this.broadcastToRoomClients("msg", data, "bench");
  }

  @SocketOn("echo")
  onEcho(clientId: string, data: Record<string, unknown>): void {
    this.emit(clientId, "echo", data);
  }
}

// METRICS=1: the same server with Prometheus metrics on (the on/off cost rows of the report)
const server = createServer({
  port: 0,
  host: "127.0.0.1",
  registerSystemControllers: false,
  maxConnections: 100_000,
  metrics: process.env.METRICS === "1",
}).register(new BenchController());
server.app.get("/gc", (c) => c.text(String(collectGarbage())));
const listener = await serve(server);
console.log(`READY ${listener.port}`);
// a clean exit on SIGTERM lets `--cpu-prof` write its profile (bench/profile.ts)
process.on("SIGTERM", () => process.exit(0));
