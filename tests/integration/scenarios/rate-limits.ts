/** Sockeon's rate limits: per-event and global message limits, HTTP per IP, whitelists and the proxy rule. */

import { describe, expect, test } from "../../support/test.ts";
import type { Fixture } from "../support/fixture.ts";
import { HttpProbe, ValidatedSockets } from "./http-controller.ts";

export function rateLimitScenarios(fx: Fixture): void {
  const { serve, connect, setup } = fx;
  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${fx.served.http}${path}`, { headers });

  describe(`${setup.name}: rate limits`, () => {
    test("@RateLimit on an event: over the limit the client gets rate_limit_exceeded, stays connected", async () => {
      (await serve()).register(new ValidatedSockets());
      const a = await connect();
      a.emit("limited");
      a.emit("limited");
      a.emit("limited", {}, 9);
      expect((await a.next()).event).toBe("limited.ok");
      expect((await a.next()).event).toBe("limited.ok");
      expect(await a.next()).toEqual({
        event: "rate_limit_exceeded",
        data: {
          error: "Rate limit exceeded",
          message: "You have exceeded the rate limit for event 'limited'. Please try again later.",
          original_event: "limited",
          retry_after: 60,
          limit: 2,
          window: 60,
          type: "event-specific",
          id: 9,
        },
      });
      // limits are per client: another client still passes, and this one can use other events
      const b = await connect();
      b.emit("limited");
      expect((await b.next()).event).toBe("limited.ok");
      a.emit("free");
      expect((await a.next()).event).toBe("free.ok");
      expect(await a.nothingPending()).toBeUndefined();
    });

    test("global message limit per client (max + burst), and a whitelisted rule", async () => {
      (await serve({ rateLimit: { enabled: true, maxWebSocketMessagesPerClient: 2, burstAllowance: 1 } })).register(
        new ValidatedSockets(),
      );
      const a = await connect();
      for (let i = 0; i < 4; i++) a.emit("free");
      for (let i = 0; i < 3; i++) expect((await a.next()).event).toBe("free.ok");
      const limited = await a.next();
      expect(limited.event).toBe("rate_limit_exceeded");
      expect(limited.data).toMatchObject({
        message: "You have exceeded the global WebSocket message rate limit. Please try again later.",
        type: "global",
        limit: 2,
        window: 60,
        original_event: "free",
      });
    });

    test("an event rule's whitelist exempts the client's IP", async () => {
      (await serve()).register(new ValidatedSockets());
      const a = await connect();
      for (let i = 0; i < 3; i++) a.emit("limited.whitelisted");
      for (let i = 0; i < 3; i++) expect((await a.next()).event).toBe("whitelisted.ok");
    });

    test("HTTP route limit: 429 with Retry-After and X-RateLimit-* headers; param routes too", async () => {
      (await serve()).register(new HttpProbe());
      expect((await get("/limited")).status).toBe(200);
      expect((await get("/limited")).status).toBe(200);
      const res = await get("/limited");
      expect(res.status).toBe(429);
      expect(res.headers.get("x-ratelimit-limit")).toBe("2");
      expect(res.headers.get("x-ratelimit-remaining")).toBe("0");
      expect(res.headers.get("x-ratelimit-type")).toBe("route-specific");
      expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(Number(res.headers.get("x-ratelimit-reset"))).toBeGreaterThan(Date.now() / 1000);
      expect(await res.json()).toMatchObject({
        error: "Rate limit exceeded",
        limit: 2,
        window: 60,
        retry_after: 60,
        type: "route-specific",
      });
      expect((await get("/limited/1")).status).toBe(200);
      expect((await get("/limited/2")).status).toBe(429);
      expect((await get("/users/1")).status).toBe(200);
    });

    test("global HTTP limit per IP; forwarded headers are ignored unless the peer is a trusted proxy", async () => {
      (await serve({ rateLimit: { enabled: true, maxHttpRequestsPerIp: 2, burstAllowance: 0 } })).register(new HttpProbe());
      expect((await get("/users/1", { "x-forwarded-for": "203.0.113.1" })).status).toBe(200);
      expect((await get("/users/1", { "x-forwarded-for": "203.0.113.2" })).status).toBe(200);
      const spoofed = await get("/users/1", { "x-forwarded-for": "203.0.113.3" });
      expect(spoofed.status).toBe(429);
      expect(spoofed.headers.get("x-ratelimit-type")).toBeNull();
      expect(await spoofed.json()).toMatchObject({ limit: 2, window: 60 });
    });

    test("with trustProxy the forwarded client address is the key; the whitelist takes CIDR ranges", async () => {
      (
        await serve({
          trustProxy: ["127.0.0.1", "::1"],
          rateLimit: {
            enabled: true,
            maxHttpRequestsPerIp: 1,
            burstAllowance: 0,
            whitelist: ["198.51.100.0/24", "2001:db8::/32"],
          },
        })
      ).register(new HttpProbe());
      expect((await get("/users/1", { "x-forwarded-for": "203.0.113.1" })).status).toBe(200);
      expect((await get("/users/1", { "x-forwarded-for": "203.0.113.1" })).status).toBe(429);
      expect((await get("/users/1", { "x-forwarded-for": "203.0.113.2" })).status).toBe(200);
      for (let i = 0; i < 3; i++) expect((await get("/users/1", { "x-forwarded-for": "198.51.100.7" })).status).toBe(200);
      for (let i = 0; i < 3; i++) expect((await get("/users/1", { "x-forwarded-for": "2001:db8::5" })).status).toBe(200);
    });
  });
}
