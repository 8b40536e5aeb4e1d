/** Runs `task` after the current event-loop turn's I/O (as the engine's flush queue does). */
const defer: (task: () => void) => void =
  typeof globalThis.setImmediate === "function"
    ? (task) => void globalThis.setImmediate(task)
    : (task) => void setTimeout(task, 0);

/** A batch stops growing at this many UTF-16 units, so one Redis message stays small enough to pass quickly. */
const MAX_BATCH_CHARS = 64 * 1024;

/**
 * Collects the envelopes one node publishes during an event-loop turn and sends each run of consecutive
 * envelopes for the same channel as one Redis message: a JSON array of envelopes (a lone envelope goes as it
 * is). A burst of broadcasts then costs one publish per turn instead of one per broadcast, on this node (the
 * Redis client's per-command work), in Redis, and on every receiving node. Runs are sent in the order they were
 * started and never merged across another channel's message, so the order of one connection's publishes holds.
 */
export class PublishBatch {
  readonly #send: (channel: string, payload: string) => void;
  /** Runs of this turn: channel, envelopes, their length in UTF-16 units. */
  #runs: Array<{ channel: string; messages: string[]; chars: number }> = [];
  #scheduled = false;

  /** @param send publishes one payload (an envelope, or a JSON array of envelopes) on a channel */
  constructor(send: (channel: string, payload: string) => void) {
    this.#send = send;
  }

  /** Adds one serialised envelope for `channel`; it goes out at the end of this turn. */
  add(channel: string, message: string): void {
    const last = this.#runs[this.#runs.length - 1];
    if (last !== undefined && last.channel === channel && last.chars + message.length <= MAX_BATCH_CHARS) {
      last.messages.push(message);
      last.chars += message.length + 1;
    } else this.#runs.push({ channel, messages: [message], chars: message.length + 2 });
    if (this.#scheduled) return;
    this.#scheduled = true;
    defer(this.flush);
  }

  /** Sends every run now (also called at the end of the turn). */
  readonly flush = (): void => {
    this.#scheduled = false;
    const runs = this.#runs;
    if (runs.length === 0) return;
    this.#runs = [];
    for (const { channel, messages } of runs)
      this.#send(channel, messages.length === 1 ? (messages[0] as string) : `[${messages.join(",")}]`);
  };

  /** Envelopes waiting for the end of the turn. */
  get size(): number {
    let n = 0;
    for (const run of this.#runs) n += run.messages.length;
    return n;
  }
}
