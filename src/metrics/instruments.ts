import type { EngineState } from "../engine/state.ts";
import { type KnownEvent, Observer } from "./observer.ts";
import type { ResolvedObservability } from "./options.ts";
import { ServerMetrics } from "./server-metrics.ts";

/** What a server observes with: its counters (when metrics or the admin dashboard are on) and the engine's hooks. */
export interface Observability {
  readonly metrics: ServerMetrics | undefined;
  readonly instruments: Observer | undefined;
}

/**
 * Builds the engine's instruments from the options: nothing at all when metrics, the dashboard and tracing are
 * off, so the engine's hot paths see `undefined` and skip.
 */
export function createObservability(options: ResolvedObservability, known: KnownEvent, state: () => EngineState): Observability {
  const metrics = options.metrics || options.admin ? new ServerMetrics() : undefined;
  if (!metrics && !options.tracing) return { metrics: undefined, instruments: undefined };
  return { metrics, instruments: new Observer(metrics, options.tracing, known, state) };
}
