import type { SockeonServer } from "../../src/api/server.ts";
import { composeChain, type MessageContext, runChain, type WebSocketMiddleware } from "../../src/engine/middleware.ts";
import { describe, expect, test } from "../support/test.ts";

const context = (data: unknown = { n: 1 }): MessageContext => ({
  clientId: "c1",
  event: "e",
  data,
  server: {} as SockeonServer,
});

describe("composeChain", () => {
  test("globals in insertion order, then the handler's own; exclusions by reference or by name", () => {
    const auth: WebSocketMiddleware = function auth(_c, next) {
      return next();
    };
    const log: WebSocketMiddleware = function log(_c, next) {
      return next();
    };
    const own: WebSocketMiddleware = (_c, next) => next();
    expect(composeChain([auth, log], {})).toEqual([auth, log]);
    expect(composeChain([auth, log], { middlewares: [own] })).toEqual([auth, log, own]);
    expect(composeChain([auth, log], { excludeGlobalMiddlewares: [auth] })).toEqual([log]);
    expect(composeChain([auth, log], { excludeGlobalMiddlewares: ["log"], middlewares: [own] })).toEqual([auth, own]);
    expect(composeChain([auth, log], { excludeGlobalMiddlewares: ["unknown"] })).toEqual([auth, log]);
    const globals = [auth];
    composeChain(globals, { middlewares: [own] }).push(log);
    expect(globals).toEqual([auth]);
  });
});

describe("runChain", () => {
  test("runs middlewares in order around the handler and returns the handler's result", async () => {
    const trace: string[] = [];
    const mw =
      (name: string): WebSocketMiddleware =>
      async (_ctx, next) => {
        trace.push(`${name}:before`);
        const result = await next();
        trace.push(`${name}:after`);
        return result;
      };
    const result = await runChain([mw("a"), mw("b")], context(), (data) => {
      trace.push("handler");
      return { got: data };
    });
    expect(result).toEqual({ got: { n: 1 } });
    expect(trace).toEqual(["a:before", "b:before", "handler", "b:after", "a:after"]);
  });

  test("next(data) replaces the payload for later middlewares and the handler", async () => {
    const ctx = context({ n: 1 });
    const seen: unknown[] = [];
    const result = await runChain(
      [
        (c, next) => next({ n: (c.data as { n: number }).n + 1 }),
        (c, next) => {
          seen.push(c.data);
          return next();
        },
      ],
      ctx,
      (data) => data,
    );
    expect(seen).toEqual([{ n: 2 }]);
    expect(result).toEqual({ n: 2 });
    expect(ctx.data).toEqual({ n: 2 });
  });

  test("a middleware that does not call next() stops the chain: the handler is skipped", async () => {
    let ran = false;
    const result = await runChain([() => undefined], context(), () => {
      ran = true;
      return 1;
    });
    expect(ran).toBe(false);
    expect(result).toBeUndefined();
  });

  test("calling next() twice rejects, naming the middleware; the handler runs once", async () => {
    let runs = 0;
    async function twice(_c: MessageContext, next: (d?: unknown) => Promise<unknown>) {
      await next();
      return next();
    }
    await expect(runChain([twice], context(), () => runs++)).rejects.toThrow("middleware twice called next() twice");
    expect(runs).toBe(1);
  });

  test("errors from a middleware or the handler reject the chain", async () => {
    await expect(
      runChain(
        [
          () => {
            throw new Error("mw failed");
          },
        ],
        context(),
        () => 1,
      ),
    ).rejects.toThrow("mw failed");
    await expect(
      runChain([(_c, next) => next()], context(), async () => {
        throw new Error("handler failed");
      }),
    ).rejects.toThrow("handler failed");
  });

  test("an empty chain just runs the handler", async () => {
    expect(await runChain([], context([1, 2]), (data) => data)).toEqual([1, 2]);
  });
});
