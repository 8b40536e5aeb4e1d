import { describe } from "./errors.ts";

/** Sockeon's log levels, most severe first (PSR-3). */
export const LOG_LEVELS = ["emergency", "alert", "critical", "error", "warning", "notice", "info", "debug"] as const;
/** One of Sockeon's log levels. */
export type LogLevel = (typeof LOG_LEVELS)[number];
/** Structured context attached to a log line. */
export type LogContext = Record<string, unknown>;

/** Sockeon's logger: one method per level, plus `exception` for caught errors. */
export type Logger = { [L in LogLevel]: (message: string, context?: LogContext) => void } & {
  exception(error: unknown, context?: LogContext): void;
};

/** Any logger with some level methods: Sockeon's names, or pino/console style (`warn`, `fatal`, `trace`). */
export type LoggerLike = Partial<Record<LogLevel | "warn" | "fatal" | "trace" | "log", (...args: never[]) => unknown>> & {
  exception?: (error: unknown, context?: LogContext) => unknown;
};

// where a level is missing on a foreign logger, the next name in its row is tried
const FALLBACKS: Record<LogLevel, string[]> = {
  emergency: ["emergency", "fatal", "error"],
  alert: ["alert", "fatal", "error"],
  critical: ["critical", "fatal", "error"],
  error: ["error"],
  warning: ["warning", "warn"],
  notice: ["notice", "info"],
  info: ["info", "log"],
  debug: ["debug", "trace"],
};

/** Options of the default console logger. */
export interface ConsoleLoggerOptions {
  /** Lowest level written; default `info`. */
  level?: LogLevel;
  /** Where lines go; default `console`. */
  sink?: Pick<Console, "error" | "warn" | "log">;
}

function stamp(): string {
  return new Date().toISOString().replace("T", " ").slice(0, 19);
}

/**
 * The default logger: Sockeon's line format `[Y-m-d H:i:s] LEVEL: message {json context}` on the console.
 * @example const logger = createConsoleLogger({ level: "debug" });
 */
export function createConsoleLogger(options: ConsoleLoggerOptions = {}): Logger {
  const min = LOG_LEVELS.indexOf(options.level ?? "info");
  const sink = options.sink ?? console;
  const write = (level: LogLevel, message: string, context?: LogContext): void => {
    if (LOG_LEVELS.indexOf(level) > min) return;
    const ctx = context && Object.keys(context).length > 0 ? ` ${safeJson(context)}` : "";
    const line = `[${stamp()}] ${level.toUpperCase()}: ${message}${ctx}`;
    if (LOG_LEVELS.indexOf(level) <= 3) sink.error(line);
    else if (level === "warning") sink.warn(line);
    else sink.log(line);
  };
  const logger = {} as Logger;
  for (const level of LOG_LEVELS) logger[level] = (message, context) => write(level, message, context);
  logger.exception = (error, context) => {
    const err = error instanceof Error ? error : new Error(describe(error));
    write("error", `Exception: ${err.message}`, {
      ...context,
      type: err.name,
      stack: err.stack?.split("\n").slice(1, 4).join(" | "),
    });
  };
  return logger;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return "[unserialisable context]";
  }
}

/**
 * Wraps any logger-like object (pino, console, Sockeon-style) into a full {@link Logger}.
 * @param like the user's logger
 */
export function toLogger(like: LoggerLike): Logger {
  const logger = {} as Logger;
  const pick = (names: string[]) => {
    for (const name of names) {
      const fn = (like as Record<string, unknown>)[name];
      if (typeof fn === "function") return fn.bind(like) as (message: string, context?: LogContext) => void;
    }
    return () => {};
  };
  for (const level of LOG_LEVELS) {
    const fn = pick(FALLBACKS[level]);
    // pino takes (object, message); Sockeon-style loggers take (message, context): detect by name
    logger[level] =
      "fatal" in like && "trace" in like
        ? (message, context) => (context ? (fn as unknown as (o: object, m: string) => void)(context, message) : fn(message))
        : (message, context) => (context ? fn(message, context) : fn(message));
  }
  logger.exception =
    typeof like.exception === "function"
      ? (error, context) => void like.exception?.(error, context)
      : (error, context) =>
          logger.error(`Exception: ${error instanceof Error ? error.message : describe(error)}`, { ...context, error });
  return logger;
}
