/**
 * Pins the `ws` internals adapters/node-connection.ts writes through (`_socket`, `_sender` state), and checks
 * that pre-framed, corked writes arrive as the same text frames `ws.send` would produce, in order.
 */
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { WebSocket, WebSocketServer } from "ws";
import { nodeConnection, textFrame, type WsInternals } from "../../adapters/node-connection.ts";
import { describe, expect, test } from "../support/test.ts";

describe("node connection (pre-framed writes on ws's socket)", () => {
  test("textFrame encodes the three RFC 6455 length forms", () => {
    for (const size of [0, 125, 126, 65535, 65536]) {
      const frame = textFrame("é".repeat(size / 2) + "x".repeat(size % 2));
      expect(frame[0]).toBe(0x81);
      const length = frame[1] as number;
      if (size < 126) expect([length, frame.length]).toEqual([size, size + 2]);
      else if (size < 65536) expect([length, Buffer.from(frame).readUInt16BE(2), frame.length]).toEqual([126, size, size + 4]);
      else expect([length, Buffer.from(frame).readUInt32BE(6), frame.length]).toEqual([127, size, size + 10]);
    }
  });

  test("ws still exposes the private state the fast path needs, and frames arrive intact and in order", async () => {
    const wss = new WebSocketServer({ port: 0, host: "127.0.0.1", perMessageDeflate: false });
    await once(wss, "listening");
    try {
      const accepted = once(wss, "connection") as Promise<[WebSocket]>;
      const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}/`);
      const [server] = await accepted;
      const internals = server as unknown as WsInternals;
      expect(typeof internals._socket?.cork).toBe("function");
      expect(typeof internals._socket?.uncork).toBe("function");
      expect(typeof internals._socket?.write).toBe("function");
      expect(internals._sender?._state).toBe(0);
      expect(Array.isArray(internals._sender?._queue)).toBe(true);
      expect(internals._sender?._firstFragment).toBe(true);

      const texts = ["short", "ü".repeat(200), "y".repeat(70_000), "last"];
      const received: string[] = [];
      const all = new Promise<void>((resolve) =>
        client.on("message", (data, isBinary) => {
          expect(isBinary).toBe(false);
          received.push(String(data));
          if (received.length === texts.length + 1) resolve();
        }),
      );
      await once(client, "open");
      const connection = nodeConnection(server);
      connection.cork?.(() => {
        for (const text of texts) connection.send(text);
      });
      // a frame through ws's own sender afterwards must not overtake the corked ones
      server.send("after");
      await all;
      expect(received).toEqual([...texts, "after"]);
      client.close();
      await once(client, "close");
    } finally {
      wss.close();
    }
  });
});
