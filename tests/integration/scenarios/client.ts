/**
 * `sockeon-ts/client` against each real server setup: events both ways, rooms, requests (result, error,
 * timeout), `?key=` auth, reconnect after a server restart (rooms restored, queued emits per policy) and
 * dead-server detection through a relay that goes silent. No sleeps: every wait is for a frame or a status.
 */
import {
  type ClientOptions,
  type ClientStatus,
  ConnectionError,
  createClient,
  RequestTimeoutError,
  ServerError,
  type SockeonClient,
  type StatusDetail,
  type WebSocketConstructor,
} from "../../../client/index.ts";
import { reject } from "../../../src/extend.ts";
import { SockeonServer } from "../../../src/index.ts";
import { afterEach, describe, expect, test } from "../../support/test.ts";
import type { Fixture } from "../support/fixture.ts";
import { type SilentRelay, startRelay } from "../support/proxy.ts";
import { recordLogs } from "../support/servers.ts";
import { ClientProbe, type probeEvents } from "./client-controller.ts";

type Probe = SockeonClient<typeof probeEvents>;

// Node 20 has no global WebSocket: the client takes the `ws` package's, as a user on Node 20 would pass it
const WebSocketImpl: WebSocketConstructor | undefined = (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket
  ? undefined
  : ((await import("ws")).WebSocket as unknown as WebSocketConstructor);

/** Resolves with the next status change to `wanted`. */
function nextStatus(client: SockeonClient<any>, wanted: ClientStatus): Promise<StatusDetail> {
  return new Promise((resolve) => {
    const off = client.onStatus((status, detail) => {
      if (status !== wanted) return;
      off();
      resolve(detail);
    });
  });
}

/** Resolves with the next `event` the client receives. */
function nextEvent<T = any>(client: SockeonClient<any>, event: string): Promise<T> {
  return new Promise((resolve) => client.once(event, resolve as (data: unknown) => void));
}

/** A server that wants Sockeon's `?key=` (401 otherwise), built from a handshake step. */
class KeyedServer extends SockeonServer {
  constructor(key: string) {
    super({ port: 0, logger: recordLogs().logger });
    this.addHandshakeMiddleware((ctx) =>
      ctx.url.searchParams.get("key") === key ? undefined : reject(401, "Invalid authentication key"),
    );
  }
}

export function clientScenarios(fx: Fixture): void {
  const { serve, setup } = fx;
  const clients: SockeonClient<any>[] = [];
  const relays: SilentRelay[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await Promise.all(relays.splice(0).map((r) => r.close()));
  });

  /** A typed client of the served server; fast reconnects so restarts resolve quickly. */
  async function client(options: ClientOptions = {}, url = fx.served.url): Promise<Probe> {
    const c = createClient<typeof probeEvents>(url, {
      WebSocket: WebSocketImpl,
      reconnect: { delay: 5, maxDelay: 50 },
      ...options,
    });
    clients.push(c);
    await c.ready();
    return c;
  }

  describe(`${setup.name}: sockeon-ts/client`, () => {
    test("events both ways; on, once and off; unsolicited server errors as ServerError", async () => {
      (await serve()).register(new ClientProbe());
      const a = await client();
      const seen: number[] = [];
      const listener = (d: { n: number }) => seen.push(d.n);
      let onceCount = 0;
      a.on("pushed", listener).once("pushed", () => onceCount++);
      a.emit("push", { n: 1 });
      a.emit("push", { n: 2 });
      expect(await a.request("whoami")).toMatchObject({ rooms: [] }); // an answer after both pushes
      expect(seen).toEqual([1, 2]);
      expect(onceCount).toBe(1);
      a.off("pushed", listener);
      a.emit("push", { n: 3 });
      await a.request("whoami");
      expect(seen).toEqual([1, 2]);

      const error = nextEvent<ServerError>(a, "error");
      a.emit("nope");
      const e = await error;
      expect(e).toBeInstanceOf(ServerError);
      expect(e.message).toBe("Event 'nope' does not exist");
      expect(typeof e.data.timestamp).toBe("number");
      expect(() => a.emit("bad name!" as "nope")).toThrow("Invalid event name");
      expect(() => a.emit("push", 5 as unknown as { n: number })).toThrow("Invalid data for 'push': 5");
    });

    test("a Sockeon PHP server's answer to the heartbeat (Event 'sockeon.ping' does not exist) is no ServerError", async () => {
      const server = (await serve()).register(new ClientProbe());
      const a = await client();
      const errors: ServerError[] = [];
      a.on("error", (e) => errors.push(e));
      const id = Object.keys(await server.getAllClients())[0] as string;
      // what Sockeon PHP sends back for our sockeon.ping
      server.sendRaw(
        id,
        JSON.stringify({ event: "error", data: { message: "Event 'sockeon.ping' does not exist", timestamp: 1 } }),
      );
      server.sendRaw(id, JSON.stringify({ event: "error", data: { message: "Event 'other' does not exist", timestamp: 1 } }));
      await a.request("whoami"); // frames arrive in order: both errors came before this answer
      expect(errors.map((e) => e.message)).toEqual(["Event 'other' does not exist"]);
    });

    test("rooms through join_room/leave_room: room broadcasts reach members only", async () => {
      (await serve()).register(new ClientProbe());
      const a = await client();
      const b = await client();
      const c = await client();
      await a.joinRoom("r1");
      await b.joinRoom("r1");
      await c.joinRoom("other");
      expect(a.rooms).toEqual([{ room: "r1", namespace: "/" }]);
      const heard = nextEvent(b, "said");
      let cHeard = false;
      c.on("said", () => (cHeard = true));
      expect(await a.request("say", { room: "r1", text: "hello" })).toEqual({ delivered: 2 });
      expect(await heard).toMatchObject({ room: "r1", text: "hello" });
      await c.request("whoami"); // c's frames are in order: anything said to it came before this answer
      expect(cHeard).toBe(false);
      await b.leaveRoom("r1");
      expect(b.rooms).toEqual([]);
      expect((await b.request("whoami")).rooms).toEqual([]);
      expect(await a.request("say", { room: "r1", text: "alone" })).toEqual({ delivered: 1 });
      expect(() => a.joinRoom("")).toThrow('Invalid room name: ""');
    });

    test("request: sync and async results, the server's error, a timeout", async () => {
      const probe = new ClientProbe();
      (await serve()).register(probe);
      const a = await client();
      expect(await a.request("sum", { a: 2, b: 3 })).toBe(5);
      expect(await a.request("sum.async", { a: 4, b: 5 })).toBe(9);
      let failure: unknown;
      await a.request("fail").catch((e) => (failure = e));
      expect(failure).toBeInstanceOf(ServerError);
      expect((failure as ServerError).message).toBe("fail: Internal server error processing message");
      expect((failure as ServerError).id).toBeGreaterThan(0);
      let timedOut: unknown;
      await a.request("slow", undefined, { timeout: 20 }).catch((e) => (timedOut = e));
      expect(timedOut).toBeInstanceOf(RequestTimeoutError);
      expect((timedOut as RequestTimeoutError).event).toBe("slow");
      probe.gate.open(); // the late ack arrives and is ignored; the next request still gets its own answer
      expect(await a.request("sum", { a: 1, b: 1 })).toBe(2);
    });

    test("against a strict Sockeon server (acks off): emit works, request times out, the error reaches on('error')", async () => {
      (await serve({ acks: false })).register(new ClientProbe());
      const a = await client();
      await a.joinRoom("r1");
      const said = nextEvent(a, "said");
      a.emit("say", { room: "r1", text: "plain" });
      expect(await said).toMatchObject({ text: "plain" });
      const error = nextEvent<ServerError>(a, "error");
      await expect(a.request("sum", { a: 1, b: 2 }, { timeout: 50 })).rejects.toBeInstanceOf(RequestTimeoutError);
      expect((await error).message).toBe("Message validation failed: Message contains unsupported fields: id");
    });

    test("?key= authentication: the right key connects, a wrong one gives up after maxAttempts", async () => {
      await fx.serveServer(new KeyedServer("s3cret"));
      (await client({ key: "s3cret" })).close();
      const wrong = createClient(fx.served.url, {
        WebSocket: WebSocketImpl,
        key: "nope",
        reconnect: { maxAttempts: 1, delay: 1 },
      });
      clients.push(wrong);
      const attempts: number[] = [];
      wrong.onStatus((status, detail) => status === "reconnecting" && attempts.push(detail.attempt ?? -1));
      await expect(wrong.ready()).rejects.toBeInstanceOf(ConnectionError);
      expect(wrong.status).toBe("closed");
      expect(attempts).toEqual([1]);
    });

    test("reconnect after a server restart: rooms rejoined, queued emits delivered, the oldest dropped", async () => {
      (await serve()).register(new ClientProbe());
      const dropped: unknown[] = [];
      const a = await client({ queue: { max: 3 }, onDrop: (_event, data) => dropped.push(data) });
      const b = await client();
      await a.joinRoom("r1");
      await b.joinRoom("r1");
      const firstId = (await a.request("whoami")).id;
      // settled early: a graceful stop drops the connection while fx.down() is still awaited
      const inFlight = a.request("slow").then(
        () => "answered",
        (error: unknown) => error,
      );
      const reconnecting = nextStatus(a, "reconnecting");
      await fx.down();
      expect((await reconnecting).attempt).toBe(1);
      expect(await inFlight).toBeInstanceOf(ConnectionError);
      // while the server is down: four frames for a queue of three, so the oldest goes
      a.emit("say", { room: "r1", text: "q1" });
      a.emit("say", { room: "r1", text: "q2" });
      a.emit("say", { room: "r1", text: "q3" });
      const queuedRequest = a.request("sum", { a: 20, b: 22 });
      expect(a.queued).toBe(3);
      expect(dropped).toEqual([{ room: "r1", text: "q1" }]);
      expect(a.dropped).toBe(1);

      const aSaid: string[] = [];
      a.on("said", (d) => aSaid.push(d.text));
      const bRejoined = nextEvent(b, "room_joined");
      (await fx.up()).register(new ClientProbe());
      // a rejoins r1 before its queue flushes, so it hears its own queued messages
      expect(await queuedRequest).toBe(42);
      expect(aSaid).toEqual(["q2", "q3"]);
      expect(await bRejoined).toMatchObject({ room: "r1", namespace: "/" });
      const who = await a.request("whoami");
      expect(who.rooms).toEqual(["r1"]);
      expect(who.id).not.toBe(firstId);
      const heard = nextEvent(b, "said");
      expect(await a.request("say", { room: "r1", text: "after" })).toEqual({ delivered: 2 });
      expect(await heard).toMatchObject({ text: "after" });
    });

    test("a silent server is detected through sockeon.ping; the client reconnects with its rooms", async () => {
      (await serve()).register(new ClientProbe());
      const relay = await startRelay(fx.served.port);
      relays.push(relay);
      const a = await client({ heartbeat: { interval: 50, timeout: 250 } }, `ws://127.0.0.1:${relay.port}/`);
      await a.joinRoom("r1");
      const firstId = (await a.request("whoami")).id;
      const reconnecting = nextStatus(a, "reconnecting");
      relay.freeze();
      const detail = await reconnecting;
      expect(detail.code).toBe(4000);
      expect(detail.reason).toContain("Heartbeat timeout");
      await a.ready();
      const who = await a.request("whoami");
      expect(who.id).not.toBe(firstId);
      expect(who.rooms).toEqual(["r1"]);
    });

    test("close() is final: pending requests reject, emits throw", async () => {
      (await serve()).register(new ClientProbe());
      const a = await client();
      const pending = a.request("slow");
      a.close();
      await expect(pending).rejects.toBeInstanceOf(ConnectionError);
      expect(a.status).toBe("closed");
      expect(() => a.emit("push", { n: 1 })).toThrow("the client is closed");
    });
  });
}
