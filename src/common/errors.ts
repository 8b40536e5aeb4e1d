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
