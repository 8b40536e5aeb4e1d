/**
 * A server option has a wrong value. The message names the option and the offending value.
 * @example new ConfigError("maxMessageSize", -1, "a positive integer")
 */
export class ConfigError extends TypeError {
  override name = "ConfigError";
  /** The option that was wrong. */
  readonly option: string;
  constructor(option: string, value: unknown, expected: string) {
    super(`Invalid server option ${option}: ${describe(value)} (expected ${expected})`);
    this.option = option;
  }
}

/**
 * Short, safe rendering of a value for error messages.
 * @param value anything
 */
export function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (typeof value === "function") return `function ${value.name || "(anonymous)"}`;
  if (value === null || typeof value !== "object") return String(value);
  try {
    const text = JSON.stringify(value);
    return text.length > 80 ? `${text.slice(0, 80)}…` : text;
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/**
 * Checks a room or namespace name: a non-empty string.
 * @throws TypeError naming the offending value
 */
export function assertName(kind: "room" | "namespace", value: unknown): asserts value is string {
  if (typeof value !== "string" || value.length === 0) {
    throw new TypeError(`Invalid ${kind} name: ${describe(value)} (${kind} names are non-empty strings)`);
  }
}

/** Where a failure happened, passed to `onError` beside the error. */
export interface ErrorContext {
  /** What failed: a handler, a middleware, the broker, a send. */
  source: string;
  clientId?: string;
  event?: string;
}

/**
 * A client went over a per-client bound (a name too long or unprintable, too many rooms, too much client data).
 * Its message names the bound and is safe to show the client: a handler that hits one gets it in its `error`
 * frame instead of the generic internal error, and the connection stays open.
 * @example new LimitError("maxRoomsPerClient", "Room limit reached: at most 1000 rooms per client (maxRoomsPerClient)")
 */
export class LimitError extends RangeError {
  override name = "LimitError";
  /** The option that sets the bound, e.g. `maxRoomsPerClient`. */
  readonly limit: string;
  constructor(limit: string, message: string) {
    super(message);
    this.limit = limit;
  }
}
