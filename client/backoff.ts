/** Reconnection settings, as sockeon-js names them, plus `jitter`. */
export interface ReconnectOptions {
  /** Attempts after a drop before giving up (status `closed`); 0 means no limit. Default 0. */
  maxAttempts?: number;
  /** Delay before the first attempt, in ms. Default 500. */
  delay?: number;
  /** Upper bound of the delay, in ms. Default 10000. */
  maxDelay?: number;
  /** Multiplier per attempt. Default 2. */
  factor?: number;
  /**
   * Share of the delay that is randomised, 0..1. Default 0.5: each delay is drawn from [d/2, d], so clients
   * dropped together by a server restart do not all come back in the same millisecond.
   */
  jitter?: number;
}

/** Reconnection settings after defaults. */
export type ResolvedReconnect = Required<ReconnectOptions>;

/** Defaults of {@link ReconnectOptions}. */
export const RECONNECT_DEFAULTS: ResolvedReconnect = { maxAttempts: 0, delay: 500, maxDelay: 10000, factor: 2, jitter: 0.5 };

/**
 * Delay before reconnection attempt `attempt` (1-based): `min(maxDelay, delay * factor^(attempt-1))`, of which
 * the `jitter` share is random.
 * @param attempt the attempt about to be made, from 1
 * @param options resolved settings
 * @param random a source in [0, 1), `Math.random` by default
 * @example backoffDelay(3, { ...RECONNECT_DEFAULTS, jitter: 0 }) // 2000
 */
export function backoffDelay(attempt: number, options: ResolvedReconnect, random: () => number = Math.random): number {
  const exponential = options.delay * options.factor ** Math.max(0, attempt - 1);
  const capped = Math.min(options.maxDelay, exponential);
  return Math.round(capped * (1 - options.jitter * random()));
}
