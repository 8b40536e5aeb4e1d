/**
 * The handshake policy, identical on every runtime: auth key, allowed origins, handshake middleware, trusted
 * proxies. Statuses and bodies are read with raw HTTP upgrade requests (the WebSocket API hides them).
 */
import type { SockeonServer } from "../../../src/index.ts";
import { afterEach, describe, expect, test } from "../../support/test.ts";
import type { Fixture } from "../support/fixture.ts";
import { type RawResponse, type RawUpgradeOptions, rawUpgrade } from "../support/raw-socket.ts";
import { WhoAmI } from "./realtime-controller.ts";

export function handshakeScenarios(fx: Fixture): void {
  const { serve, setup } = fx;
  const open: RawResponse[] = [];
  afterEach(() => {
    for (const res of open.splice(0)) res.ws?.destroy();
  });
  const upgrade = async (options: RawUpgradeOptions = {}): Promise<RawResponse> => {
    const res = await rawUpgrade(fx.served.port, options);
    open.push(res);
    return res;
  };
  /** Asserts a rejection created no client and ran no `@OnConnect`. */
  const noClient = async (server: SockeonServer): Promise<void> => {
    expect(await server.getClientCount()).toBe(0);
  };

  describe(`${setup.name}: handshake policy`, () => {
    test("authKey: missing or wrong ?key= gets 401 Invalid authentication key; the right key connects", async () => {
      const server = (await serve({ authKey: "s3cret" })).register(WhoAmI);
      for (const path of ["/", "/?key=wrong", "/?key=s3cret2", "/?key="]) {
        const res = await upgrade({ path });
        expect({ path, status: res.status, body: res.body }).toEqual({ path, status: 401, body: "Invalid authentication key" });
      }
      await noClient(server);
      const ok = await upgrade({ path: "/?key=s3cret" });
      expect(ok.status).toBe(101);
      expect((await ok.ws?.next())?.event).toBe("welcome");
      expect(await server.getClientCount()).toBe(1);
    });

    test("allowed origins: an unlisted Origin gets 403 Origin not allowed; listed or absent Origin connects", async () => {
      const server = (await serve({ cors: { allowedOrigins: ["https://app.example"] } })).register(WhoAmI);
      const bad = await upgrade({ headers: { Origin: "https://evil.example" } });
      expect([bad.status, bad.body]).toEqual([403, "Origin not allowed"]);
      await noClient(server);
      expect((await upgrade({ headers: { Origin: "https://app.example" } })).status).toBe(101);
      expect((await upgrade()).status).toBe(101);
    });

    test("origin is checked before the auth key (Sockeon's order)", async () => {
      (await serve({ authKey: "k", cors: { allowedOrigins: ["https://app.example"] } })).register(WhoAmI);
      const res = await upgrade({ path: "/?key=wrong", headers: { Origin: "https://evil.example" } });
      expect([res.status, res.body]).toEqual([403, "Origin not allowed"]);
    });

    test("handshake middleware: false -> 403 Access denied, custom status/headers/body, attached data", async () => {
      const server = (await serve()).register(WhoAmI);
      const seen: string[] = [];
      server.addHandshakeMiddleware(
        (ctx) => {
          seen.push(ctx.url.pathname);
          const token = ctx.url.searchParams.get("token");
          if (token === "deny") return false;
          if (token === "slow") return { status: 429, headers: { "Retry-After": "7" }, body: { error: "slow down" } };
          if (token === "teapot") return new Response("short and stout", { status: 418 });
          if (token) ctx.data.userId = `user-${token}`;
          return true;
        },
        async (ctx, next) => {
          const rest = await next();
          ctx.data.checked = true;
          return rest;
        },
      );
      const denied = await upgrade({ path: "/?token=deny" });
      expect([denied.status, denied.body]).toEqual([403, "Access denied"]);
      const slow = await upgrade({ path: "/?token=slow" });
      expect(slow.status).toBe(429);
      expect(slow.headers["retry-after"]).toBe("7");
      expect(JSON.parse(slow.body)).toEqual({ error: "slow down" });
      const teapot = await upgrade({ path: "/?token=teapot" });
      expect([teapot.status, teapot.body]).toEqual([418, "short and stout"]);
      await noClient(server);
      expect(seen).toEqual(["/", "/", "/"]);

      const client = await fx.connect("?token=42");
      const welcome = await client.nextEvent("welcome");
      expect(welcome.data.data).toEqual({ userId: "user-42", checked: true });
      expect(await server.getClientData(welcome.data.clientId, "userId")).toBe("user-42");
    });

    test("a throwing handshake middleware gets 500 and reaches onError; the server keeps serving", async () => {
      const errors: Array<{ source: string }> = [];
      const server = (await serve({ onError: (_e, context) => errors.push(context) })).register(WhoAmI);
      server.addHandshakeMiddleware((ctx) => {
        if (ctx.url.searchParams.has("crash")) throw new Error("middleware failed on purpose");
      });
      const res = await upgrade({ path: "/?crash=1" });
      expect(res.status).toBe(500);
      expect(errors.map((e) => e.source)).toEqual(["handshake"]);
      await noClient(server);
      expect((await upgrade()).status).toBe(101);
    });

    test("trustProxy: X-Forwarded-For counts only from a trusted peer", async () => {
      const headers = { "X-Forwarded-For": "198.51.100.9, 203.0.113.7" };
      (await serve()).register(WhoAmI);
      const spoofed = await upgrade({ headers });
      expect((await spoofed.ws?.next())?.data.ip).toBe("127.0.0.1");
      await fx.served.stop();

      (await serve({ trustProxy: ["127.0.0.1/32", "::1"] })).register(WhoAmI);
      const proxied = await upgrade({ headers });
      expect((await proxied.ws?.next())?.data.ip).toBe("203.0.113.7");
      const direct = await upgrade();
      expect((await direct.ws?.next())?.data.ip).toBe("127.0.0.1");
    });
  });
}
