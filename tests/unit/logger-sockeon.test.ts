import { createConsoleLogger, LOG_LEVELS, toLogger } from "../../src/common/logger.ts";
import { describe, expect, test } from "../support/test.ts";

function sink() {
  const lines: Array<[string, string]> = [];
  return {
    lines,
    sink: {
      error: (l: string) => void lines.push(["error", l]),
      warn: (l: string) => void lines.push(["warn", l]),
      log: (l: string) => void lines.push(["log", l]),
    },
  };
}

describe("Logger", () => {
  test("Sockeon's line format; levels below the minimum are dropped; severe levels go to stderr", () => {
    const out = sink();
    const logger = createConsoleLogger({ level: "info", sink: out.sink });
    for (const level of LOG_LEVELS) logger[level](`${level} message`, level === "info" ? { clientId: "a1" } : undefined);
    expect(out.lines.length).toBe(7);
    expect(out.lines.map(([stream]) => stream)).toEqual(["error", "error", "error", "error", "warn", "log", "log"]);
    expect(out.lines[6]?.[1]).toMatch(/^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\] INFO: info message \{"clientId":"a1"\}$/);
    expect(out.lines[0]?.[1]).toContain("EMERGENCY: emergency message");
  });

  test("setMinLogLevel, setLogToConsole, colours", () => {
    const out = sink();
    const logger = createConsoleLogger({ sink: out.sink, colors: true });
    logger.debug("hidden");
    logger.setMinLogLevel("debug");
    expect(logger.getMinLogLevel()).toBe("debug");
    logger.debug("shown");
    logger.setLogToConsole(false);
    logger.error("muted");
    expect(out.lines.length).toBe(1);
    expect(out.lines[0]?.[1]).toContain("\x1b[90mDEBUG\x1b[0m: shown");
    expect(() => logger.setMinLogLevel("verbose" as never)).toThrow('Invalid log level "verbose"');
    expect(() => createConsoleLogger({ level: "loud" as never })).toThrow("expected one of emergency");
  });

  test("exception(): message, context, and Sockeon's File/Code/Trace lines at the given level", () => {
    const out = sink();
    const logger = createConsoleLogger({ sink: out.sink });
    const error = Object.assign(new Error("disk full"), { code: "ENOSPC" });
    logger.exception(error, { clientId: "c1", event: "save" });
    logger.exception("plain string", {}, "critical");
    logger.exception(new Error("quiet"), {}, "debug");
    expect(out.lines.length).toBe(2);
    const [first, second] = out.lines.map(([, l]) => l);
    expect(first).toContain('ERROR: Exception: disk full {"clientId":"c1","event":"save","exception":"Error"}');
    expect(first).toMatch(/\nFile: .+logger-sockeon\.test\.ts:\d+\nCode: ENOSPC\nTrace: /);
    expect(second).toContain('CRITICAL: Exception: "plain string"');
  });

  test("toLogger adapts pino-style and console-style loggers", () => {
    const calls: unknown[][] = [];
    const pino = {
      fatal: (...a: unknown[]) => void calls.push(["fatal", ...a]),
      error: (...a: unknown[]) => void calls.push(["error", ...a]),
      warn: (...a: unknown[]) => void calls.push(["warn", ...a]),
      info: (...a: unknown[]) => void calls.push(["info", ...a]),
      debug: (...a: unknown[]) => void calls.push(["debug", ...a]),
      trace: (...a: unknown[]) => void calls.push(["trace", ...a]),
    };
    const logger = toLogger(pino);
    logger.emergency("down", { node: 1 });
    logger.warning("slow");
    logger.notice("note");
    logger.exception(new Error("x"), { clientId: "c" }, "warning");
    expect(calls[0]).toEqual(["fatal", { node: 1 }, "down"]);
    expect(calls[1]).toEqual(["warn", "slow"]);
    expect(calls[2]).toEqual(["info", "note"]);
    expect(calls[3]?.[0]).toBe("warn");
    expect(calls[3]?.[2]).toBe("Exception: x");
  });
});
