import { ConfigError } from "../../src/common/errors.ts";
import { resolveOptions } from "../../src/options/options.ts";
import { describe, expect, test } from "../support/test.ts";

describe("HTTP-side options", () => {
  test("defaults are Sockeon's (cors and trustProxy: see realtime-options.test.ts)", () => {
    const o = resolveOptions({});
    expect(o.rateLimit).toBeNull();
    expect(o.healthCheckPath).toBeNull();
    expect(resolveOptions({ rateLimit: {} }).rateLimit).toMatchObject({
      enabled: false,
      maxHttpRequestsPerIp: 1000,
      httpTimeWindow: 60,
      maxWebSocketMessagesPerClient: 2000,
      webSocketTimeWindow: 60,
      burstAllowance: 100,
      whitelist: [],
    });
  });

  test("bad values throw ConfigError naming the field and value", () => {
    const bad: Array<[object, string]> = [
      [{ cors: { allowedOrigins: "*" } }, 'cors.allowedOrigins: "*"'],
      [{ cors: { origin: "*" } }, "cors.origin"],
      [{ cors: { maxAge: -1 } }, "cors.maxAge: -1"],
      [{ trustProxy: ["10.0.0.0/33"] }, "trustProxy"],
      [{ trustProxy: "yes" }, 'trustProxy: "yes"'],
      [{ healthCheckPath: "health" }, 'healthCheckPath: "health"'],
      [{ rateLimit: { maxHttpRequestsPerIp: 0 } }, "rateLimit.maxHttpRequestsPerIp: 0"],
      [{ rateLimit: { whitelist: ["not-an-ip"] } }, "not-an-ip"],
      [{ rateLimit: { store: {} } }, "rateLimit.store"],
      [{ rateLimit: { enable: true } }, "rateLimit.enable"],
    ];
    for (const [options, text] of bad) {
      expect(() => resolveOptions(options as never)).toThrow(ConfigError);
      expect(() => resolveOptions(options as never)).toThrow(text);
    }
  });
});
