/** What the flush queue drives: a session's outbound side. */
export interface Flushable {
  /** Writes what is queued, as far as the runtime's buffer allows. */
  flush(): void;
  /** Checks a backlog at time `now` (ms): writes more if the socket drained; false once nothing is left to watch. */
  drain(now: number): boolean;
}

/** How often a backlog (frames held back, or a runtime buffer over the limit) is checked, in ms. */
export const DRAIN_CHECK_MS = 10;

/** Runs `task` after the current event-loop turn's I/O, batching every send of the turn. */
const defer: (task: () => void) => void =
  typeof globalThis.setImmediate === "function"
    ? (task) => void globalThis.setImmediate(task)
    : (task) => void setTimeout(task, 0);

/**
 * Batches sessions' writes until the end of the turn, then flushes each dirty session once per schedule; and
 * checks the sessions with a backlog on one shared timer until they drain (or are cut as slow consumers), since
 * not every runtime tells when a socket drained (Deno, Bun under Hono).
 */
export class FlushQueue {
  #dirty: Flushable[] = [];
  #flushScheduled = false;
  readonly #backlogged = new Set<Flushable>();
  #timer: ReturnType<typeof setTimeout> | null = null;

  /** Marks a session dirty; the first of a turn schedules the flush. */
  schedule(session: Flushable): void {
    this.#dirty.push(session);
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    defer(this.#flushAll);
  }

  /** Checks `session`'s backlog every {@link DRAIN_CHECK_MS} until its `drain` returns false. */
  watch(session: Flushable): void {
    this.#backlogged.add(session);
    this.#timer ??= this.#arm();
  }

  #arm(): ReturnType<typeof setTimeout> {
    const timer = setTimeout(this.#check, DRAIN_CHECK_MS);
    // the sockets keep a server alive; a backlog alone must not keep a process from exiting
    (timer as { unref?: () => void }).unref?.();
    return timer;
  }

  readonly #flushAll = (): void => {
    this.#flushScheduled = false;
    const dirty = this.#dirty;
    this.#dirty = [];
    for (let i = 0; i < dirty.length; i++) (dirty[i] as Flushable).flush();
  };

  readonly #check = (): void => {
    this.#timer = null;
    const now = Date.now();
    for (const session of this.#backlogged) if (!session.drain(now)) this.#backlogged.delete(session);
    if (this.#backlogged.size > 0) this.#timer = this.#arm();
  };
}
