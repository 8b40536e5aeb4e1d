/**
 * The `sockeon-ts/otel` entry point: tracing hooks implemented with `@opentelemetry/api` (install it, and an
 * OpenTelemetry SDK to export spans; without an SDK the spans are no-ops). Re-exports only.
 */
export type { OtelTracingOptions } from "./metrics/otel-tracing.ts";
export { otelTracing } from "./metrics/otel-tracing.ts";
