import { LimitError } from "../../src/common/errors.ts";
import type { Logger } from "../../src/common/logger.ts";
import { clip, ThrottledLog } from "../../src/common/throttled-log.ts";
import { ClientData } from "../../src/engine/client-data.ts";
import { Rooms } from "../../src/engine/rooms.ts";
import { resolveConnectionLimits } from "../../src/handshake/connection-limits.ts";
import { checkUpgrade, offeredProtocols } from "../../src/handshake/upgrade-validation.ts";
import { resolveOptions } from "../../src/options/options.ts";
import { nameProblem } from "../../src/protocol/names.ts";
import { describe, expect, test } from "../support/test.ts";
import { UPGRADE_HEADERS } from "./fake-server.ts";

const upgrade = (headers: Record<string, string> = {}, method = "GET") =>
  new Request("http://127.0.0.1/", { method, headers: { ...UPGRADE_HEADERS, ...headers } });

describe("checkUpgrade", () => {
  test("a well-formed upgrade passes; the first offered subprotocol, or the first one listed", () => {
    expect(checkUpgrade(upgrade(), null)).toEqual({});
    expect(checkUpgrade(upgrade({ "sec-websocket-protocol": "a, b" }), null)).toEqual({ protocol: "a" });
    expect(checkUpgrade(upgrade({ "sec-websocket-protocol": "a, b" }), ["b"])).toEqual({ protocol: "b" });
    expect(checkUpgrade(upgrade({ "sec-websocket-protocol": "a" }), ["b"])).toEqual({});
  });

  test("method, Connection, key, version and subprotocol header are checked, with their statuses", () => {
    const status = (request: Request) => checkUpgrade(request, null).response?.status;
    expect(status(upgrade({}, "POST"))).toBe(400);
    expect(status(upgrade({ connection: "keep-alive" }))).toBe(400);
    expect(status(upgrade({ connection: "keep-alive, Upgrade" }))).toBe(undefined);
    expect(status(upgrade({ "sec-websocket-key": "c2hvcnQ=" }))).toBe(400);
    expect(status(upgrade({ "sec-websocket-version": "8" }))).toBe(426);
    expect(checkUpgrade(upgrade({ "sec-websocket-version": "99" }), null).response?.headers.get("sec-websocket-version")).toBe(
      "13",
    );
    expect(status(upgrade({ "sec-websocket-protocol": "a b" }))).toBe(400);
  });

  test("offeredProtocols parses tokens in order and refuses empty, non-token or repeated names", () => {
    expect(offeredProtocols(null)).toEqual([]);
    expect(offeredProtocols(" a ,b")).toEqual(["a", "b"]);
    expect(offeredProtocols("a,,b")).toBe(null);
    expect(offeredProtocols("a, a")).toBe(null);
    expect(offeredProtocols("a/b")).toBe(null);
  });
});

describe("nameProblem", () => {
  test("non-empty, at most maxBytes UTF-8 bytes, printable", () => {
    expect(nameProblem("room", "lobby", 256)).toBe(undefined);
    expect(nameProblem("room", "é".repeat(128), 256)).toBe(undefined);
    expect(nameProblem("room", "é".repeat(129), 256)).toBe("Invalid room name: longer than 256 bytes (maxNameLength)");
    expect(nameProblem("namespace", "", 256)).toBe("Invalid namespace name");
    for (const bad of ["a\u0000", "\u007f", "\u0085", "a\ud800", "\udc00a"])
      expect(nameProblem("room", bad, 256)).toBe("Invalid room name: control characters or lone surrogates are not allowed");
    expect(nameProblem("room", "😀", 256)).toBe(undefined);
  });
});

describe("ThrottledLog", () => {
  test("at most perInterval lines per kind per interval; the rest counted and summed up when the kind next logs", () => {
    const lines: string[] = [];
    const logger = { warning: (message: string) => lines.push(message) } as unknown as Logger;
    let now = 0;
    const log = new ThrottledLog(logger, { intervalMs: 1000, perInterval: 2, now: () => now });
    for (let i = 0; i < 10; i++) log.warning("x", `x${i}`);
    log.warning("y", "y0");
    expect(lines).toEqual(["x0", "x1", "y0"]);
    expect(log.suppressed("x")).toBe(8);
    now = 1500;
    log.warning("x", "x10");
    expect(lines.slice(3)).toEqual(["8 more 'x' warnings suppressed in the last 2 s", "x10"]);
    expect(log.suppressed("x")).toBe(0);
  });

  test("clip shortens long client text and says how long it was", () => {
    expect(clip("abc")).toBe("abc");
    expect(clip("a".repeat(100), 4)).toBe("aaaa…(100 chars)");
  });
});

describe("per-client bounds of the state classes", () => {
  test("ClientData: over the key or byte bound throws LimitError and changes nothing; replacing a key re-counts it", () => {
    const data = new ClientData({ maxClientDataKeys: 2, maxClientDataBytes: 20 });
    data.set("c", "a", 1);
    data.set("c", "b", "xy");
    expect(data.bytesOf("c")).toBe(2 + 5);
    expect(() => data.set("c", "z", 1)).toThrow(LimitError);
    expect(() => data.set("c", "a", "x".repeat(20))).toThrow("at most 20 bytes per client (maxClientDataBytes)");
    expect(data.get("c", "a")).toBe(1);
    data.set("c", "a", "x".repeat(10));
    expect(data.bytesOf("c")).toBe(1 + 12 + 5);
    data.forget("c", "a");
    expect(data.bytesOf("c")).toBe(5);
    data.set("d", "f", () => 1);
    expect(data.bytesOf("d")).toBe(1);
  });

  test("Rooms.countOf counts a client's rooms over every namespace", () => {
    const rooms = new Rooms();
    expect(rooms.countOf("c")).toBe(0);
    rooms.join("c", "a", "/");
    rooms.join("c", "a", "/x");
    rooms.join("c", "b", "/");
    expect(rooms.countOf("c")).toBe(3);
    rooms.leaveAll("c");
    expect(rooms.countOf("c")).toBe(0);
  });
});

describe("limit options", () => {
  test("defaults, and ConfigErrors naming the value", () => {
    const o = resolveOptions({});
    expect([o.maxNameLength, o.maxRoomsPerClient, o.maxClientDataKeys, o.maxClientDataBytes, o.subprotocols]).toEqual([
      256,
      1000,
      100,
      65536,
      null,
    ]);
    expect(() => resolveOptions({ maxRoomsPerClient: 0 })).toThrow("Invalid server option maxRoomsPerClient: 0");
    expect(() => resolveOptions({ subprotocols: ["a b"] })).toThrow('Invalid server option subprotocols: ["a b"]');
  });

  test("rateLimit's connection caps are aliases when rateLimit is enabled: the lower of each pair wins", () => {
    const caps = { enabled: true, maxConnectionsPerIp: 500, maxGlobalConnections: 50000 };
    expect(resolveConnectionLimits({}, caps)).toEqual({ maxConnections: 10000, maxConnectionsPerIp: 500 });
    expect(resolveConnectionLimits({ maxConnectionsPerIp: 5 }, { ...caps, maxGlobalConnections: 7 })).toEqual({
      maxConnections: 7,
      maxConnectionsPerIp: 5,
    });
    expect(resolveConnectionLimits({}, { ...caps, enabled: false })).toEqual({
      maxConnections: 10000,
      maxConnectionsPerIp: null,
    });
    const o = resolveOptions({ rateLimit: { enabled: true, maxGlobalConnections: 3, maxConnectionsPerIp: 2 } });
    expect([o.maxConnections, o.maxConnectionsPerIp]).toEqual([3, 2]);
  });
});
