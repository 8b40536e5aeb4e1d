import { LimitError } from "../common/errors.ts";
import { utf8Length } from "../protocol/protocol.ts";

/** Bounds of one client's data; unbounded when not given. */
export interface ClientDataLimits {
  /** Most keys per client. */
  readonly maxClientDataKeys: number;
  /** Most bytes per client: UTF-8 bytes of the keys plus of the values' JSON. */
  readonly maxClientDataBytes: number;
}

interface Entry {
  readonly values: Map<string, unknown>;
  readonly sizes: Map<string, number>;
  bytes: number;
}

/** UTF-8 bytes a key and its value count for: the value's JSON text (0 for what JSON cannot represent). */
function sizeOf(key: string, value: unknown): number {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch {
    json = undefined;
  }
  return utf8Length(key) + (json === undefined ? 0 : utf8Length(json));
}

/**
 * Per-client key/value data (Sockeon's `setClientData`/`putData`). Missing keys read as `null`, never dropped.
 * With limits, a write over a client's key or byte bound throws a {@link LimitError} and changes nothing.
 * Pure state, no I/O.
 */
export class ClientData {
  readonly #data = new Map<string, Entry>();
  readonly #limits: ClientDataLimits | undefined;

  constructor(limits?: ClientDataLimits) {
    this.#limits = limits;
  }

  /** Stores `value` under `key` for a client. @throws LimitError over `maxClientDataKeys` or `maxClientDataBytes` */
  set(clientId: string, key: string, value: unknown): void {
    let mine = this.#data.get(clientId);
    const limits = this.#limits;
    const size = limits ? sizeOf(key, value) : 0;
    if (limits) {
      const replaced = mine?.sizes.get(key);
      const keys = (mine?.values.size ?? 0) + (replaced === undefined ? 1 : 0);
      if (keys > limits.maxClientDataKeys)
        throw new LimitError(
          "maxClientDataKeys",
          `Client data limit reached: at most ${limits.maxClientDataKeys} keys per client (maxClientDataKeys)`,
        );
      if ((mine?.bytes ?? 0) - (replaced ?? 0) + size > limits.maxClientDataBytes)
        throw new LimitError(
          "maxClientDataBytes",
          `Client data limit reached: at most ${limits.maxClientDataBytes} bytes per client (maxClientDataBytes)`,
        );
    }
    if (!mine) this.#data.set(clientId, (mine = { values: new Map(), sizes: new Map(), bytes: 0 }));
    mine.bytes += size - (mine.sizes.get(key) ?? 0);
    mine.sizes.set(key, size);
    mine.values.set(key, value);
  }

  /** The value under `key`, or `null` when unset. */
  get(clientId: string, key: string): unknown {
    const value = this.#data.get(clientId)?.values.get(key);
    return value === undefined ? null : value;
  }

  /** All data of a client as a null-prototype record (empty when it has none). */
  all(clientId: string): Record<string, unknown> {
    const out: Record<string, unknown> = Object.create(null);
    for (const [key, value] of this.#data.get(clientId)?.values ?? []) out[key] = value;
    return out;
  }

  /** Whether `key` is set for a client. */
  has(clientId: string, key: string): boolean {
    return this.#data.get(clientId)?.values.has(key) ?? false;
  }

  /** Bytes a client's data counts for against `maxClientDataBytes` (0 without limits). */
  bytesOf(clientId: string): number {
    return this.#data.get(clientId)?.bytes ?? 0;
  }

  /** Removes one key, or every key of the client when `key` is omitted. */
  forget(clientId: string, key?: string): void {
    if (key === undefined) {
      this.#data.delete(clientId);
      return;
    }
    const mine = this.#data.get(clientId);
    if (!mine) return;
    mine.values.delete(key);
    mine.bytes -= mine.sizes.get(key) ?? 0;
    mine.sizes.delete(key);
    if (mine.values.size === 0) this.#data.delete(clientId);
  }

  /** Number of clients holding data. */
  get size(): number {
    return this.#data.size;
  }
}
