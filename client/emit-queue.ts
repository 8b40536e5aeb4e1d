/** What happens when a frame is queued while the queue is full. */
export type OverflowPolicy = "drop-oldest" | "drop-newest";

/**
 * The frames a client emits while it is not connected, bounded so a long outage cannot exhaust memory.
 * `drop-oldest` (the default) keeps the latest intent (a chat keeps the last messages, a game the last state);
 * `drop-newest` keeps what was queued first and refuses the rest.
 */
export class EmitQueue<T> {
  readonly #items: T[] = [];
  /** Most frames held at once; 0 disables queueing (every frame emitted while disconnected is dropped). */
  readonly max: number;
  readonly policy: OverflowPolicy;

  constructor(max: number, policy: OverflowPolicy) {
    this.max = max;
    this.policy = policy;
  }

  /** Frames waiting. */
  get size(): number {
    return this.#items.length;
  }

  /**
   * Queues an item.
   * @returns the item dropped to respect the bound (the oldest, or `item` itself), or undefined
   */
  push(item: T): T | undefined {
    if (this.#items.length < this.max) {
      this.#items.push(item);
      return undefined;
    }
    if (this.policy === "drop-newest" || this.max === 0) return item;
    const dropped = this.#items.shift();
    this.#items.push(item);
    return dropped;
  }

  /** Removes and returns every queued item, oldest first. */
  drain(): T[] {
    return this.#items.splice(0);
  }
}
