import type { IncomingData } from "./connection.ts";

/** Bounds of one connection's inbound path (server options `maxFramesPerTurn`, `maxQueuedFrames`, `maxQueuedBytes`). */
export interface InboundLimits {
  readonly maxFramesPerTurn: number;
  readonly maxQueuedFrames: number;
  readonly maxQueuedBytes: number;
}

/** The defaults of the server options. */
export const DEFAULT_INBOUND_LIMITS: InboundLimits = Object.freeze({
  maxFramesPerTurn: 64,
  maxQueuedFrames: 4096,
  maxQueuedBytes: 4 * 1024 * 1024,
});

/** Runs `task` after the current event-loop turn's I/O, so other sockets' frames get their turn first. */
const defer: (task: () => void) => void =
  typeof globalThis.setImmediate === "function"
    ? (task) => void globalThis.setImmediate(task)
    : (task) => void setTimeout(task, 0);

// One turn counter for every connection: bumped once per turn that saw a frame, so counting costs no timer per socket.
let turn = 0;
let turnScheduled = false;
const nextTurn = (): void => {
  turnScheduled = false;
  turn++;
};
function currentTurn(): number {
  if (!turnScheduled) {
    turnScheduled = true;
    defer(nextTurn);
  }
  return turn;
}

function sizeOf(data: IncomingData): number {
  return typeof data === "string" ? data.length : data.byteLength;
}

/**
 * Fairness for one connection: at most `maxFramesPerTurn` of its frames are dispatched per event-loop turn; the
 * rest wait, in order, in a queue drained a batch per turn after other sockets' I/O, so one flooding client
 * cannot starve the others (Bun and Deno cannot pause reading a socket). Over `maxQueuedFrames` or
 * `maxQueuedBytes` waiting, the connection is cut with `overflow`.
 * @example
 * const budget = new InboundBudget(limits, (data) => dispatcher.dispatch(session, data), () => session.close(1008, "..."));
 * socket.onmessage = (e) => budget.admit(e.data) && dispatcher.dispatch(session, e.data);
 */
export class InboundBudget {
  readonly #limits: InboundLimits;
  readonly #dispatch: (data: IncomingData) => void;
  readonly #overflow: () => void;
  #turn = -1;
  #count = 0;
  // allocated on the first frame over the budget, so a gentle connection holds no array
  #queue: IncomingData[] | null = null;
  #head = 0;
  #bytes = 0;
  #draining = false;
  #stopped = false;

  constructor(limits: InboundLimits, dispatch: (data: IncomingData) => void, overflow: () => void) {
    this.#limits = limits;
    this.#dispatch = dispatch;
    this.#overflow = overflow;
  }

  /** Frames waiting for a later turn. */
  get queued(): number {
    return this.#queue === null ? 0 : this.#queue.length - this.#head;
  }

  /**
   * One frame arrived. Returns true when the caller should dispatch it now (within this turn's budget, nothing
   * waiting before it); otherwise it is queued for a later turn (dispatched then through the `dispatch` callback),
   * or dropped when the connection is stopped or just overflowed.
   */
  admit(data: IncomingData): boolean {
    if (this.#stopped) return false;
    const now = currentTurn();
    if (now !== this.#turn) {
      this.#turn = now;
      this.#count = 0;
    }
    if (this.queued === 0 && this.#count < this.#limits.maxFramesPerTurn) {
      this.#count++;
      return true;
    }
    const queue = (this.#queue ??= []);
    queue.push(data);
    this.#bytes += sizeOf(data);
    if (queue.length - this.#head > this.#limits.maxQueuedFrames || this.#bytes > this.#limits.maxQueuedBytes) {
      this.stop();
      this.#overflow();
      return false;
    }
    if (!this.#draining) {
      this.#draining = true;
      defer(this.#drain);
    }
    return false;
  }

  /** The connection is gone: waiting frames are dropped. */
  stop(): void {
    this.#stopped = true;
    this.#queue = null;
    this.#head = 0;
    this.#bytes = 0;
  }

  readonly #drain = (): void => {
    this.#draining = false;
    const queue = this.#queue;
    if (this.#stopped || queue === null) return;
    this.#turn = currentTurn();
    this.#count = 0;
    while (this.#head < queue.length && this.#count < this.#limits.maxFramesPerTurn && !this.#stopped) {
      const data = queue[this.#head] as IncomingData;
      queue[this.#head++] = "";
      this.#bytes -= sizeOf(data);
      this.#count++;
      this.#dispatch(data);
    }
    if (this.#stopped) return;
    if (this.#head >= queue.length) {
      this.#queue = null;
      this.#head = 0;
      this.#bytes = 0;
    } else {
      this.#draining = true;
      defer(this.#drain);
    }
  };
}
