/**
 * Upgrade requests no client library would send, read as raw HTTP: every runtime must refuse the same malformed
 * upgrades with the same status (never a 500, never a crash, never `onError`), pick the same subprotocol, and
 * hold no connection slot for a refused request.
 */
import type { ErrorContext } from "../../../src/index.ts";
import { afterEach, describe, expect, test } from "../../support/test.ts";
import type { Fixture } from "../support/fixture.ts";
import { type RawResponse, rawUpgrade } from "../support/raw-socket.ts";
import { WhoAmI } from "./realtime-controller.ts";

const KEY = "dGhlIHNhbXBsZSBub25jZQ==";

/** A request head: the request line, then headers; `null` drops a default header. */
export function upgradeHead(
  port: number,
  line = "GET / HTTP/1.1",
  headers: Record<string, string | null> = {},
  extra: string[] = [],
): string {
  const all: Record<string, string | null> = {
    Host: `127.0.0.1:${port}`,
    Upgrade: "websocket",
    Connection: "Upgrade",
    "Sec-WebSocket-Key": KEY,
    "Sec-WebSocket-Version": "13",
    ...headers,
  };
  const lines = Object.entries(all)
    .filter((entry): entry is [string, string] => entry[1] !== null)
    .map(([k, v]) => `${k}: ${v}`);
  return [line, ...lines, ...extra].join("\r\n");
}

export function upgradeValidationScenarios(fx: Fixture): void {
  const { serve, setup } = fx;
  const open: RawResponse[] = [];
  afterEach(() => {
    for (const res of open.splice(0)) res.ws?.destroy();
  });
  const send = async (head: string): Promise<RawResponse> => {
    const res = await rawUpgrade(fx.served.port, { head });
    open.push(res);
    return res;
  };
  const errors: Array<{ error: unknown; context: ErrorContext }> = [];
  const serveWatched = async (options = {}) => {
    errors.length = 0;
    return (await serve({ ...options, onError: (error, context) => errors.push({ error, context }) })).register(WhoAmI);
  };
  /** The server still serves: a well-formed upgrade opens and gets its welcome. */
  const alive = async (): Promise<void> => {
    const ok = await send(upgradeHead(fx.served.port));
    expect(ok.status).toBe(101);
    expect((await ok.ws?.next())?.event).toBe("welcome");
  };
  /** Drops the raw sockets now, so the server's shutdown need not wait for peers that never answer a close. */
  const dropAll = (): void => {
    for (const res of open.splice(0)) res.ws?.destroy();
  };

  describe(`${setup.name}: upgrade validation`, () => {
    test("a malformed request target or Host gets a 400 (never a 500 or a crash), and onError stays silent", async () => {
      const server = await serveWatched();
      const port = fx.served.port;
      for (const [line, host] of [
        ["GET * HTTP/1.1", undefined],
        ["GET / HTTP/1.1", "["],
        ["GET / HTTP/1.1", "a b"],
        ["GET / HTTP/1.1", "example.com:99999"],
      ] as const) {
        const res = await send(upgradeHead(port, line, host === undefined ? {} : { Host: host }));
        expect({ line, host, status: res.status }).toEqual({ line, host, status: 400 });
      }
      expect(errors).toEqual([]);
      expect(await server.getClientCount()).toBe(0);
      await alive();
      dropAll();
    });

    test("bad version gets 426 with Sec-WebSocket-Version: 13; missing, short, non-base64 or two keys get 400", async () => {
      const server = await serveWatched();
      const port = fx.served.port;
      for (const version of [null, "99", "8", ""]) {
        const res = await send(upgradeHead(port, undefined, { "Sec-WebSocket-Version": version }));
        expect({ version, status: res.status, header: res.headers["sec-websocket-version"] }).toEqual({
          version,
          status: 426,
          header: "13",
        });
      }
      for (const key of [null, "c2hvcnQ=", "!!!!!!!!!!!!!!!!!!!!!!==", "dGhlIHNhbXBsZSBub25jZQ"]) {
        const res = await send(upgradeHead(port, undefined, { "Sec-WebSocket-Key": key }));
        expect({ key, status: res.status }).toEqual({ key, status: 400 });
      }
      const twoKeys = await send(upgradeHead(port, undefined, {}, ["Sec-WebSocket-Key: x3JJHMbDL1EzLkh9GBhXDw=="]));
      expect(twoKeys.status).toBe(400);
      expect(errors).toEqual([]);
      expect(await server.getClientCount()).toBe(0);
      await alive();
      dropAll();
    });

    // under Hono the user's routes decide which methods reach the middleware (app.get: other methods fall through)
    if (!setup.name.startsWith("hono")) {
      test("an upgrade with any method but GET gets 400", async () => {
        const server = await serveWatched();
        for (const method of ["PUT", "POST", "OPTIONS", "DELETE"]) {
          const res = await send(upgradeHead(fx.served.port, `${method} / HTTP/1.1`, { "Content-Length": "0" }));
          expect({ method, status: res.status }).toEqual({ method, status: 400 });
        }
        expect(await server.getClientCount()).toBe(0);
        await alive();
        dropAll();
      });
    }

    test("the first offered subprotocol is echoed; a malformed Sec-WebSocket-Protocol gets 400", async () => {
      await serveWatched();
      const port = fx.served.port;
      const res = await send(upgradeHead(port, undefined, { "Sec-WebSocket-Protocol": "sockeon, v2" }));
      expect([res.status, res.headers["sec-websocket-protocol"]]).toEqual([101, "sockeon"]);
      const none = await send(upgradeHead(port));
      expect([none.status, none.headers["sec-websocket-protocol"] ?? "(none)"]).toEqual([101, "(none)"]);
      const bad = await send(upgradeHead(port, undefined, { "Sec-WebSocket-Protocol": "a, a" }));
      expect(bad.status).toBe(400);
      dropAll();
    });

    if (!setup.name.startsWith("hono")) {
      test("subprotocols: the first offered one the server lists is echoed", async () => {
        await serveWatched({ subprotocols: ["v2", "sockeon"] });
        const res = await send(upgradeHead(fx.served.port, undefined, { "Sec-WebSocket-Protocol": "other, sockeon, v2" }));
        expect([res.status, res.headers["sec-websocket-protocol"]]).toEqual([101, "sockeon"]);
        const unlisted = await send(upgradeHead(fx.served.port, undefined, { "Sec-WebSocket-Protocol": "other" }));
        expect([unlisted.status, unlisted.headers["sec-websocket-protocol"] ?? "(none)"]).toEqual([101, "(none)"]);
        dropAll();
      });
    }

    test("refused upgrades hold no connection slot: 30 requests without a key, then a client connects under maxConnections 5", async () => {
      const server = await serveWatched({ maxConnections: 5 });
      const port = fx.served.port;
      const refused = await Promise.all(
        Array.from({ length: 30 }, () => send(upgradeHead(port, undefined, { "Sec-WebSocket-Key": null }))),
      );
      expect(new Set(refused.map((r) => r.status))).toEqual(new Set([400]));
      for (let i = 0; i < 5; i++) await alive();
      expect(await server.getClientCount()).toBe(5);
      expect((await send(upgradeHead(port))).status).toBe(503);
      dropAll();
    });
  });
}
