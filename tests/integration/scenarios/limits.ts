/**
 * Limits a hostile or broken client meets: frame size (1009), JSON depth, binary and invalid UTF-8 frames, and
 * the connection caps checked at the handshake (503 / 429, read from a raw HTTP upgrade).
 */
import { OnDisconnect, SockeonServer, SocketController } from "../../../src/index.ts";
import { describe, expect, test } from "../../support/test.ts";
import type { TestClient } from "../support/client.ts";
import type { Fixture } from "../support/fixture.ts";
import { RawWebSocket, rawUpgrade } from "../support/raw-socket.ts";
import { recordLogs } from "../support/servers.ts";
import { ProbeController } from "./probe-controller.ts";

/** Resolves each time a client disconnects, so a test can wait for the server to free a slot. */
class DisconnectWatch extends SocketController {
  #waiters: Array<(id: string) => void> = [];
  readonly gone: string[] = [];

  @OnDisconnect
  left(clientId: string): void {
    this.gone.push(clientId);
    for (const waiter of this.#waiters.splice(0)) waiter(clientId);
  }

  /** Resolves once `count` clients in total have disconnected. */
  async until(count: number): Promise<void> {
    while (this.gone.length < count) await new Promise<string>((resolve) => this.#waiters.push(resolve));
  }
}

/** Every frame the client got before its close, and the close. */
async function framesUntilClose(client: TestClient): Promise<{ code: number; reason: string; frames: string[] }> {
  const { code, reason } = await client.closed;
  const frames: string[] = [];
  while (client.pending > 0) frames.push(await client.nextRaw());
  return { code, reason, frames };
}

export function limitScenarios(fx: Fixture): void {
  const { serve, connect, setup } = fx;
  // the runtime's own limit (Bun maxPayloadLength, ws maxPayload) is max(2 x maxMessageSize, 1 MiB): frames
  // between the two reach the core on every runtime; Deno has no such option and reads every frame

  describe(`${setup.name}: frame limits`, () => {
    const oversize: Array<[string, () => string | Uint8Array]> = [
      ["text", () => JSON.stringify({ event: "echo", data: { pad: "x".repeat(1100) } })],
      ["binary", () => new TextEncoder().encode(JSON.stringify({ event: "echo", data: { pad: "x".repeat(1100) } }))],
      // 600 UTF-16 units but 1200 UTF-8 bytes: the limit counts bytes, as PHP's strlen does
      ["multi-byte text", () => JSON.stringify({ event: "echo", data: { pad: "é".repeat(600) } })],
    ];
    for (const [kind, payload] of oversize) {
      test(`an oversize ${kind} frame gets the error frame, then close 1009 "Message too big"; others keep working`, async () => {
        (await serve({ maxMessageSize: 1024 })).register(new ProbeController());
        const a = await connect();
        const b = await connect();
        a.send(payload());
        const { code, reason, frames } = await framesUntilClose(a);
        expect([code, reason, frames.length]).toEqual([1009, "Message too big", 1]);
        expect(JSON.parse(frames[0] as string).data.message).toBe("Message payload too large");
        b.emit("echo", { ok: 1 });
        expect(await b.next()).toEqual({ event: "echo", data: { ok: 1 } });
      });
    }

    test("a frame over the runtime's hard limit (max(2 x maxMessageSize, 1 MiB)) is closed with 1009; others keep working", async () => {
      (await serve({ maxMessageSize: 1024 })).register(new ProbeController());
      const a = await connect();
      const b = await connect();
      a.send(JSON.stringify({ event: "echo", data: { pad: "x".repeat(1_100_000) } }));
      const { code, frames } = await framesUntilClose(a);
      expect(code).toBe(1009);
      // Bun and ws close before JS sees the frame; Deno reads it, so the core answers first
      expect(frames.length).toBe(setup.name.includes("deno") ? 1 : 0);
      b.emit("echo", { ok: 1 });
      expect(await b.next()).toEqual({ event: "echo", data: { ok: 1 } });
    });

    test("a frame of exactly maxMessageSize bytes is accepted", async () => {
      (await serve({ maxMessageSize: 1024 })).register(new ProbeController());
      const a = await connect();
      const base = JSON.stringify({ event: "echo", data: { pad: "" } });
      const frame = JSON.stringify({ event: "echo", data: { pad: "é".repeat((1024 - base.length) / 2) } });
      expect(new TextEncoder().encode(frame).length).toBe(1024);
      a.send(frame);
      expect((await a.next()).event).toBe("echo");
    });

    test("JSON nested deeper than maxJsonDepth gets the depth error; at the limit it is accepted", async () => {
      (await serve({ maxJsonDepth: 8 })).register(new ProbeController());
      const a = await connect();
      // the frame object is level 1, so 7 nested arrays in data make depth 8
      a.send(`{"event":"echo","data":${"[".repeat(7)}${"]".repeat(7)}}`);
      expect((await a.next()).event).toBe("echo");
      a.send(`{"event":"echo","data":${"[".repeat(8)}${"]".repeat(8)}}`);
      expect((await a.next()).data.message).toBe("Invalid JSON format: Maximum stack depth exceeded");
      // brackets inside strings do not count
      a.send(JSON.stringify({ event: "echo", data: { s: "[[[[[[[[[[[[" } }));
      expect(await a.next()).toEqual({ event: "echo", data: { s: "[[[[[[[[[[[[" } });
    });

    test("a 100,000-deep document is refused without reaching the JSON parser; the server keeps serving", async () => {
      (await serve({ maxMessageSize: 1 << 20 })).register(new ProbeController());
      const a = await connect();
      a.send(`{"event":"echo","data":${"[".repeat(100_000)}${"]".repeat(100_000)}}`);
      expect((await a.next()).data.message).toBe("Invalid JSON format: Maximum stack depth exceeded");
      a.emit("echo", { alive: true });
      expect(await a.next()).toEqual({ event: "echo", data: { alive: true } });
    });

    test("binary frames are UTF-8 JSON; invalid UTF-8 in one is invalid JSON and the connection stays open", async () => {
      (await serve()).register(new ProbeController());
      const a = await connect();
      a.send(new TextEncoder().encode(JSON.stringify({ event: "echo", data: ["ünïcödé", "🎉"] })));
      expect(await a.next()).toEqual({ event: "echo", data: ["ünïcödé", "🎉"] });
      a.send(new Uint8Array([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d]));
      expect((await a.next()).data.message).toMatch(/^Invalid JSON format: /);
      a.emit("echo", { open: true });
      expect(await a.next()).toEqual({ event: "echo", data: { open: true } });
    });

    test("invalid UTF-8 in a text frame is refused by the runtime; the server frees the client, others unaffected", async () => {
      const watch = new DisconnectWatch();
      (await serve()).register(new ProbeController(), watch);
      const b = await connect();
      const raw = await RawWebSocket.connect(fx.served.port);
      raw.send(new Uint8Array([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d]), 0x1);
      const closed = await raw.untilClose();
      // Bun and ws answer 1007 (RFC 6455 8.1); Deno drops the TCP connection without a close frame
      expect(closed.code).toBe(setup.name === "deno" ? undefined : 1007);
      expect(closed.frames).toBe(0);
      raw.destroy();
      await watch.until(1);
      b.emit("echo", { ok: 1 });
      expect(await b.next()).toEqual({ event: "echo", data: { ok: 1 } });
    });
  });

  describe(`${setup.name}: connection caps at the handshake`, () => {
    test("maxConnections: the next upgrade gets 503 Connection limit reached, and a slot frees on disconnect", async () => {
      const watch = new DisconnectWatch();
      (await serve({ maxConnections: 2 })).register(new ProbeController(), watch);
      const a = await connect();
      await connect();
      const refused = await rawUpgrade(fx.served.port);
      expect(refused.status).toBe(503);
      expect(refused.body).toBe("Connection limit reached");
      await a.close();
      await watch.until(1);
      const accepted = await RawWebSocket.connect(fx.served.port);
      accepted.destroy();
    });

    test("maxConnectionsPerIp: the next upgrade from the same address gets 429; other clients are not counted", async () => {
      const watch = new DisconnectWatch();
      (await serve({ maxConnectionsPerIp: 1 })).register(new ProbeController(), watch);
      const a = await connect();
      const refused = await rawUpgrade(fx.served.port);
      expect(refused.status).toBe(429);
      expect(refused.body).toBe("Too many connections from this address");
      // without trustProxy a forwarded header does not change the address
      expect((await rawUpgrade(fx.served.port, { headers: { "X-Forwarded-For": "203.0.113.9" } })).status).toBe(429);
      await a.close();
      await watch.until(1);
      const again = await connect();
      again.emit("echo", {});
      expect((await again.next()).event).toBe("echo");
    });

    test("maxConnectionsPerIp counts the forwarded address when the peer is a trusted proxy", async () => {
      (await serve({ maxConnectionsPerIp: 1, trustProxy: ["127.0.0.1/32", "::1"] })).register(new ProbeController());
      const first = await RawWebSocket.connect(fx.served.port, { headers: { "X-Forwarded-For": "203.0.113.1" } });
      const second = await RawWebSocket.connect(fx.served.port, { headers: { "X-Forwarded-For": "203.0.113.2" } });
      const refused = await rawUpgrade(fx.served.port, { headers: { "X-Forwarded-For": "198.51.100.7, 203.0.113.1" } });
      expect(refused.status).toBe(429);
      first.destroy();
      second.destroy();
    });

    test("a handshake refused by a later step holds no slot", async () => {
      let refuse = true;
      class GatedServer extends SockeonServer {
        constructor() {
          super({ maxConnections: 1, logger: recordLogs().logger });
          this.addHandshakeMiddleware(() => (refuse ? new Response("no", { status: 401 }) : undefined));
        }
      }
      await fx.serveServer(new GatedServer().register(new ProbeController()));
      for (let i = 0; i < 3; i++) expect((await rawUpgrade(fx.served.port)).status).toBe(401);
      refuse = false;
      const a = await connect();
      a.emit("echo", { in: true });
      expect((await a.next()).data).toEqual({ in: true });
    });
  });
}
