import { composeChain, runChain } from "../../src/engine/middleware.ts";
import { type MessageContext, SocketOn, type WebSocketMiddleware } from "../../src/index.ts";
import { describe, expect, test } from "../support/test.ts";

const named = (name: string, log: string[]): WebSocketMiddleware => {
  const mw: WebSocketMiddleware = (_ctx, next) => {
    log.push(name);
    return next();
  };
  Object.defineProperty(mw, "name", { value: name });
  return mw;
};

const ctx = (data: unknown = {}): MessageContext =>
  ({ clientId: "c", event: "e", data, server: undefined as never }) as MessageContext;

describe("realtime: WebSocket middleware chains", () => {
  test("globals in order minus exclusions (by reference or name), then the handler's own", async () => {
    const log: string[] = [];
    const [g1, g2, g3, r1] = ["g1", "g2", "g3", "r1"].map((n) => named(n, log)) as WebSocketMiddleware[];
    const chain = composeChain([g1, g2, g3] as WebSocketMiddleware[], {
      middlewares: [r1 as WebSocketMiddleware],
      excludeGlobalMiddlewares: [g1 as WebSocketMiddleware, "g3"],
    });
    expect(chain.map((m) => m.name)).toEqual(["g2", "r1"]);
    expect(composeChain([g1, g2] as WebSocketMiddleware[], {}).map((m) => m.name)).toEqual(["g1", "g2"]);
    const result = await runChain(chain, ctx(), () => {
      log.push("handler");
      return 42;
    });
    expect(result).toBe(42);
    expect(log).toEqual(["g2", "r1", "handler"]);
  });

  test("a middleware that does not call next stops the chain; the result is undefined", async () => {
    let ran = false;
    const stop: WebSocketMiddleware = () => "ignored";
    const result = await runChain([stop], ctx(), () => {
      ran = true;
    });
    expect(ran).toBe(false);
    expect(result).toBeUndefined();
  });

  test("next(data) replaces the data the handler gets; async middlewares run in order", async () => {
    const order: string[] = [];
    const slow: WebSocketMiddleware = async (_c, next) => {
      await new Promise((r) => setTimeout(r, 1));
      order.push("slow");
      return next({ replaced: true });
    };
    const after: WebSocketMiddleware = (c, next) => {
      order.push(`after:${JSON.stringify(c.data)}`);
      return next();
    };
    let got: unknown;
    await runChain([slow, after], ctx({ original: true }), (data) => {
      got = data;
    });
    expect(order).toEqual(["slow", 'after:{"replaced":true}']);
    expect(got).toEqual({ replaced: true });
  });

  test("calling next() twice is an error naming the middleware", async () => {
    const twice: WebSocketMiddleware = async function twice(_c, next) {
      await next();
      return next();
    };
    await expect(runChain([twice], ctx(), () => undefined)).rejects.toThrow("middleware twice called next() twice");
  });

  test("bad per-handler middleware options fail when the handler is declared, naming the value", () => {
    expect(() => SocketOn("x", { middlewares: ["auth"] as never })).toThrow(
      '@SocketOn("x"): middlewares must be an array of functions, got ["auth"]',
    );
    expect(() => SocketOn("x", { excludeGlobalMiddlewares: "auth" as never })).toThrow(
      '@SocketOn("x"): excludeGlobalMiddlewares must be an array of middlewares or names, got "auth"',
    );
  });
});
