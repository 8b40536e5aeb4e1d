import { runHandshake } from "../../src/handshake/handshake.ts";
import { authKeyStep, constantTimeEqual, middlewareStep, originStep } from "../../src/handshake/handshake-policy.ts";
import type { HandshakeContext, HandshakeMiddleware } from "../../src/index.ts";
import { describe, expect, test } from "../support/test.ts";
import { fakeClient, fakeServer } from "./fake-server.ts";

function context(url = "http://h/", headers: Record<string, string> = {}): HandshakeContext {
  return {
    request: new Request(url, { headers }),
    url: new URL(url),
    clientId: "c1",
    ip: "127.0.0.1",
    peer: {},
    data: Object.create(null),
  };
}

describe("handshake policy", () => {
  test("constantTimeEqual compares whole strings, including different lengths and non-ASCII", () => {
    expect(constantTimeEqual("secret", "secret")).toBe(true);
    expect(constantTimeEqual("secret", "secreT")).toBe(false);
    expect(constantTimeEqual("secret", "secret2")).toBe(false);
    expect(constantTimeEqual("", "x")).toBe(false);
    expect(constantTimeEqual("", "")).toBe(true);
    expect(constantTimeEqual("clé", "clé")).toBe(true);
  });

  test("origin and auth key steps answer Sockeon's statuses and texts", async () => {
    const origin = originStep(["https://ok.example"]);
    expect(await origin(context("http://h/", { origin: "https://ok.example" }))).toBeUndefined();
    expect(await origin(context())).toBeUndefined();
    const bad = (await origin(context("http://h/", { origin: "https://no.example" }))) as Response;
    expect([bad.status, await bad.text()]).toEqual([403, "Origin not allowed"]);
    expect(await originStep(["*"])(context("http://h/", { origin: "https://any" }))).toBeUndefined();
    const auth = authKeyStep("k");
    expect(await auth(context("http://h/?key=k"))).toBeUndefined();
    const denied = (await auth(context("http://h/?key=K"))) as Response;
    expect([denied.status, await denied.text()]).toEqual([401, "Invalid authentication key"]);
  });

  test("middleware verdicts: true/undefined continue, false is 403, objects and Responses reject", async () => {
    const run = async (...mws: HandshakeMiddleware[]) => runHandshake([middlewareStep(mws)], context());
    expect(
      await run(
        () => true,
        () => undefined,
      ),
    ).toBeUndefined();
    const denied = (await run(() => false)) as Response;
    expect([denied.status, await denied.text()]).toEqual([403, "Access denied"]);
    const custom = (await run(() => ({
      status: 401,
      statusText: "Nope",
      headers: { "x-why": "token" },
      body: { e: 1 },
    }))) as Response;
    expect([custom.status, custom.statusText, custom.headers.get("x-why"), await custom.json()]).toEqual([
      401,
      "Nope",
      "token",
      { e: 1 },
    ]);
    expect(((await run(() => ({ body: "no" }))) as Response).status).toBe(403);
    await expect(run(() => ({ status: 200 }))).rejects.toThrow("rejection status must be 400-599, got 200");
    await expect(run(() => "yes" as never)).rejects.toThrow('returned "yes"');
  });

  test("next() runs the rest once; a later rejection passes through an earlier middleware", async () => {
    const calls: string[] = [];
    const verdict = (await runHandshake(
      [
        middlewareStep([
          async (_ctx, next) => {
            calls.push("outer:before");
            const rest = await next();
            calls.push(`outer:after:${rest?.status}`);
            return rest;
          },
          () => {
            calls.push("inner");
            return false;
          },
        ]),
      ],
      context(),
    )) as Response;
    expect(verdict.status).toBe(403);
    expect(calls).toEqual(["outer:before", "inner", "outer:after:403"]);
  });

  test("the server: data attached by middleware becomes client data; rejected handshakes create no client", async () => {
    const server = fakeServer({ authKey: "k" });
    server.addHandshakeMiddleware((ctx) => {
      ctx.data.user = ctx.url.searchParams.get("user");
    });
    await expect(fakeClient(server, "http://h/?user=ada")).rejects.toThrow("handshake rejected: 401 Invalid authentication key");
    expect(await server.getClientCount()).toBe(0);
    const a = await fakeClient(server, "http://h/?key=k&user=ada");
    expect(await server.data(a.id, "user")).toBe("ada");
    expect(() => server.addHandshakeMiddleware("nope" as never)).toThrow('a middleware must be a function, got "nope"');
  });
});
