/**
 * Logging: Sockeon's levels (emergency ... debug) and `exception()`, the default console logger at `debug` with
 * `debug: true`, and a custom logger: any object with level methods (pino, console, your own). Runs unchanged
 * with bun, `deno run -A` and tsx. Set LOGGER=json for the custom JSON-lines logger.
 */
import process from "node:process";
import { serve } from "../adapters/serve.ts";
import { createConsoleLogger, createServer, type LoggerLike, SocketController, SocketOn } from "../src/index.ts";

/** A pino-like logger writing one JSON object per line (pino itself can be passed the same way). */
const jsonLogger: LoggerLike = Object.fromEntries(
  ["fatal", "error", "warn", "info", "debug", "trace"].map((level) => [
    level,
    (context: object | string, message?: string) =>
      console.log(JSON.stringify(typeof context === "string" ? { level, msg: context } : { level, msg: message, ...context })),
  ]),
);

class AuditController extends SocketController {
  readonly #log = createConsoleLogger({ level: "debug" });

  @SocketOn("audit.note")
  note(clientId: string, data: { text?: string }): void {
    this.#log.notice(`Note from ${clientId}`, { length: String(data.text ?? "").length });
    this.emit(clientId, "audit.noted", {});
  }

  @SocketOn("audit.fail")
  fail(): never {
    // caught by the server: logged once through logger.exception with the client id and event; the client
    // gets "Internal server error processing message"
    throw new Error("audit store unavailable");
  }
}

const server = createServer({
  port: Number(process.env.PORT ?? 6001),
  host: process.env.HOST ?? "127.0.0.1",
  debug: true, // the default logger then writes debug lines too (connects, disconnects)
  ...(process.env.LOGGER === "json" ? { logger: jsonLogger } : {}),
}).register(new AuditController());

const listener = await serve(server);
console.log(`logging example on ws://${listener.hostname}:${listener.port}/`);
