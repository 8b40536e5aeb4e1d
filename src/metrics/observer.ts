import type { EngineState } from "../engine/state.ts";
import type { Finish, HandshakeFinish, Instruments } from "./hooks.ts";
import { INVALID_FRAME_LABEL, type ServerMetrics, UNKNOWN_EVENT_LABEL, utf8Length } from "./server-metrics.ts";
import type { TracingHooks } from "./tracing.ts";

/** Whether `event` has a handler (or is one the framework answers itself). */
export type KnownEvent = (event: string) => boolean;

const NOTHING: Finish = () => {};

function byteLength(raw: string | ArrayBuffer | ArrayBufferView): number {
  return typeof raw === "string" ? utf8Length(raw) : raw.byteLength;
}

/** Calls a user tracing hook; a hook that throws is ignored, so tracing never breaks the server. */
function safely<T>(hook: (() => T) | undefined): T | undefined {
  if (!hook) return undefined;
  try {
    return hook();
  } catch {
    return undefined;
  }
}

function once<A extends unknown[]>(end: ((...args: A) => void) | undefined): (...args: A) => void {
  return (...args: A) => {
    try {
      end?.(...args);
    } catch {
      // a tracer's failure is not the server's
    }
  };
}

/**
 * The engine's {@link Instruments}: counts into {@link ServerMetrics} when metrics are on, and calls the
 * tracing hooks when set. Built only when one of them is on.
 */
export class Observer implements Instruments {
  readonly #m: ServerMetrics | undefined;
  readonly #t: TracingHooks | undefined;
  readonly #known: KnownEvent;
  readonly #state: () => EngineState;

  constructor(
    metrics: ServerMetrics | undefined,
    tracing: TracingHooks | undefined,
    known: KnownEvent,
    state: () => EngineState,
  ) {
    this.#m = metrics;
    this.#t = tracing;
    this.#known = known;
    this.#state = state;
  }

  handshake(request: Request): HandshakeFinish {
    const m = this.#m;
    const hook = this.#t?.handshake;
    const end = hook && safely(() => hook.call(this.#t, { path: new URL(request.url).pathname }));
    if (!end && !m) return NOTHING;
    const traced = once(end);
    return (status) => {
      if (status !== undefined) m?.countRejection(status);
      if (end) traced(status);
    };
  }

  received(raw: string | ArrayBuffer | ArrayBufferView, event: string | undefined): void {
    const m = this.#m;
    if (m === undefined) return;
    m.receivedBytes += byteLength(raw);
    // known events have their own cell (one lookup); any other name shares `_unknown`, so a client cannot
    // grow the label set
    const cell = event === undefined ? undefined : m.received.get(event);
    // (a client naming its event `_unknown` takes the slow path, so the error below is still counted)
    if (cell !== undefined && event?.charCodeAt(0) !== 95) cell.n++;
    else if (event === undefined) {
      m.cell(INVALID_FRAME_LABEL).n++;
      m.errors.bad_frame++;
    } else if (this.#known(event)) m.cell(event).n++;
    else {
      m.cell(UNKNOWN_EVENT_LABEL).n++;
      m.errors.unknown_event++;
    }
  }

  handler(event: string, clientId: string): Finish {
    const m = this.#m;
    const hook = this.#t?.handler;
    const end =
      hook && safely(() => hook.call(this.#t, { event, clientId, namespace: this.#state().namespaces.of(clientId) ?? "/" }));
    const started = m ? performance.now() : 0;
    const traced = end && once(end);
    // called with no argument on success, with the error (even `undefined`) on failure
    return (...failure: unknown[]) => {
      if (m) {
        m.observeHandler(event, (performance.now() - started) / 1000);
        if (failure.length > 0) m.errors.handler++;
      }
      traced?.(...failure);
    };
  }

  sent(frame: string): void {
    const m = this.#m;
    if (m === undefined) return;
    m.sent++;
    if (frame !== m.lastFrame) {
      m.lastFrame = frame;
      m.lastBytes = utf8Length(frame);
    }
    m.sentBytes += m.lastBytes;
  }

  broadcast(event: string, namespace: string | undefined, rooms: readonly string[]): Finish {
    const m = this.#m;
    const hook = this.#t?.broadcast;
    const end = hook && safely(() => hook.call(this.#t, { event, namespace, rooms }));
    const before = m ? m.sent : 0;
    if (m) m.broadcasts++;
    const traced = end && once(end);
    return (...failure: unknown[]) => {
      if (m) m.deliveries += m.sent - before;
      traced?.(...failure);
    };
  }

  refused(kind: "validation" | "rate_limit"): void {
    if (this.#m) this.#m.errors[kind]++;
  }

  slowConsumer(): void {
    if (this.#m) this.#m.slowConsumers++;
  }
}
