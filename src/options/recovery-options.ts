import { ConfigError } from "../common/errors.ts";
import { knownFields, positiveInt } from "./option-checks.ts";

/** The `connectionStateRecovery` server option (socket.io's name); off when unset. */
export interface ConnectionStateRecoveryOptions {
  /** Milliseconds a dropped client's session is kept for it to resume; default 120000 (2 minutes). */
  maxDisconnectionDuration?: number;
  /** Most frames kept per session for replay; default 1000. Over it while suspended, recovery is given up. */
  maxBufferedFrames?: number;
  /** Most characters of frame text kept per session for replay; default 1048576 (1 MiB). */
  maxBufferedBytes?: number;
}

/** {@link ConnectionStateRecoveryOptions} after defaults and checks. */
export interface ResolvedRecoveryOptions {
  readonly maxDisconnectionDuration: number;
  readonly maxFrames: number;
  readonly maxBytes: number;
}

const FIELDS = ["maxDisconnectionDuration", "maxBufferedFrames", "maxBufferedBytes"] as const;
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
  return {
    maxDisconnectionDuration: window,
    maxFrames: positiveInt("connectionStateRecovery.maxBufferedFrames", o.maxBufferedFrames, 1000),
    maxBytes: positiveInt("connectionStateRecovery.maxBufferedBytes", o.maxBufferedBytes, 1 << 20),
  };
}
