import { createServer } from "../../src/api/server.ts";
import { ConfigError } from "../../src/common/errors.ts";
import { resolveOptions } from "../../src/options/options.ts";
import { describe, expect, test } from "../support/test.ts";

describe("resolveOptions", () => {
  test("defaults match Sockeon where it has them", () => {
    const o = resolveOptions({});
    expect([o.host, o.port, o.debug, o.maxMessageSize, o.maxJsonDepth]).toEqual(["127.0.0.1", 6001, false, 65536, 512]);
    expect([o.registerSystemControllers, o.acks, o.maxBufferedAmount]).toEqual([true, true, 4 * 1024 * 1024]);
    expect(typeof o.logger.info).toBe("function");
    expect(typeof o.onError).toBe("function");
    expect(resolveOptions().port).toBe(6001);
  });

  test("an unknown option is a ConfigError naming it and listing the known ones", () => {
    const attempt = () => resolveOptions({ maxMesageSize: 10 } as never);
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow("Invalid server option maxMesageSize: 10 (expected a known option; known: host, port,");
    expect(attempt).toThrow("maxMessageSize");
    expect(() => createServer({ auth_key: "x" } as never)).toThrow('Invalid server option auth_key: "x"');
  });

  test("wrong values are ConfigErrors (TypeErrors) naming the option and the value", () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ port: -1 }, "Invalid server option port: -1 (expected an integer 0-65535)"],
      [{ port: 65536 }, "port: 65536"],
      [{ port: 1.5 }, "port: 1.5"],
      [{ port: "80" }, 'port: "80"'],
      [{ host: "" }, 'host: "" (expected a non-empty string)'],
      [{ host: 1 }, "host: 1"],
      [{ debug: "yes" }, 'debug: "yes" (expected true or false)'],
      [{ maxMessageSize: 0 }, "maxMessageSize: 0 (expected a positive integer)"],
      [{ maxMessageSize: Number.POSITIVE_INFINITY }, "maxMessageSize: Infinity"],
      [{ maxJsonDepth: 2.5 }, "maxJsonDepth: 2.5"],
      [{ maxBufferedAmount: -5 }, "maxBufferedAmount: -5"],
      [{ acks: 1 }, "acks: 1 (expected true or false)"],
      [{ registerSystemControllers: null }, "registerSystemControllers: null"],
      [{ logger: "console" }, 'logger: "console" (expected an object with log level methods)'],
      [{ onError: {} }, "onError: {} (expected a function)"],
    ];
    for (const [options, message] of cases) {
      let error: unknown;
      try {
        resolveOptions(options as never);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toContain(message);
      expect((error as ConfigError).option).toBe(Object.keys(options)[0] as string);
    }
    expect(() => resolveOptions(null as never)).toThrow("Invalid server option options: null (expected an object)");
  });

  test("port 0 and explicit values are kept; debug lowers the default logger to debug", () => {
    const o = resolveOptions({ port: 0, host: "::1", maxMessageSize: 10, acks: false, debug: true });
    expect([o.port, o.host, o.maxMessageSize, o.acks, o.debug]).toEqual([0, "::1", 10, false, true]);
  });

  test("the default onError logs through the configured logger", () => {
    const seen: unknown[] = [];
    const o = resolveOptions({ logger: { exception: (e, c) => void seen.push(e, c) } });
    const error = new Error("x");
    o.onError(error, { source: "handler", clientId: "c" });
    expect(seen).toEqual([error, { source: "handler", clientId: "c" }]);
  });
});
