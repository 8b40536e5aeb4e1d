import { createServer, type LoggerLike, type ServerOptions, type SockeonServer } from "../../../src/index.ts";

/** Log lines a test server wrote, for assertions; nothing reaches the console. */
export interface LogRecorder {
  lines: Array<{ level: string; message: string; context?: Record<string, unknown> }>;
  logger: LoggerLike;
  /** Resolves with the first line (already written or still to come) whose message starts with `prefix`. */
  line(prefix: string): Promise<{ level: string; message: string }>;
}

/** A logger that records instead of printing. */
export function recordLogs(): LogRecorder {
  const lines: LogRecorder["lines"] = [];
  const waiters: Array<{ prefix: string; resolve: (line: { level: string; message: string }) => void }> = [];
  const record = (line: LogRecorder["lines"][number]): void => {
    lines.push(line);
    for (const w of waiters.filter((w) => line.message.startsWith(w.prefix))) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(line);
    }
  };
  const logger: Record<string, unknown> = {};
  for (const level of ["emergency", "alert", "critical", "error", "warning", "notice", "info", "debug"]) {
    logger[level] = (message: string, context?: Record<string, unknown>) => record({ level, message, context });
  }
  logger.exception = (error: unknown, context?: Record<string, unknown>) =>
    record({ level: "error", message: `Exception: ${error instanceof Error ? error.message : String(error)}`, context });
  const line = (prefix: string): Promise<{ level: string; message: string }> => {
    const found = lines.find((l) => l.message.startsWith(prefix));
    return found ? Promise.resolve(found) : new Promise((resolve) => waiters.push({ prefix, resolve }));
  };
  return { lines, logger: logger as LoggerLike, line };
}

/** A server for one test: quiet logger, port 0, any other options as given. */
export function testServer(options: ServerOptions = {}): SockeonServer {
  return createServer({ port: 0, logger: recordLogs().logger, ...options });
}
