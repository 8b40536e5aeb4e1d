/**
 * Messages held while the backplane is unreachable: at most `limit`, the oldest dropped first when full, and
 * every message that did not make it counted. With limit 0 nothing is held. Pure state, no I/O.
 */
export class Outbox<T> {
  readonly limit: number;
  #items: T[] = [];
  #dropped = 0;
  #droppedTotal = 0;

  /** @param limit most messages held; 0 holds none */
  constructor(limit: number) {
    if (!Number.isSafeInteger(limit) || limit < 0)
      throw new TypeError(`Outbox: limit must be a non-negative integer, got ${limit}`);
    this.limit = limit;
  }

  /** Holds a message, dropping the oldest one when full (or this one when the limit is 0). */
  push(item: T): void {
    if (this.limit === 0) {
      this.#dropped++;
      this.#droppedTotal++;
      return;
    }
    this.#items.push(item);
    if (this.#items.length > this.limit) {
      this.#items.shift();
      this.#dropped++;
      this.#droppedTotal++;
    }
  }

  /** Messages held now. */
  get size(): number {
    return this.#items.length;
  }

  /** Messages dropped since the last {@link Outbox.drain}. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Messages dropped since the outbox was made (for metrics). */
  get droppedTotal(): number {
    return this.#droppedTotal;
  }

  /** Hands over every held message, oldest first, and resets the drop count. */
  drain(): T[] {
    const items = this.#items;
    this.#items = [];
    this.#dropped = 0;
    return items;
  }
}
