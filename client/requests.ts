import { ConnectionError, RequestTimeoutError } from "./errors.ts";

interface Pending {
  event: string;
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
  /** Written to a socket: lost if that socket drops before the answer. */
  sent: boolean;
}

/**
 * The requests waiting for their `ack` or `error` frame, by id. Each is settled exactly once: by the answer, its
 * timeout, a dropped connection (if it was written) or the client's close.
 */
export class PendingRequests {
  readonly #pending = new Map<number, Pending>();
  #lastId = 0;

  /**
   * Registers a request; its timeout runs from now.
   * @returns the id for the frame, and the promise of the answer
   */
  create(event: string, timeout: number): { id: number; answer: Promise<unknown> } {
    const id = ++this.#lastId;
    const answer = new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new RequestTimeoutError(event, id, timeout));
      }, timeout);
      this.#pending.set(id, { event, resolve, reject, timer, sent: false });
    });
    return { id, answer };
  }

  /** Whether a request still waits (not answered, timed out or failed). */
  has(id: number): boolean {
    return this.#pending.has(id);
  }

  /** Whether this client ever issued the id: a late answer to a timed-out request is one. */
  issued(id: unknown): boolean {
    return typeof id === "number" && id >= 1 && id <= this.#lastId;
  }

  /** Marks a request as written to the socket. */
  sent(id: number): void {
    const p = this.#pending.get(id);
    if (p) p.sent = true;
  }

  /** Resolves request `id` with a result; false when no such request waits. */
  resolve(id: unknown, result: unknown): boolean {
    const p = this.#take(id);
    p?.resolve(result);
    return p !== undefined;
  }

  /** Rejects request `id` with `error(event)`; false when no such request waits. */
  reject(id: unknown, error: (event: string) => Error): boolean {
    const p = this.#take(id);
    p?.reject(error(p.event));
    return p !== undefined;
  }

  /** Rejects every request already written to the socket that just dropped; queued ones keep waiting. */
  failSent(detail: string): void {
    for (const [id, p] of this.#pending) {
      if (p.sent) this.reject(id, (event) => new ConnectionError("disconnected", event, detail));
    }
  }

  /** Rejects every waiting request. */
  failAll(error: (event: string) => Error): void {
    for (const id of [...this.#pending.keys()]) this.reject(id, error);
  }

  #take(id: unknown): Pending | undefined {
    if (typeof id !== "number") return undefined;
    const p = this.#pending.get(id);
    if (!p) return undefined;
    this.#pending.delete(id);
    clearTimeout(p.timer);
    return p;
  }
}
