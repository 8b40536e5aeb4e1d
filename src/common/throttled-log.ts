import type { LogContext, Logger } from "./logger.ts";

/** Longest client-supplied text (an event name, a reason) copied into a log line or an error frame. */
export const CLIP_LENGTH = 64;

/**
 * Client-supplied text shortened for a log line or an echo: at most `max` UTF-16 units, with `…` and the
 * original length when cut.
 * @example clip("a".repeat(100)) // "aaaa…(100 chars)"
 */
export function clip(text: string, max: number = CLIP_LENGTH): string {
  return text.length <= max ? text : `${text.slice(0, max)}…(${text.length} chars)`;
}

/** Options of {@link ThrottledLog}. */
export interface ThrottledLogOptions {
  /** Length of one interval in ms; default 10000. */
  intervalMs?: number;
  /** Lines written per kind per interval; the rest are counted; default 5. */
  perInterval?: number;
  /** The clock, for tests; default `Date.now`. */
  now?: () => number;
}

/**
 * Warnings a client can trigger (bad frames, unknown events, refused upgrades), rate-limited per kind so a
 * flooding client cannot turn its frames into log volume: at most `perInterval` lines per kind per interval;
 * the rest are counted and summed up in one line (`... N more suppressed`) when the kind next logs. Pure apart
 * from the logger; no timers.
 * @example
 * const log = new ThrottledLog(logger);
 * log.warning("unknown-event", `Unknown event '${clip(name)}' from client ${id}`);
 */
export class ThrottledLog {
  readonly #logger: Logger;
  readonly #intervalMs: number;
  readonly #perInterval: number;
  readonly #now: () => number;
  readonly #kinds = new Map<string, { start: number; written: number; suppressed: number }>();

  constructor(logger: Logger, options: ThrottledLogOptions = {}) {
    this.#logger = logger;
    this.#intervalMs = options.intervalMs ?? 10_000;
    this.#perInterval = options.perInterval ?? 5;
    this.#now = options.now ?? Date.now;
  }

  /** Logs a warning of `kind` unless that kind used up its lines for this interval (then counts it). */
  warning(kind: string, message: string, context?: LogContext): void {
    const now = this.#now();
    let state = this.#kinds.get(kind);
    if (!state || now - state.start >= this.#intervalMs) {
      if (state && state.suppressed > 0) {
        const seconds = Math.round((now - state.start) / 1000);
        this.#logger.warning(`${state.suppressed} more '${kind}' warnings suppressed in the last ${seconds} s`, {
          kind,
          suppressed: state.suppressed,
        });
      }
      state = { start: now, written: 0, suppressed: 0 };
      this.#kinds.set(kind, state);
    }
    if (state.written < this.#perInterval) {
      state.written++;
      this.#logger.warning(message, context);
    } else state.suppressed++;
  }

  /** Warnings counted but not written since their kind last logged, per kind (for tests and metrics). */
  suppressed(kind: string): number {
    return this.#kinds.get(kind)?.suppressed ?? 0;
  }
}
