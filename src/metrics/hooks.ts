// The engine's view of observability: one optional object (`EngineState.instruments`), absent unless metrics
// or tracing are on, so the hot paths pay one `?.` branch when both are off. Types only: the engine imports
// nothing else from src/metrics/.

/** Ends a timed or traced operation: called with no argument on success, with the error (even `undefined`) on failure. */
export type Finish = (error?: unknown) => void;

/** Ends a traced handshake: the rejection status, or none when the upgrade was accepted. */
export type HandshakeFinish = (rejectedStatus?: number) => void;

/** What the engine reports as it works (implemented by src/metrics/observer.ts). */
export interface Instruments {
  /** An upgrade request arrived; the result is told to the returned function. */
  handshake(request: Request): HandshakeFinish;
  /** A client frame was decoded: `event` is undefined for a frame that failed Sockeon's checks. */
  received(raw: string | ArrayBuffer | ArrayBufferView, event: string | undefined): void;
  /** A handler is about to run for a client's frame. */
  handler(event: string, clientId: string): Finish;
  /** One frame was queued to a client's socket. */
  sent(frame: string): void;
  /** A broadcast starts (local delivery); the returned function is called once every local recipient got it. */
  broadcast(event: string, namespace: string | undefined, rooms: readonly string[]): Finish;
  /** A built-in guard refused a message: a failed schema or a rate limit. */
  refused(kind: "validation" | "rate_limit"): void;
  /** A client was closed because it did not read fast enough. */
  slowConsumer(): void;
}
