import { ConfigError } from "../common/errors.ts";
import type { RecoveryStore } from "../engine/recovery-store.ts";
import { knownFields, positiveInt } from "./option-checks.ts";

/** The `connectionStateRecovery` server option (socket.io's name); off when unset. */
export interface ConnectionStateRecoveryOptions {
  /** Milliseconds a dropped client's session is kept for it to resume; default 120000 (2 minutes). */
  maxDisconnectionDuration?: number;
  /** Most frames kept per session for replay; default 1000. Over it while suspended, recovery is given up. */
  maxBufferedFrames?: number;
  /** Most characters of frame text kept per session for replay; default 1048576 (1 MiB). */
  maxBufferedBytes?: number;
  /**
   * Where sessions and the history of sends are kept so a client may resume on another node, even after its
   * node died: `createRedisRecoveryStore({ redis })` from `sockeon-ts/redis`, with the Redis broker. Default: the
   * memory of the node that holds the session (resume on that node only).
   */
  store?: RecoveryStore;
}

/** {@link ConnectionStateRecoveryOptions} after defaults and checks. */
export interface ResolvedRecoveryOptions {
  readonly maxDisconnectionDuration: number;
  readonly maxFrames: number;
  readonly maxBytes: number;
  readonly store?: RecoveryStore;
}

const FIELDS = ["maxDisconnectionDuration", "maxBufferedFrames", "maxBufferedBytes", "store"] as const;
const STORE_METHODS = ["attach", "append", "save", "touch", "drop", "claim", "history", "settled"] as const;
/** Longest window a timer can hold (2^31 - 1 ms, about 24.8 days). */
const MAX_WINDOW_MS = 2 ** 31 - 1;

/**
 * Checks the `connectionStateRecovery` option; `undefined` or `false` keep recovery off, `true` takes the defaults.
 * @throws ConfigError naming the offending field and value
 */
export function resolveRecoveryOptions(value: unknown): ResolvedRecoveryOptions | undefined {
  if (value === undefined || value === false) return undefined;
  const o = value === true ? {} : knownFields("connectionStateRecovery", value, FIELDS);
  const window = positiveInt("connectionStateRecovery.maxDisconnectionDuration", o.maxDisconnectionDuration, 120_000);
  if (window > MAX_WINDOW_MS)
    throw new ConfigError("connectionStateRecovery.maxDisconnectionDuration", window, `a positive integer <= ${MAX_WINDOW_MS}`);
  const store = o.store as RecoveryStore | undefined;
  if (
    store !== undefined &&
    (typeof store !== "object" || store === null || STORE_METHODS.some((m) => typeof store[m] !== "function"))
  )
    throw new ConfigError("connectionStateRecovery.store", store, "a RecoveryStore (createRedisRecoveryStore)");
  return {
    ...(store ? { store } : {}),
    maxDisconnectionDuration: window,
    maxFrames: positiveInt("connectionStateRecovery.maxBufferedFrames", o.maxBufferedFrames, 1000),
    maxBytes: positiveInt("connectionStateRecovery.maxBufferedBytes", o.maxBufferedBytes, 1 << 20),
  };
}
