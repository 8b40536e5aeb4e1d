/** WebSocket middleware: global then per-handler (Sockeon's order), exclusion, stop, data replacement, lifecycle. */
import {
  OnConnect,
  OnDisconnect,
  type SockeonServer,
  SocketController,
  SocketOn,
  type WebSocketMiddleware,
} from "../../../src/index.ts";
import { describe, expect, test } from "../../support/test.ts";
import type { Fixture } from "../support/fixture.ts";

const log: string[] = [];

function mark(name: string): WebSocketMiddleware {
  const mw: WebSocketMiddleware = async (ctx, next) => {
    log.push(`${name}:${ctx.event}`);
    await Promise.resolve();
    return next();
  };
  Object.defineProperty(mw, "name", { value: name });
  return mw;
}

const globalA = mark("globalA");
const globalB = mark("globalB");
const routeOnly = mark("route");

const requireAuth: WebSocketMiddleware = async (ctx, next) => {
  if (await ctx.server.hasData(ctx.clientId, "user")) return next();
  ctx.server.emit(ctx.clientId, "denied", { event: ctx.event });
};

const upperCase: WebSocketMiddleware = (ctx, next) => next({ text: String((ctx.data as { text: string }).text).toUpperCase() });

const failing: WebSocketMiddleware = () => {
  throw new Error("middleware failed on purpose");
};

class MiddlewareController extends SocketController {
  @SocketOn("plain")
  plain(clientId: string): string {
    log.push("handler:plain");
    this.emit(clientId, "plain.done", {});
    return "ok";
  }

  @SocketOn("routed", { middlewares: [routeOnly], excludeGlobalMiddlewares: [globalA] })
  routed(clientId: string): void {
    log.push("handler:routed");
    this.emit(clientId, "routed.done", {});
  }

  @SocketOn("by.name", { excludeGlobalMiddlewares: ["globalB"] })
  byName(clientId: string): void {
    log.push("handler:by.name");
    this.emit(clientId, "by.name.done", {});
  }

  @SocketOn("secret", { middlewares: [requireAuth] })
  secret(clientId: string): void {
    this.emit(clientId, "secret", { ok: true });
  }

  @SocketOn("shout", { middlewares: [upperCase] })
  shout(clientId: string, data: { text: string }): void {
    this.emit(clientId, "shouted", data);
  }

  @SocketOn("fails", { middlewares: [failing] })
  fails(): void {
    log.push("handler:fails");
  }
}

class Lifecycle extends SocketController {
  @OnConnect
  hello(clientId: string): void {
    log.push("handler:connect");
    this.emit(clientId, "hello", {});
  }

  @OnDisconnect
  bye(clientId: string): void {
    log.push("handler:disconnect");
    this.broadcast("bye", { clientId });
  }
}

export function middlewareScenarios(fx: Fixture): void {
  const { serve, connect, setup } = fx;
  const start = async (): Promise<SockeonServer> => {
    log.length = 0;
    return (await serve()).register(MiddlewareController);
  };

  describe(`${setup.name}: WebSocket middleware`, () => {
    test("globals in insertion order, then the handler's own; exclusion by reference and by name", async () => {
      (await start()).use(globalA, globalB);
      const a = await connect();
      a.emit("plain", {}, 1);
      await a.nextEvent("plain.done");
      expect(await a.next()).toEqual({ event: "ack", data: { id: 1, result: "ok" } });
      expect(log.splice(0)).toEqual(["globalA:plain", "globalB:plain", "handler:plain"]);
      a.emit("routed");
      await a.nextEvent("routed.done");
      expect(log.splice(0)).toEqual(["globalB:routed", "route:routed", "handler:routed"]);
      a.emit("by.name");
      await a.nextEvent("by.name.done");
      expect(log.splice(0)).toEqual(["globalA:by.name", "handler:by.name"]);
    });

    test("a middleware can stop the chain (no error, ack result null) and the handler runs once allowed", async () => {
      const server = await start();
      const a = await connect();
      a.emit("secret", {}, 5);
      expect(await a.next()).toEqual({ event: "denied", data: { event: "secret" } });
      expect(await a.next()).toEqual({ event: "ack", data: { id: 5, result: null } });
      const [id] = await server.getClientIds();
      server.putData(id as string, "user", "ada");
      a.emit("secret");
      expect(await a.next()).toEqual({ event: "secret", data: { ok: true } });
    });

    test("a middleware can replace data for the handler; a throwing one gives Sockeon's internal error", async () => {
      await start();
      const a = await connect();
      a.emit("shout", { text: "hey" });
      expect(await a.next()).toEqual({ event: "shouted", data: { text: "HEY" } });
      a.emit("fails");
      expect((await a.next()).data.message).toBe("Internal server error processing message");
      expect(log).not.toContain("handler:fails");
      expect(await a.nothingPending()).toBeUndefined();
    });

    test("@OnConnect/@OnDisconnect go through the global stack as events connect/disconnect", async () => {
      const server = (await start()).register(Lifecycle);
      const gate: WebSocketMiddleware = async (ctx, next) => {
        log.push(`gate:${ctx.event}`);
        if (ctx.event === "connect" && (await ctx.server.getClientCount()) > 1) return; // only the first is greeted
        return next();
      };
      server.use(gate);
      const a = await connect();
      expect((await a.next()).event).toBe("hello");
      const b = await connect();
      expect(await b.nothingPending()).toBeUndefined();
      await b.close();
      await a.nextEvent("bye");
      expect(log).toEqual(["gate:connect", "handler:connect", "gate:connect", "gate:disconnect", "handler:disconnect"]);
    });
  });
}
