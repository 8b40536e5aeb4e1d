/**
 * Tracing hooks: the core calls them around handshakes, handler calls and broadcasts; `sockeon-ts/otel` turns
 * them into OpenTelemetry spans (here recorded by the real SDK's in-memory exporter); metrics and tracing off
 * leave the engine without instruments at all.
 */
import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import type { Engine } from "../../src/engine/engine.ts";
import { hostOf } from "../../src/extend.ts";
import { SocketController, SocketOn } from "../../src/index.ts";
import { otelTracing } from "../../src/otel.ts";
import { connectFake } from "../support/fake-connection.ts";
import { describe, expect, test } from "../support/test.ts";
import { fakeServer } from "./fake-server.ts";

class Traced extends SocketController {
  @SocketOn("say")
  say(clientId: string, data: { text: string }): void {
    this.broadcastToRoomClients("said", data, "lobby");
    this.emit(clientId, "said.ok", {});
  }

  @SocketOn("fail")
  async fail(): Promise<void> {
    await Promise.resolve();
    throw new Error("traced failure");
  }
}

describe("tracing hooks", () => {
  test("otelTracing: spans for the handshake, each handler call (errors recorded) and each broadcast", async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const server = fakeServer({ tracing: otelTracing({ tracer: provider.getTracer("test") }) }).register(new Traced());
    server.addHandshakeMiddleware((ctx) => !ctx.url.searchParams.has("deny"));
    const a = await connectFake(server, { url: "http://127.0.0.1/chat" });
    server.joinRoom(a.id, "lobby");
    await expect(connectFake(server, { url: "http://127.0.0.1/chat?deny" })).rejects.toThrow();
    a.send({ event: "say", data: { text: "hi" } });
    expect((await a.next()).event).toBe("said");
    expect((await a.next()).event).toBe("said.ok");
    a.send({ event: "fail", data: {} });
    expect((await a.next()).event).toBe("error");

    const spans = exporter.getFinishedSpans().map((s) => ({
      name: s.name,
      kind: s.kind,
      status: s.status.code,
      attributes: s.attributes,
      events: s.events.map((e) => e.name),
    }));
    expect(spans).toEqual([
      {
        name: "sockeon.handshake",
        kind: SpanKind.SERVER,
        status: SpanStatusCode.UNSET,
        attributes: { "url.path": "/chat", "http.response.status_code": 101 },
        events: [],
      },
      {
        name: "sockeon.handshake",
        kind: SpanKind.SERVER,
        status: SpanStatusCode.ERROR,
        attributes: { "url.path": "/chat", "http.response.status_code": 403 },
        events: [],
      },
      {
        name: "broadcast said",
        kind: SpanKind.PRODUCER,
        status: SpanStatusCode.UNSET,
        attributes: {
          "messaging.system": "sockeon",
          "messaging.operation.type": "send",
          "messaging.destination.name": "said",
          "sockeon.event": "said",
          "sockeon.namespace": "/",
          "sockeon.rooms": ["lobby"],
        },
        events: [],
      },
      {
        name: "process say",
        kind: SpanKind.CONSUMER,
        status: SpanStatusCode.UNSET,
        attributes: {
          "messaging.system": "sockeon",
          "messaging.operation.type": "process",
          "messaging.destination.name": "say",
          "sockeon.event": "say",
          "sockeon.namespace": "/",
          "sockeon.client_id": a.id,
        },
        events: [],
      },
      {
        name: "process fail",
        kind: SpanKind.CONSUMER,
        status: SpanStatusCode.ERROR,
        attributes: {
          "messaging.system": "sockeon",
          "messaging.operation.type": "process",
          "messaging.destination.name": "fail",
          "sockeon.event": "fail",
          "sockeon.namespace": "/",
          "sockeon.client_id": a.id,
        },
        events: ["exception"],
      },
    ]);
  });

  test("a tracing hook that throws does not break the server", async () => {
    const server = fakeServer({
      tracing: {
        handshake: () => {
          throw new Error("tracer down");
        },
        handler: () => () => {
          throw new Error("tracer down");
        },
      },
    }).register(new Traced());
    const a = await connectFake(server);
    server.joinRoom(a.id, "lobby");
    a.send({ event: "say", data: { text: "still" } });
    expect((await a.next()).data).toEqual({ text: "still" });
    expect((await a.next()).event).toBe("said.ok");
  });

  test("metrics, dashboard and tracing off: the engine has no instruments (the hot path skips one branch)", () => {
    expect((hostOf(fakeServer()) as Engine).observed).toEqual({ metrics: undefined, instruments: undefined });
    expect((hostOf(fakeServer({ tracing: {} })) as Engine).observed.metrics).toBe(undefined);
    expect((hostOf(fakeServer({ metrics: true })) as Engine).observed.metrics === undefined).toBe(false);
  });
});
