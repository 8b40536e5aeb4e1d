import type { Session } from "./session.ts";

/** Runs `task` after the current event-loop turn's I/O, batching every send of the turn. */
const defer: (task: () => void) => void =
  typeof globalThis.setImmediate === "function"
    ? (task) => void globalThis.setImmediate(task)
    : (task) => void setTimeout(task, 0);

/** Batches sessions' writes until the end of the turn, then flushes each dirty session once per schedule. */
export class FlushQueue {
  #dirty: Session[] = [];
  #flushScheduled = false;

  /** Marks a session dirty; the first of a turn schedules the flush. */
  schedule(session: Session): void {
    this.#dirty.push(session);
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    defer(this.#flushAll);
  }

  readonly #flushAll = (): void => {
    this.#flushScheduled = false;
    const dirty = this.#dirty;
    this.#dirty = [];
    for (let i = 0; i < dirty.length; i++) (dirty[i] as Session).flush();
  };
}
