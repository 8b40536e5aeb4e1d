import {
  backoffDelay,
  ConnectionError,
  EmitQueue,
  RECONNECT_DEFAULTS,
  RequestTimeoutError,
  resolveClientOptions,
} from "../../client/index.ts";
import { PendingRequests } from "../../client/requests.ts";
import { RoomBook } from "../../client/room-book.ts";
import { describe, expect, test } from "../support/test.ts";

class FakeSocket {
  readyState = 0;
  binaryType = "blob";
  onopen = null;
  onmessage = null;
  onclose = null;
  onerror = null;
  send(): void {}
  close(): void {}
}

describe("client backoff", () => {
  const exact = { ...RECONNECT_DEFAULTS, delay: 100, factor: 2, maxDelay: 1000, jitter: 0 };

  test("grows by factor per attempt and stops at maxDelay", () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, exact))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  test("jitter takes up to its share off the delay, never more", () => {
    const half = { ...exact, jitter: 0.5 };
    expect(backoffDelay(3, half, () => 0)).toBe(400);
    expect(backoffDelay(3, half, () => 0.999999)).toBe(200);
    expect(backoffDelay(3, half, () => 0.5)).toBe(300);
  });
});

describe("client emit queue", () => {
  test("drop-oldest keeps the latest frames and returns the dropped one", () => {
    const q = new EmitQueue<number>(2, "drop-oldest");
    expect(q.push(1)).toBeUndefined();
    expect(q.push(2)).toBeUndefined();
    expect(q.push(3)).toBe(1);
    expect(q.drain()).toEqual([2, 3]);
    expect(q.size).toBe(0);
  });

  test("drop-newest keeps the first frames and refuses the rest", () => {
    const q = new EmitQueue<number>(2, "drop-newest");
    q.push(1);
    q.push(2);
    expect(q.push(3)).toBe(3);
    expect(q.drain()).toEqual([1, 2]);
  });

  test("max 0 drops every frame", () => {
    const q = new EmitQueue<string>(0, "drop-oldest");
    expect(q.push("a")).toBe("a");
    expect(q.size).toBe(0);
  });
});

describe("client options", () => {
  const WebSocket = FakeSocket as never;

  test("builds the URL with ?key= and query, converting http(s) to ws(s)", () => {
    const o = resolveClientOptions("http://127.0.0.1:6001/chat", { WebSocket, key: "a b&c", query: { v: "1" } });
    expect(o.url).toBe("ws://127.0.0.1:6001/chat?key=a+b%26c&v=1");
    expect(resolveClientOptions("https://x.test/", { WebSocket }).url).toBe("wss://x.test/");
  });

  test("defaults: reconnect on, heartbeat 25 s / 10 s, queue 100 drop-oldest", () => {
    const o = resolveClientOptions("ws://h/", { WebSocket });
    expect(o.reconnect).toEqual(RECONNECT_DEFAULTS);
    expect(o.heartbeat).toEqual({ interval: 25000, timeout: 10000 });
    expect([o.queueMax, o.overflow, o.requestTimeout]).toEqual([100, "drop-oldest", 10000]);
    expect(resolveClientOptions("ws://h/", { WebSocket, reconnect: false, heartbeat: false })).toMatchObject({
      reconnect: false,
      heartbeat: false,
    });
  });

  test("bad options are TypeErrors naming the option and value", () => {
    expect(() => resolveClientOptions("ftp://h/", { WebSocket })).toThrow('Invalid client URL: "ftp://h/"');
    expect(() => resolveClientOptions("not a url", { WebSocket })).toThrow("Invalid client URL");
    expect(() => resolveClientOptions("ws://h/", { WebSocket, key: 5 as never })).toThrow("Invalid client option key: 5");
    expect(() => resolveClientOptions("ws://h/", { WebSocket, reconnect: { factor: 0.5 } })).toThrow(
      "Invalid client option reconnect.factor: 0.5",
    );
    expect(() => resolveClientOptions("ws://h/", { WebSocket, reconnect: { jitter: 2 } })).toThrow("reconnect.jitter: 2");
    expect(() => resolveClientOptions("ws://h/", { WebSocket, queue: { overflow: "drop-all" as never } })).toThrow(
      'queue.overflow: "drop-all"',
    );
    expect(() => resolveClientOptions("ws://h/", { WebSocket, heartbeat: { interval: 0 } })).toThrow("heartbeat.interval: 0");
    expect(() => resolveClientOptions("ws://h/", { WebSocket: 1 as never })).toThrow("Invalid client option WebSocket: 1");
  });
});

describe("client pending requests", () => {
  test("each request is settled once: by its answer, and later answers are ignored", async () => {
    const requests = new PendingRequests();
    const a = requests.create("sum", 10000);
    const b = requests.create("sum", 10000);
    expect([a.id, b.id]).toEqual([1, 2]);
    expect(requests.resolve(a.id, 5)).toBe(true);
    expect(requests.resolve(a.id, 6)).toBe(false);
    expect(await a.answer).toBe(5);
    expect(requests.reject(b.id, (event) => new Error(`${event} failed`))).toBe(true);
    await expect(b.answer).rejects.toThrow("sum failed");
    expect(requests.issued(2)).toBe(true);
    expect(requests.issued(3)).toBe(false);
    expect(requests.resolve("1", null)).toBe(false);
  });

  test("a drop fails only the requests written to the socket; close fails the rest", async () => {
    const requests = new PendingRequests();
    const written = requests.create("a", 10000);
    const queued = requests.create("b", 10000);
    requests.sent(written.id);
    requests.failSent("the connection dropped (1006)");
    await expect(written.answer).rejects.toBeInstanceOf(ConnectionError);
    expect(requests.has(queued.id)).toBe(true);
    requests.failAll((event) => new ConnectionError("closed", event, "closed"));
    await expect(queued.answer).rejects.toThrow("'b' was not sent: closed");
  });

  test("a request without an answer times out with RequestTimeoutError", async () => {
    const requests = new PendingRequests();
    const { id, answer } = requests.create("slow", 1);
    await expect(answer).rejects.toBeInstanceOf(RequestTimeoutError);
    expect(requests.has(id)).toBe(false);
    expect(requests.issued(id)).toBe(true);
  });
});

describe("client room book", () => {
  test("remembers rooms per namespace in join order; confirmations resolve the matching waiters only", async () => {
    const rooms = new RoomBook();
    rooms.add("lobby", "/");
    rooms.add("lobby", "/admin");
    rooms.add("lobby", "/");
    expect(rooms.list()).toEqual([
      { room: "lobby", namespace: "/" },
      { room: "lobby", namespace: "/admin" },
    ]);
    const root = rooms.wait("join_room", "lobby", "/", 10000);
    const admin = rooms.wait("join_room", "lobby", "/admin", 10000);
    rooms.confirmed("join_room", { room: "lobby" });
    await root;
    rooms.refused("join_room", new Error("Invalid namespace"));
    await expect(admin).rejects.toThrow("Invalid namespace");
    rooms.remove("lobby", "/");
    expect(rooms.list()).toEqual([{ room: "lobby", namespace: "/admin" }]);
  });

  test("waiters time out, and all fail when the client closes", async () => {
    const rooms = new RoomBook();
    await expect(rooms.wait("leave_room", "x", "/", 1)).rejects.toBeInstanceOf(RequestTimeoutError);
    const pending = rooms.wait("join_room", "y", "/", 10000);
    rooms.failAll((kind) => new ConnectionError("closed", kind, "closed"));
    await expect(pending).rejects.toBeInstanceOf(ConnectionError);
  });
});
