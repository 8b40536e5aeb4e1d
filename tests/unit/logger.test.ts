import { createConsoleLogger, LOG_LEVELS, toLogger } from "../../src/common/logger.ts";
import { describe, expect, test } from "../support/test.ts";

function sink() {
  const lines: Array<[string, string]> = [];
  return {
    lines,
    error: (line: string) => lines.push(["error", line]),
    warn: (line: string) => lines.push(["warn", line]),
    log: (line: string) => lines.push(["log", line]),
  };
}

describe("createConsoleLogger", () => {
  test("Sockeon's line format: [Y-m-d H:i:s] LEVEL: message {json context}", () => {
    const out = sink();
    const logger = createConsoleLogger({ sink: out });
    logger.info("Client connected", { clientId: "abc" });
    logger.info("no context", {});
    expect(out.lines[0]?.[1]).toMatch(/^\[\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\] INFO: Client connected \{"clientId":"abc"\}$/);
    expect(out.lines[1]?.[1]).toMatch(/\] INFO: no context$/);
  });

  test("levels below the minimum are dropped; severe levels go to stderr, warnings to warn", () => {
    const out = sink();
    const logger = createConsoleLogger({ sink: out, level: "warning" });
    for (const level of LOG_LEVELS) logger[level](level);
    expect(out.lines.map(([stream, line]) => `${stream} ${line.split("] ")[1]}`)).toEqual([
      "error EMERGENCY: emergency",
      "error ALERT: alert",
      "error CRITICAL: critical",
      "error ERROR: error",
      "warn WARNING: warning",
    ]);
    const debug = sink();
    createConsoleLogger({ sink: debug, level: "debug" }).debug("shown");
    expect(debug.lines).toHaveLength(1);
    const info = sink();
    createConsoleLogger({ sink: info }).debug("hidden");
    expect(info.lines).toHaveLength(0);
  });

  test("exception() logs the error's message and type at error level; non-errors are described", () => {
    const out = sink();
    const logger = createConsoleLogger({ sink: out });
    logger.exception(new RangeError("bad range"), { clientId: "c" });
    logger.exception("a string");
    expect(out.lines[0]?.[0]).toBe("error");
    expect(out.lines[0]?.[1]).toContain('ERROR: Exception: bad range {"clientId":"c","exception":"RangeError"');
    expect(out.lines[1]?.[1]).toContain('ERROR: Exception: "a string"');
  });

  test("an unserialisable context does not throw", () => {
    const out = sink();
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    createConsoleLogger({ sink: out }).info("cyclic", cyclic);
    expect(out.lines[0]?.[1]).toContain("cyclic [unserialisable context]");
  });
});

describe("toLogger", () => {
  test("a Sockeon-style logger is called as (message, context)", () => {
    const calls: unknown[][] = [];
    const like: Record<string, (...args: unknown[]) => void> = {};
    for (const level of LOG_LEVELS) like[level] = (...args) => calls.push([level, ...args]);
    const logger = toLogger(like);
    logger.warning("w", { a: 1 });
    logger.debug("d");
    expect(calls).toEqual([
      ["warning", "w", { a: 1 }],
      ["debug", "d"],
    ]);
  });

  test("console-style loggers: missing levels fall back (warning -> warn, notice -> info, debug -> trace)", () => {
    const calls: unknown[][] = [];
    const logger = toLogger({
      warn: (...args: unknown[]) => calls.push(["warn", ...args]),
      info: (...args: unknown[]) => calls.push(["info", ...args]),
      error: (...args: unknown[]) => calls.push(["error", ...args]),
    });
    logger.warning("w");
    logger.notice("n");
    logger.critical("c");
    logger.debug("dropped: no debug, trace");
    expect(calls).toEqual([
      ["warn", "w"],
      ["info", "n"],
      ["error", "c"],
    ]);
  });

  test("pino-style loggers (fatal + trace) are called as (context, message)", () => {
    const calls: unknown[][] = [];
    const pino: Record<string, (...args: unknown[]) => void> = {};
    for (const level of ["fatal", "error", "warn", "info", "debug", "trace"])
      pino[level] = (...args) => calls.push([level, ...args]);
    const logger = toLogger(pino);
    logger.emergency("down", { code: 1 });
    logger.info("plain");
    expect(calls).toEqual([
      ["fatal", { code: 1 }, "down"],
      ["info", "plain"],
    ]);
  });

  test("exception() uses the logger's own exception method, else logs at error level", () => {
    const own: unknown[] = [];
    const error = new Error("x");
    toLogger({ exception: (e, c) => void own.push(e, c) }).exception(error, { k: 1 });
    expect(own).toEqual([error, { k: 1 }]);
    const calls: unknown[][] = [];
    toLogger({ error: (...args: unknown[]) => calls.push(args) }).exception(error, { k: 2 });
    expect(calls).toEqual([["Exception: x", { k: 2, error }]]);
  });
});
