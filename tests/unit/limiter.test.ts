import { resolveOptions } from "../../src/options/options.ts";
import { rateLimitRule } from "../../src/rate-limit/decorator.ts";
import { Limiter } from "../../src/rate-limit/limiter.ts";
import { describe, expect, test } from "../support/test.ts";

const limiter = (rateLimit?: object) => new Limiter(resolveOptions(rateLimit ? { rateLimit } : {}).rateLimit);

describe("Limiter (Sockeon's order of checks)", () => {
  test("off by default; a per-handler rule applies regardless", async () => {
    const l = limiter();
    expect(l.applies(undefined)).toBe(false);
    const rule = rateLimitRule(1, 60, { burstAllowance: 1 });
    expect(l.applies(rule)).toBe(true);
    expect(await l.check("ws", "c1", "10.0.0.1", "e", rule)).toBeUndefined();
    expect(await l.check("ws", "c1", "10.0.0.1", "e", rule)).toBeUndefined();
    expect(await l.check("ws", "c1", "10.0.0.1", "e", rule)).toMatchObject({ scope: "rule", limit: 1, window: 60 });
    // keys are per side, per name and per client
    expect(await l.check("ws", "c2", "10.0.0.1", "e", rule)).toBeUndefined();
    expect(await l.check("ws", "c1", "10.0.0.1", "other", rule)).toBeUndefined();
    expect(await l.check("http", "c1", "10.0.0.1", "e", rule)).toBeUndefined();
  });

  test("global limit: max + burst; global whitelist exempts it; bypassGlobal skips it", async () => {
    const l = limiter({ enabled: true, maxWebSocketMessagesPerClient: 1, burstAllowance: 1, whitelist: ["192.168.0.0/16"] });
    expect(await l.check("ws", "c", "1.1.1.1", "e", undefined)).toBeUndefined();
    expect(await l.check("ws", "c", "1.1.1.1", "e", undefined)).toBeUndefined();
    expect(await l.check("ws", "c", "1.1.1.1", "e", undefined)).toMatchObject({ scope: "global", limit: 1 });
    for (let i = 0; i < 5; i++) expect(await l.check("ws", "w", "192.168.3.4", "e", undefined)).toBeUndefined();
    const bypass = rateLimitRule(10, 60, { bypassGlobal: true });
    expect(await l.check("ws", "c", "1.1.1.1", "e", bypass)).toBeUndefined();
  });

  test("a rule's whitelist skips the rule but not the global limit unless it bypasses it", async () => {
    const l = limiter({ enabled: true, maxHttpRequestsPerIp: 1, burstAllowance: 0 });
    const rule = rateLimitRule(1, 60, { burstAllowance: 0, whitelist: ["::1"] });
    expect(await l.check("http", "::1", "::1", "r", rule)).toBeUndefined();
    expect(await l.check("http", "::1", "::1", "r", rule)).toMatchObject({ scope: "global" });
    const both = rateLimitRule(1, 60, { burstAllowance: 0, whitelist: ["::1"], bypassGlobal: true });
    for (let i = 0; i < 3; i++) expect(await l.check("http", "::1", "::1", "r2", both)).toBeUndefined();
  });

  test("a custom store receives Sockeon's keys, windows and limits", async () => {
    const calls: unknown[][] = [];
    const store = {
      hit: async (key: string, windowMs: number, now: number, max?: number) => {
        calls.push([key, windowMs, typeof now, max]);
        return { allowed: true, count: 1, resetAt: now + windowMs };
      },
    };
    const l = limiter({ enabled: true, maxHttpRequestsPerIp: 7, httpTimeWindow: 30, burstAllowance: 2, store });
    await l.check("http", "203.0.113.1", "203.0.113.1", "GET /x", rateLimitRule(3, 10));
    expect(calls).toEqual([
      ["http:GET /x:203.0.113.1", 10000, "number", 8],
      ["http:203.0.113.1", 30000, "number", 9],
    ]);
  });
});
