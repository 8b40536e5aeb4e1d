/**
 * Sockeon's rate limits: global limits for HTTP (per IP) and WebSocket messages (per client), per-handler
 * `@RateLimit`, a whitelist with CIDR ranges, and forwarded addresses trusted only from a proxy.
 * Runs unchanged with bun, `deno run -A` and tsx.
 */
import process from "node:process";
import { serve } from "../adapters/serve.ts";
import { MemoryStore } from "../src/extend.ts";
import { createServer, HttpRoute, RateLimit, SocketController, SocketOn } from "../src/index.ts";

class ChatController extends SocketController {
  // 3 messages a minute per client, no burst; the global limit is skipped for this event
  @RateLimit(3, 60, { burstAllowance: 0, bypassGlobal: true })
  @SocketOn("chat.message")
  message(clientId: string, data: { text?: string }): void {
    this.broadcast("chat.message", { from: clientId, text: String(data.text ?? "") });
  }

  @SocketOn("ping.me")
  pingMe(clientId: string): void {
    this.emit(clientId, "pong.you", {});
  }

  // 2 attempts a minute per client IP; the office network is exempt from this rule
  @RateLimit(2, 60, { burstAllowance: 0, whitelist: ["10.0.0.0/8"] })
  @HttpRoute("POST", "/login")
  login(): object {
    return { ok: true };
  }
}

const server = createServer({
  port: Number(process.env.PORT ?? 6001),
  host: process.env.HOST ?? "127.0.0.1",
  // behind a reverse proxy on this machine: only it may set X-Forwarded-For
  trustProxy: ["127.0.0.1", "::1"],
  rateLimit: {
    enabled: true,
    maxHttpRequestsPerIp: 100,
    httpTimeWindow: 60,
    maxWebSocketMessagesPerClient: 5,
    webSocketTimeWindow: 60,
    burstAllowance: 0,
    whitelist: ["10.0.0.0/8", "fd00::/8"],
    store: new MemoryStore(), // swap for a shared store to limit across nodes
  },
}).register(new ChatController());

const listener = await serve(server);
console.log(`rate-limits example on ws://${listener.hostname}:${listener.port}/`);
