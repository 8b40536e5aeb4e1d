/**
 * Observability: Prometheus metrics at /metrics, liveness and readiness probes, the admin dashboard at /admin
 * (HTTP Basic: ADMIN_USER / ADMIN_PASSWORD, default admin / change-me), and OpenTelemetry tracing through
 * `sockeon-ts/otel` with the OpenTelemetry SDK printing one line per finished span. Runs unchanged with bun,
 * `deno run -A` and tsx.
 */
import process from "node:process";
import { trace } from "@opentelemetry/api";
import { BasicTracerProvider, type ReadableSpan, SimpleSpanProcessor, type SpanExporter } from "@opentelemetry/sdk-trace-base";
import { serve } from "../adapters/serve.ts";
import { createServer, SocketController, SocketOn } from "../src/index.ts";
import { otelTracing } from "../src/otel.ts";

/** Prints each finished span on one line; a real deployment exports to a collector (OTLP) instead. */
const lineExporter: SpanExporter = {
  export(spans: ReadableSpan[], done: (result: { code: number }) => void): void {
    for (const span of spans) {
      const ms = span.duration[0] * 1e3 + span.duration[1] / 1e6;
      console.log(`span ${span.name} ${ms.toFixed(3)} ms ${JSON.stringify(span.attributes)}`);
    }
    done({ code: 0 });
  },
  async shutdown(): Promise<void> {},
};
trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(lineExporter)] }));

class ChatController extends SocketController {
  @SocketOn("chat.join")
  join(clientId: string, data: { room: string }): void {
    this.joinRoom(clientId, data.room);
    this.emit(clientId, "chat.joined", { room: data.room });
  }

  @SocketOn("chat.say")
  say(clientId: string, data: { room: string; text: string }): void {
    this.broadcastToRoomClients("chat.message", { from: clientId, text: data.text }, data.room);
  }
}

const server = createServer({
  port: Number(process.env.PORT ?? 6001),
  host: process.env.HOST ?? "127.0.0.1",
  metrics: true,
  livenessPath: "/livez",
  readinessPath: "/readyz",
  admin: { auth: { username: process.env.ADMIN_USER ?? "admin", password: process.env.ADMIN_PASSWORD ?? "change-me" } },
  tracing: otelTracing(),
}).register(new ChatController());

const listener = await serve(server);
console.log(
  `Listening on ws://${listener.hostname}:${listener.port}/ (metrics: http://${listener.hostname}:${listener.port}/metrics)`,
);
process.once("SIGTERM", () => void server.close({ timeout: 2000 }).then(() => process.exit(0)));
