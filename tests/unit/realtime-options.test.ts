import { ConfigError, createServer } from "../../src/index.ts";
import { resolveRealtimeOptions } from "../../src/options/realtime-options.ts";
import { describe, expect, test } from "../support/test.ts";

describe("real-time server options", () => {
  test("defaults mirror Sockeon's ServerConfig and CorsConfig", () => {
    const o = resolveRealtimeOptions({});
    expect(o.authKey).toBeNull();
    expect(o.idleTimeout).toBe(120);
    expect(o.trustProxy).toBe(false);
    expect(o.isTrustedProxy("127.0.0.1")).toBe(false);
    expect(o.cors).toEqual({
      allowedOrigins: ["*"],
      allowedMethods: ["GET", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "HEAD"],
      allowedHeaders: ["Content-Type", "X-Requested-With", "Authorization"],
      allowCredentials: false,
      maxAge: 86400,
    });
    const server = createServer();
    expect([server.options.host, server.options.port, server.options.maxMessageSize]).toEqual(["127.0.0.1", 6001, 65536]);
    expect(server.options.registerSystemControllers).toBe(true);
  });

  test("trustProxy accepts true and IP/CIDR lists", () => {
    expect(resolveRealtimeOptions({ trustProxy: true }).isTrustedProxy("8.8.8.8")).toBe(true);
    const list = resolveRealtimeOptions({ trustProxy: ["10.0.0.0/8", "::1"] });
    expect([list.isTrustedProxy("10.2.3.4"), list.isTrustedProxy("::1"), list.isTrustedProxy("11.0.0.1")]).toEqual([
      true,
      true,
      false,
    ]);
  });

  const bad: Array<[string, Record<string, unknown>, string]> = [
    ["authKey", { authKey: 5 }, "Invalid server option authKey: 5"],
    ["authKey empty", { authKey: "" }, 'Invalid server option authKey: ""'],
    ["idleTimeout", { idleTimeout: -1 }, "Invalid server option idleTimeout: -1"],
    ["idleTimeout too long", { idleTimeout: 1000 }, "Invalid server option idleTimeout: 1000"],
    ["cors", { cors: ["*"] }, "Invalid server option cors"],
    ["cors key", { cors: { origins: ["*"] } }, "Invalid server option cors.origins"],
    ["origins", { cors: { allowedOrigins: "*" } }, 'Invalid server option cors.allowedOrigins: "*"'],
    ["credentials", { cors: { allowCredentials: "yes" } }, "Invalid server option cors.allowCredentials"],
    ["maxAge", { cors: { maxAge: 1.5 } }, "Invalid server option cors.maxAge: 1.5"],
    ["trustProxy", { trustProxy: "10.0.0.1" }, 'Invalid server option trustProxy: "10.0.0.1"'],
    ["trustProxy entry", { trustProxy: ["10.0.0.0/33"] }, 'Invalid trustProxy entry: "10.0.0.0/33"'],
    ["port", { port: 70000 }, "Invalid server option port: 70000"],
    ["maxMessageSize", { maxMessageSize: 0 }, "Invalid server option maxMessageSize: 0"],
    ["registerSystemControllers", { registerSystemControllers: 1 }, "Invalid server option registerSystemControllers: 1"],
    ["unknown", { authkey: "x" }, "Invalid server option authkey"],
  ];
  for (const [name, options, message] of bad) {
    test(`a wrong ${name} is a ConfigError naming it`, () => {
      expect(() => createServer(options as never)).toThrow(message);
      expect(() => createServer(options as never)).toThrow(ConfigError);
    });
  }
});
