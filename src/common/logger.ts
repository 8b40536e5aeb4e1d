import { describe } from "./errors.ts";

/** Sockeon's log levels, most severe first (PSR-3). */
export const LOG_LEVELS = ["emergency", "alert", "critical", "error", "warning", "notice", "info", "debug"] as const;
/** One of Sockeon's log levels. */
export type LogLevel = (typeof LOG_LEVELS)[number];
/** Structured context attached to a log line. */
export type LogContext = Record<string, unknown>;

/** Sockeon's logger: one method per level, plus `exception` for caught errors (at `error` unless told). */
export type Logger = { [L in LogLevel]: (message: string, context?: LogContext) => void } & {
  exception(error: unknown, context?: LogContext, level?: LogLevel): void;
};

/** Any logger with some level methods: Sockeon's names, or pino/console style (`warn`, `fatal`, `trace`). */
export type LoggerLike = Partial<Record<LogLevel | "warn" | "fatal" | "trace" | "log", (...args: never[]) => unknown>> & {
  exception?: (error: unknown, context?: LogContext, level?: LogLevel) => unknown;
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

/** Where the console logger writes: the console, or any line sink (a file stream, a test array). */
export type LogSink = Pick<Console, "error" | "warn" | "log">;

/** Options of the default console logger, Sockeon's Logger constructor arguments where they apply. */
export interface ConsoleLoggerOptions {
  /** Lowest level written (Sockeon's `minLogLevel`); default `info`. */
  level?: LogLevel;
  /** Write to the sink at all (Sockeon's `logToConsole`); default true. */
  enabled?: boolean;
  /** Colour the level with ANSI codes, as Sockeon's console output; default false (plain lines for log files). */
  colors?: boolean;
  /** Where lines go; default `console` (levels error and above to `console.error`, warning to `console.warn`). */
  sink?: LogSink;
}

/** The default logger, with Sockeon's setters. */
export type ConsoleLogger = Logger & {
  /** Changes the lowest level written (Sockeon's `setMinLogLevel`). */
  setMinLogLevel(level: LogLevel): void;
  /** The lowest level written. */
  getMinLogLevel(): LogLevel;
  /** Turns writing on or off (Sockeon's `setLogToConsole`). */
  setLogToConsole(enabled: boolean): void;
};

const COLORS: Record<LogLevel, string> = {
  emergency: "\x1b[1;41m",
  alert: "\x1b[1;31m",
  critical: "\x1b[1;31m",
  error: "\x1b[31m",
  warning: "\x1b[33m",
  notice: "\x1b[36m",
  info: "\x1b[32m",
  debug: "\x1b[90m",
};

function stamp(): string {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/**
 * Checks a level name.
 * @throws TypeError naming the offending value and the valid levels
 */
export function assertLogLevel(level: unknown): asserts level is LogLevel {
  if (!(LOG_LEVELS as readonly unknown[]).includes(level))
    throw new TypeError(`Invalid log level ${describe(level)} (expected one of ${LOG_LEVELS.join(", ")})`);
}

/** The first stack frame's location (`file:line:col`), Sockeon's "File" line. */
function origin(stack: string | undefined): string | undefined {
  const frame = stack?.split("\n").find((l) => /^\s+at /.test(l));
  const match = frame && /\(?((?:file|https?|node|ext):[^()]+|\/[^()]+):(\d+):(\d+)\)?\s*$/.exec(frame);
  return match ? `${match[1]}:${match[2]}` : undefined;
}

/**
 * The default logger: Sockeon's line format `[Y-m-d H:i:s] LEVEL: message {json context}` on the console;
 * `exception()` adds Sockeon's `File:`, `Code:` and `Trace:` lines.
 * @example const logger = createConsoleLogger({ level: "debug" }); logger.info("ready", { port: 6001 });
 */
export function createConsoleLogger(options: ConsoleLoggerOptions = {}): ConsoleLogger {
  const initial = options.level ?? "info";
  assertLogLevel(initial);
  let min = LOG_LEVELS.indexOf(initial);
  let enabled = options.enabled ?? true;
  const sink = options.sink ?? console;
  const colors = options.colors ?? false;
  const write = (level: LogLevel, message: string, context?: LogContext, extra = ""): void => {
    const rank = LOG_LEVELS.indexOf(level);
    if (!enabled || rank > min) return;
    const ctx = context && Object.keys(context).length > 0 ? ` ${safeJson(context)}` : "";
    const name = colors ? `${COLORS[level]}${level.toUpperCase()}\x1b[0m` : level.toUpperCase();
    const line = `[${stamp()}] ${name}: ${message}${ctx}${extra}`;
    if (rank <= 3) sink.error(line);
    else if (level === "warning") sink.warn(line);
    else sink.log(line);
  };
  const logger = {} as ConsoleLogger;
  for (const level of LOG_LEVELS) logger[level] = (message, context) => write(level, message, context);
  logger.exception = (error, context, level = "error") => {
    assertLogLevel(level);
    const err = error instanceof Error ? error : new Error(describe(error));
    const code = (err as { code?: unknown }).code;
    const lines = [
      `File: ${origin(err.stack) ?? "unknown"}`,
      `Code: ${code === undefined ? 0 : String(code)}`,
      `Trace: ${
        err.stack
          ?.split("\n")
          .filter((l) => /^\s+at /.test(l))
          .slice(0, 10)
          .map((l) => l.trim())
          .join(" | ") ?? ""
      }`,
    ];
    write(level, `Exception: ${err.message}`, { ...context, exception: err.name }, `\n${lines.join("\n")}`);
  };
  logger.setMinLogLevel = (level) => {
    assertLogLevel(level);
    min = LOG_LEVELS.indexOf(level);
  };
  logger.getMinLogLevel = () => LOG_LEVELS[min] as LogLevel;
  logger.setLogToConsole = (on) => {
    enabled = on;
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
      ? (error, context, level) => void like.exception?.(error, context, level)
      : (error, context, level = "error") =>
          logger[level](`Exception: ${error instanceof Error ? error.message : describe(error)}`, { ...context, error });
  return logger;
}
