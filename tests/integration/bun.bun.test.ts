import { serveBun } from "../../adapters/bun.ts";
import { SocketController, SocketOn } from "../../src/index.ts";
import { describe, expect, test } from "../support/test.ts";
import { scenarioSuite } from "./scenarios/index.ts";
import { TestClient } from "./support/client.ts";
import { RawWebSocket } from "./support/raw-socket.ts";
import { testServer } from "./support/servers.ts";

scenarioSuite({ name: "bun", listen: async (server, port = 0) => serveBun(server, { port, hostname: "127.0.0.1" }) });

describe("bun: Bun's own WebSocket settings pass through serveBun", () => {
  test("perMessageDeflate is negotiated when passed, absent by default", async () => {
    for (const [websocket, expected] of [
      [{ perMessageDeflate: true }, true],
      [undefined, false],
    ] as const) {
      const listener = serveBun(testServer(), { port: 0, hostname: "127.0.0.1", websocket });
      try {
        const ws = new WebSocket(`ws://127.0.0.1:${listener.port}/`);
        await new Promise((resolve, reject) => {
          ws.onopen = resolve;
          ws.onerror = reject;
        });
        expect(ws.extensions.includes("permessage-deflate")).toBe(expected);
        ws.close();
      } finally {
        await listener.stop();
      }
    }
  });
});

class Burst extends SocketController {
  /** Sends `count` frames of about `size` bytes to `target`, then `burst.sent` to the sender, in one turn. */
  @SocketOn("burst")
  burst(clientId: string, data: { target: string; count: number; size: number }): void {
    const pad = "x".repeat(data.size);
    for (let i = 0; i < data.count; i++) this.emit(data.target, "burst", { i, pad });
    this.emit(clientId, "burst.sent", {});
  }
}

describe("bun: a frame Bun refuses (send returns 0) is kept and retried, never dropped", () => {
  test("backpressureLimit 64 KiB, a paused reader, a 12 MB burst: Bun refuses, the reader resumes and gets every frame in order", async () => {
    const server = testServer().register(new Burst());
    // Bun refuses every frame once 64 KiB are buffered; the core keeps them queued until the socket drains
    const listener = serveBun(server, { port: 0, hostname: "127.0.0.1", websocket: { backpressureLimit: 64 * 1024 } });
    const reader = await RawWebSocket.connect(listener.port);
    try {
      reader.send(JSON.stringify({ event: "sockeon.ping", data: {} }));
      expect((await reader.next()).event).toBe("sockeon.pong");
      const [readerId] = await server.getClientIds();
      reader.stopReading();
      const sender = await TestClient.connect(`ws://127.0.0.1:${listener.port}/`);
      // more than the kernel's socket buffers take, so Bun's own buffer fills and it refuses the rest
      sender.emit("burst", { target: readerId, count: 1500, size: 8 * 1024 });
      await sender.nextEvent("burst.sent");
      reader.resumeReading();
      const wrong: number[] = [];
      for (let i = 0; i < 1500; i++) if ((await reader.next()).data.i !== i) wrong.push(i);
      expect(wrong).toEqual([]);
      reader.send(JSON.stringify({ event: "sockeon.ping", data: {} }));
      expect((await reader.next()).event).toBe("sockeon.pong");
      await sender.close();
    } finally {
      reader.destroy();
      await listener.stop();
    }
  }, 30000);
});
