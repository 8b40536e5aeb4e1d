/**
 * Per-client key/value data (Sockeon's `setClientData`/`putData`). Missing keys read as `null`, never dropped.
 * Pure state, no I/O.
 */
export class ClientData {
  readonly #data = new Map<string, Map<string, unknown>>();

  /** Stores `value` under `key` for a client. */
  set(clientId: string, key: string, value: unknown): void {
    let mine = this.#data.get(clientId);
    if (!mine) this.#data.set(clientId, (mine = new Map()));
    mine.set(key, value);
  }

  /** The value under `key`, or `null` when unset. */
  get(clientId: string, key: string): unknown {
    const value = this.#data.get(clientId)?.get(key);
    return value === undefined ? null : value;
  }

  /** All data of a client as a null-prototype record (empty when it has none). */
  all(clientId: string): Record<string, unknown> {
    const out: Record<string, unknown> = Object.create(null);
    for (const [key, value] of this.#data.get(clientId) ?? []) out[key] = value;
    return out;
  }

  /** Whether `key` is set for a client. */
  has(clientId: string, key: string): boolean {
    return this.#data.get(clientId)?.has(key) ?? false;
  }

  /** Removes one key, or every key of the client when `key` is omitted. */
  forget(clientId: string, key?: string): void {
    if (key === undefined) {
      this.#data.delete(clientId);
      return;
    }
    const mine = this.#data.get(clientId);
    if (!mine) return;
    mine.delete(key);
    if (mine.size === 0) this.#data.delete(clientId);
  }

  /** Number of clients holding data. */
  get size(): number {
    return this.#data.size;
  }
}
