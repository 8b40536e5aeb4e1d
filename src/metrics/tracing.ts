import type { Finish } from "./hooks.ts";

/** What a traced handshake is about. */
export interface HandshakeSpanInfo {
  /** The request's path (the namespace is decided later, by the application). */
  readonly path: string;
}

/** What a traced handler call is about. */
export interface HandlerSpanInfo {
  readonly event: string;
  readonly clientId: string;
  /** The client's namespace. */
  readonly namespace: string;
}

/** What a traced broadcast is about. */
export interface BroadcastSpanInfo {
  readonly event: string;
  /** The target namespace; undefined for a broadcast to every client. */
  readonly namespace: string | undefined;
  /** Target rooms; empty for a whole namespace or everyone. */
  readonly rooms: readonly string[];
}

/**
 * Tracing hooks (the `tracing` option): each is called when an operation starts and may return a function
 * called once when it ends (with the error, if it failed). `otelTracing()` from `sockeon-ts/otel` implements
 * them with OpenTelemetry; any other tracer fits the same shape. A hook that throws is ignored.
 * @example
 * ```ts
 * createServer({ tracing: { handler: ({ event }) => { const t = performance.now(); return () => log(event, performance.now() - t); } } });
 * ```
 */
export interface TracingHooks {
  /** An upgrade request; the end gets the rejection status, none when accepted. */
  handshake?(info: HandshakeSpanInfo): ((rejectedStatus?: number) => void) | undefined;
  /** A `@SocketOn` handler call, through its middleware. */
  handler?(info: HandlerSpanInfo): Finish | undefined;
  /** A broadcast's local delivery (emit to rooms, a namespace or everyone). */
  broadcast?(info: BroadcastSpanInfo): Finish | undefined;
}
