import { createServer, type LoggerLike, type ServerOptions, type SockeonServer } from "../../../src/index.ts";

/** Log lines a test server wrote, for assertions; nothing reaches the console. */
export interface LogRecorder {
  lines: Array<{ level: string; message: string; context?: Record<string, unknown> }>;
  logger: LoggerLike;
}

/** A logger that records instead of printing. */
export function recordLogs(): LogRecorder {
  const lines: LogRecorder["lines"] = [];
  const logger: Record<string, unknown> = {};
  for (const level of ["emergency", "alert", "critical", "error", "warning", "notice", "info", "debug"]) {
    logger[level] = (message: string, context?: Record<string, unknown>) => lines.push({ level, message, context });
  }
  logger.exception = (error: unknown, context?: Record<string, unknown>) =>
    lines.push({ level: "error", message: `Exception: ${error instanceof Error ? error.message : String(error)}`, context });
  return { lines, logger: logger as LoggerLike };
}

/** A server for one test: quiet logger, port 0, any other options as given. */
export function testServer(options: ServerOptions = {}): SockeonServer {
  return createServer({ port: 0, logger: recordLogs().logger, ...options });
}
