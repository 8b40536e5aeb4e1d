/** One frame to one handler call: acks, the reserved ping, middleware, and failures, on fake connections. */
import { createServer, type ServerOptions, SocketController, SocketOn, type WebSocketMiddleware } from "../../src/index.ts";
import { connectFake } from "../support/fake-connection.ts";
import { describe, expect, test } from "../support/test.ts";

class Handlers extends SocketController {
  @SocketOn("sync")
  sync(_clientId: string, data: { v?: unknown }): unknown {
    return data.v;
  }

  @SocketOn("nothing")
  nothing(): void {}

  @SocketOn("bigint")
  bigint(): bigint {
    return 1n;
  }

  @SocketOn("emit.then.throw")
  emitThenThrow(clientId: string): void {
    this.emit(clientId, "before", {});
    throw new TypeError("after emitting");
  }

  @SocketOn("guarded", { middlewares: [(ctx, next) => ((ctx.data as { pass?: boolean }).pass ? next() : undefined)] })
  guarded(_clientId: string, data: unknown): unknown {
    return { ran: data };
  }
}

function setup(options: ServerOptions = {}) {
  const errors: Array<[unknown, unknown]> = [];
  const warnings: string[] = [];
  const server = createServer({
    port: 0,
    logger: { warning: (message: string) => void warnings.push(message) },
    onError: (error, context) => void errors.push([error, context]),
    ...options,
  }).register(new Handlers());
  return { server, errors, warnings };
}

describe("Dispatcher", () => {
  test("acks carry the handler's return value; nothing returned is null", async () => {
    const { server } = setup();
    const a = await connectFake(server);
    a.send({ event: "sync", data: { v: [1, "x"] }, id: 1 });
    expect(await a.next()).toEqual({ event: "ack", data: { id: 1, result: [1, "x"] } });
    a.send({ event: "nothing", data: {}, id: 2 });
    expect(await a.next()).toEqual({ event: "ack", data: { id: 2, result: null } });
    a.send({ event: "sync", data: { v: 3 } });
    expect(await a.nothingPending()).toBeUndefined();
  });

  test("a result JSON cannot encode is reported, and the id still gets exactly one answer", async () => {
    const { server, errors } = setup();
    const a = await connectFake(server);
    a.send({ event: "bigint", data: {}, id: 5 });
    expect((await a.next()).data).toMatchObject({ message: "Internal server error processing message", id: 5 });
    expect(errors[0]?.[1]).toEqual({ source: "ack", clientId: a.id });
    expect(await a.nothingPending()).toBeUndefined();
  });

  test("sockeon.ping is answered by the core, with an ack when asked", async () => {
    const { server } = setup();
    const a = await connectFake(server);
    a.send({ event: "sockeon.ping", data: {} });
    const pong = await a.next();
    expect(pong.event).toBe("sockeon.pong");
    expect(Number.isInteger(pong.data.timestamp)).toBe(true);
    a.send({ event: "sockeon.ping", data: [], id: 9 });
    expect((await a.next()).event).toBe("sockeon.pong");
    expect(await a.next()).toEqual({ event: "ack", data: { id: 9, result: null } });
  });

  test("frames the handler sent before throwing arrive before the error; the error is reported with its event", async () => {
    const { server, errors } = setup();
    const a = await connectFake(server);
    a.send({ event: "emit.then.throw", data: {}, id: 3 });
    expect(await a.next()).toEqual({ event: "before", data: {} });
    expect((await a.next()).data).toMatchObject({ message: "Internal server error processing message", id: 3 });
    expect(errors[0]?.[0]).toBeInstanceOf(TypeError);
    expect(errors[0]?.[1]).toEqual({ source: "handler", clientId: a.id, event: "emit.then.throw" });
  });

  test("a handler's middleware that stops the chain skips it and acks null", async () => {
    const { server } = setup();
    const a = await connectFake(server);
    a.send({ event: "guarded", data: { pass: false }, id: 1 });
    expect(await a.next()).toEqual({ event: "ack", data: { id: 1, result: null } });
    a.send({ event: "guarded", data: { pass: true }, id: 2 });
    expect(await a.next()).toEqual({ event: "ack", data: { id: 2, result: { ran: { pass: true } } } });
  });

  test("global middlewares see the event, the ack id and the data, may replace the data, and their errors are caught", async () => {
    const seen: unknown[] = [];
    const tag: WebSocketMiddleware = (ctx, next) => {
      seen.push([ctx.event, ctx.id, ctx.data]);
      if (ctx.event === "sync" && (ctx.data as { v?: unknown }).v === "fail") throw new Error("middleware failed");
      return ctx.event === "sync" ? next({ v: "replaced" }) : next();
    };
    const { server, errors } = setup();
    server.use(tag);
    const a = await connectFake(server);
    a.send({ event: "sync", data: { v: 1 }, id: 4 });
    expect(await a.next()).toEqual({ event: "ack", data: { id: 4, result: "replaced" } });
    expect(seen[0]).toEqual(["sync", 4, { v: 1 }]);
    a.send({ event: "sync", data: { v: "fail" } });
    expect((await a.next()).data.message).toBe("Internal server error processing message");
    expect(String(errors[0]?.[0])).toBe("Error: middleware failed");
    expect(() => server.use("not a function" as never)).toThrow('use: a middleware must be a function, got "not a function"');
  });

  test("rejected frames are logged as warnings naming the client", async () => {
    const { server, warnings } = setup();
    const a = await connectFake(server);
    a.send("");
    expect((await a.next()).data.message).toBe("Empty message payload");
    a.send({ event: "missing", data: {} });
    await a.next();
    expect(warnings).toEqual([
      `Rejected frame from client ${a.id}: Empty message payload`,
      `Unknown event 'missing' from client ${a.id}`,
    ]);
  });

  test("an oversize frame gets its error, then the connection is closed with 1009", async () => {
    const { server } = setup({ maxMessageSize: 16 });
    const a = await connectFake(server);
    a.send({ event: "sync", data: { v: "x".repeat(20) } });
    expect((await a.next()).data.message).toBe("Message payload too large");
    expect(a.connection.closes).toEqual([{ code: 1009, reason: "Message too big" }]);
    expect(await server.isClientConnected(a.id)).toBe(false);
  });
});
