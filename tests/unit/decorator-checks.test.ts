import * as v from "valibot";
import { SocketOn } from "../../src/api/decorators.ts";
import { HttpRoute } from "../../src/http/route-decorator.ts";
import { RateLimit } from "../../src/index.ts";
import { describe, expect, test } from "../support/test.ts";

describe("decorator arguments are checked when the class is defined", () => {
  test("@HttpRoute", () => {
    expect(() => HttpRoute("get it", "/x")).toThrow('invalid HTTP method "get it"');
    expect(() => HttpRoute("GET", "users")).toThrow('invalid path "users"');
    expect(() => HttpRoute("GET", "/x?y=1")).toThrow("invalid path");
    expect(() => HttpRoute("POST", "/x", { body: { name: "string" } as never })).toThrow("expected a valibot schema");
    expect(() => HttpRoute("GET", "/x", { middlewares: ["auth" as never] })).toThrow(
      'a middleware must be a function, got "auth"',
    );
    expect(typeof HttpRoute("get", "/users/{id}", { params: v.object({ id: v.string() }) })).toBe("function");
  });

  test("@SocketOn schema and @RateLimit", () => {
    expect(() => SocketOn("x", { schema: { type: "object" } as never })).toThrow(
      '@SocketOn("x") schema: expected a valibot schema',
    );
    expect(() => RateLimit(0)).toThrow("maxCount must be an integer >= 1, got 0");
    expect(() => RateLimit(5, 1.5)).toThrow("timeWindow must be an integer >= 1, got 1.5");
    expect(() => RateLimit(5, 60, { burstAllowance: -1 })).toThrow("burstAllowance");
    expect(() => RateLimit(5, 60, { whitelist: ["300.1.1.1"] })).toThrow('Invalid @RateLimit whitelist entry: "300.1.1.1"');
  });
});
