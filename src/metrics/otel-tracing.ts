import { type Attributes, type Span, SpanKind, SpanStatusCode, type Tracer, trace } from "@opentelemetry/api";
import type { Finish } from "./hooks.ts";
import type { TracingHooks } from "./tracing.ts";

/** Options of {@link otelTracing}. */
export interface OtelTracingOptions {
  /** The tracer spans are made with; default `trace.getTracer(name)` from the globally registered provider. */
  tracer?: Tracer;
  /** The tracer's name when `tracer` is not given; default `sockeon-ts`. */
  name?: string;
}

function ender(span: Span): Finish {
  return (...failure: unknown[]) => {
    if (failure.length > 0) {
      const error = failure[0];
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
    }
    span.end();
  };
}

/**
 * Tracing hooks built on `@opentelemetry/api` (an optional peer dependency): a span per handshake
 * (`sockeon.handshake`, kind server), per handler call (`process <event>`, kind consumer) and per broadcast
 * (`broadcast <event>`, kind producer), with the event, namespace, rooms and client id as attributes. Without an
 * OpenTelemetry SDK registered the API is a no-op, so this costs next to nothing until you install one.
 * @example
 * ```ts
 * import { otelTracing } from "sockeon-ts/otel";
 * const server = createServer({ tracing: otelTracing() });
 * ```
 */
export function otelTracing(options: OtelTracingOptions = {}): TracingHooks {
  const tracer = options.tracer ?? trace.getTracer(options.name ?? "sockeon-ts");
  const base: Attributes = { "messaging.system": "sockeon" };
  return {
    handshake({ path }) {
      const span = tracer.startSpan("sockeon.handshake", { kind: SpanKind.SERVER, attributes: { "url.path": path } });
      return (rejectedStatus) => {
        if (rejectedStatus !== undefined) {
          span.setAttribute("http.response.status_code", rejectedStatus);
          span.setStatus({ code: SpanStatusCode.ERROR, message: `rejected with ${rejectedStatus}` });
        } else span.setAttribute("http.response.status_code", 101);
        span.end();
      };
    },
    handler({ event, clientId, namespace }) {
      return ender(
        tracer.startSpan(`process ${event}`, {
          kind: SpanKind.CONSUMER,
          attributes: {
            ...base,
            "messaging.operation.type": "process",
            "messaging.destination.name": event,
            "sockeon.event": event,
            "sockeon.namespace": namespace,
            "sockeon.client_id": clientId,
          },
        }),
      );
    },
    broadcast({ event, namespace, rooms }) {
      const attributes: Attributes = {
        ...base,
        "messaging.operation.type": "send",
        "messaging.destination.name": event,
        "sockeon.event": event,
      };
      if (namespace !== undefined) attributes["sockeon.namespace"] = namespace;
      if (rooms.length > 0) attributes["sockeon.rooms"] = [...rooms];
      return ender(tracer.startSpan(`broadcast ${event}`, { kind: SpanKind.PRODUCER, attributes }));
    },
  };
}
