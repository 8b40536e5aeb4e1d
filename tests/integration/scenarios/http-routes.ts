/** HTTP routes on the WebSocket port: params, precedence, methods, return values, errors, middleware, health. */

import { describe, expect, test } from "../../support/test.ts";
import type { Fixture } from "../support/fixture.ts";
import { HttpOverride, HttpProbe, tagGlobal } from "./http-controller.ts";

export function httpRouteScenarios(fx: Fixture): void {
  const { serve, setup } = fx;
  const get = (path: string, init?: RequestInit) => fetch(`${fx.served.http}${path}`, init);

  describe(`${setup.name}: HTTP routes`, () => {
    test("Sockeon {param} and Hono :param routes; exact routes win over param routes", async () => {
      (await serve()).register(new HttpProbe());
      const user = await get("/users/42");
      expect(user.status).toBe(200);
      expect(user.headers.get("content-type")).toContain("application/json");
      expect(await user.json()).toEqual({ id: "42" });
      expect(await (await get("/users/me")).json()).toEqual({ me: true });
      const hello = await get("/hello/ada");
      expect(hello.headers.get("content-type")).toContain("text/plain");
      expect(await hello.text()).toBe("hello ada");
    });

    test("a later registration of the same method and path replaces the earlier one", async () => {
      (await serve()).register(new HttpProbe(), new HttpOverride());
      expect(await (await get("/users/me")).json()).toEqual({ me: "replaced" });
      expect(await (await get("/users/5")).json()).toEqual({ id: "5" });
    });

    test("methods must match; unknown paths and methods get 404 {error: Not Found}", async () => {
      (await serve()).register(new HttpProbe());
      const post = await get("/echo?q=x", { method: "POST", body: '{"a":1}', headers: { "content-type": "application/json" } });
      expect(await post.json()).toEqual({ method: "POST", body: { a: 1 }, q: "x" });
      const wrongMethod = await get("/echo");
      expect(wrongMethod.status).toBe(404);
      expect(await wrongMethod.json()).toEqual({ error: "Not Found" });
      const missing = await get("/no/such/path");
      expect(missing.status).toBe(404);
      expect(await missing.json()).toEqual({ error: "Not Found" });
    });

    test("null gives 404, a Response is sent as is, a thrown error gives 500 without its message", async () => {
      const server = await serve();
      server.register(new HttpProbe());
      const nothing = await get("/nothing");
      expect(nothing.status).toBe(404);
      expect(await nothing.json()).toEqual({ error: "Not Found" });
      const raw = await get("/raw");
      expect(raw.status).toBe(202);
      expect(raw.headers.get("x-raw")).toBe("1");
      expect(await raw.text()).toBe("raw body");
      const boom = await get("/boom");
      expect(boom.status).toBe(500);
      const text = await boom.text();
      expect(text).toBe("An error occurred while processing your request.");
      expect(text).not.toContain("secret");
    });

    test("global HTTP middleware, per-route middleware and excludeGlobalMiddlewares", async () => {
      const server = await serve();
      server.useHttp(tagGlobal).register(new HttpProbe());
      expect((await get("/users/1")).headers.get("x-global")).toBe("yes");
      const bare = await get("/bare");
      expect(await bare.text()).toBe("bare");
      expect(bare.headers.get("x-global")).toBeNull();
      const denied = await get("/private");
      expect(denied.status).toBe(401);
      expect(await denied.json()).toEqual({ error: "Unauthorized" });
      const allowed = await get("/private", { headers: { authorization: "Bearer ok" } });
      expect(await allowed.json()).toEqual({ secret: 42 });
      expect(allowed.headers.get("x-global")).toBe("yes");
    });

    test("healthCheckPath answers GET and HEAD with Sockeon's document, other methods 405", async () => {
      const server = await serve({ healthCheckPath: "/healthz" });
      server.register(new HttpProbe());
      const a = await fx.connect();
      void a;
      const res = await get("/healthz");
      expect(res.status).toBe(200);
      const body = await res.json();
      expect(body).toMatchObject({ status: "healthy", server: { clients: 1 } });
      expect(Number.isInteger(body.timestamp)).toBe(true);
      expect(body.server.uptime_human).toMatch(/^(\d+[dhm] )*\d+s$/);
      const head = await get("/healthz", { method: "HEAD" });
      expect(head.status).toBe(200);
      expect((await get("/healthz", { method: "POST" })).status).toBe(405);
    });
  });

  describe(`${setup.name}: CORS`, () => {
    test("preflight answers 204 with Sockeon's defaults; responses echo an allowed origin", async () => {
      (await serve()).register(new HttpProbe());
      const pre = await get("/users/1", {
        method: "OPTIONS",
        headers: { origin: "https://app.example", "access-control-request-method": "GET" },
      });
      expect(pre.status).toBe(204);
      expect(pre.headers.get("access-control-allow-origin")).toBe("https://app.example");
      expect(pre.headers.get("access-control-allow-methods")).toBe("GET,POST,PUT,DELETE,OPTIONS,PATCH,HEAD");
      expect(pre.headers.get("access-control-allow-headers")).toBe("Content-Type,X-Requested-With,Authorization");
      expect(pre.headers.get("access-control-max-age")).toBe("86400");
      const res = await get("/users/1", { headers: { origin: "https://app.example" } });
      expect(res.headers.get("access-control-allow-origin")).toBe("https://app.example");
      expect(res.headers.get("access-control-allow-credentials")).toBeNull();
    });

    test("an origin list: others get no CORS headers (not blocked); credentials and maxAge apply", async () => {
      (
        await serve({
          cors: { allowedOrigins: ["https://good.example"], allowCredentials: true, maxAge: 60, allowedMethods: ["GET"] },
        })
      ).register(new HttpProbe());
      const good = await get("/users/1", {
        method: "OPTIONS",
        headers: { origin: "https://good.example", "access-control-request-method": "GET" },
      });
      expect(good.headers.get("access-control-allow-origin")).toBe("https://good.example");
      expect(good.headers.get("access-control-allow-credentials")).toBe("true");
      expect(good.headers.get("access-control-allow-methods")).toBe("GET");
      expect(good.headers.get("access-control-max-age")).toBe("60");
      const bad = await get("/users/1", { headers: { origin: "https://evil.example" } });
      expect(bad.status).toBe(200);
      expect(bad.headers.get("access-control-allow-origin")).toBeNull();
      const badPre = await get("/users/1", {
        method: "OPTIONS",
        headers: { origin: "https://evil.example", "access-control-request-method": "GET" },
      });
      expect(badPre.headers.get("access-control-allow-origin")).toBeNull();
      expect(badPre.headers.get("access-control-allow-methods")).toBeNull();
    });
  });
}
