/**
 * A client that completes the handshake and then stops reading: the server must cut it once its unsent bytes
 * pass `maxBufferedAmount` (close 1008), keep its memory for that client bounded, and serve everyone else.
 */
import { createServer, SocketController, SocketOn } from "../../../src/index.ts";
import { describe, expect, test } from "../../support/test.ts";
import type { Fixture } from "../support/fixture.ts";
import { RawWebSocket } from "../support/raw-socket.ts";
import { recordLogs } from "../support/servers.ts";
import { ProbeController } from "./probe-controller.ts";

const LIMIT = 256 * 1024;
const FRAME_BYTES = 32 * 1024;
const FRAMES_PER_ROUND = 4;

class Flood extends SocketController {
  /** Sends `count` frames of about `size` bytes to `target`, then tells the sender whether `target` is still connected. */
  @SocketOn("flood")
  async flood(clientId: string, data: { target: string; count: number; size: number }): Promise<void> {
    const pad = "x".repeat(data.size);
    for (let i = 0; i < data.count; i++) this.emit(data.target, "flood", { i, pad });
    // the frames are written at the end of this turn; ask after that
    await new Promise((resolve) => setTimeout(resolve, 0));
    this.emit(clientId, "flooded", { connected: await this.isClientConnected(data.target) });
  }

  @SocketOn("flood.once")
  once(_clientId: string, data: { target: string; count: number; size: number }): void {
    const pad = "x".repeat(data.size);
    for (let i = 0; i < data.count; i++) this.emit(data.target, "flood", { i, pad });
  }
}

export function slowConsumerScenarios(fx: Fixture): void {
  const { connect, setup } = fx;

  describe(`${setup.name}: slow consumers`, () => {
    test("a client that stops reading is closed with 1008 once over maxBufferedAmount; memory stays bounded; others unaffected", async () => {
      const logs = recordLogs();
      const server = createServer({ port: 0, logger: logs.logger, maxBufferedAmount: LIMIT });
      server.register(new ProbeController(), new Flood());
      await fx.serveServer(server);
      const slow = await RawWebSocket.connect(fx.served.port);
      slow.send(JSON.stringify({ event: "echo", data: {} }));
      expect((await slow.nextFrame())?.opcode).toBe(0x1);
      const [slowId] = await server.getClientIds();
      slow.stopReading();
      const fast = await connect();

      // bounded: the kernel buffers take a few MB, then the runtime's buffer fills up to the limit
      let rounds = 0;
      for (; rounds < 2000; rounds++) {
        fast.emit("flood", { target: slowId, count: FRAMES_PER_ROUND, size: FRAME_BYTES });
        if (!(await fast.nextEvent("flooded")).data.connected) break;
      }
      expect(rounds < 2000).toBe(true);
      const cut = logs.lines.find((l) => l.message.startsWith(`Closing slow client ${slowId}`));
      expect(cut?.level).toBe("warning");
      // what the server held for the client when it cut it: at most the limit plus one turn's frames
      const unsent = Number(/: (\d+) bytes unsent/.exec(cut?.message ?? "")?.[1]);
      expect(unsent > LIMIT).toBe(true);
      expect(unsent <= LIMIT + FRAMES_PER_ROUND * (FRAME_BYTES + 64)).toBe(true);

      fast.emit("echo", { still: "served" });
      expect((await fast.nextEvent("echo")).data).toEqual({ still: "served" });
      expect((await server.getClientIds()).includes(slowId as string)).toBe(false);

      // reading again: the client gets what the kernel and runtime held, then the close frame
      slow.resumeReading();
      const closed = await slow.untilClose();
      expect(closed.frames > 0).toBe(true);
      expect(closed).toMatchObject({ code: 1008, reason: "Outbound buffer limit exceeded" });
      slow.destroy();
    }, 60000);

    test("one turn queueing more than maxBufferedAmount for a client cuts it without writing the excess", async () => {
      const logs = recordLogs();
      const server = createServer({ port: 0, logger: logs.logger, maxBufferedAmount: LIMIT });
      server.register(new ProbeController(), new Flood());
      await fx.serveServer(server);
      const victim = await connect();
      victim.emit("echo", {});
      await victim.next();
      const [victimId] = await server.getClientIds();
      const sender = await connect();
      // 64 x 32 KiB = 2 MiB in one turn, 8x the limit: cut as soon as the queue passes the limit
      sender.emit("flood.once", { target: victimId, count: 64, size: FRAME_BYTES });
      const closed = await victim.closed;
      expect(closed).toEqual({ code: 1008, reason: "Outbound buffer limit exceeded" });
      let received = 0;
      while (victim.pending > 0) {
        await victim.next();
        received++;
      }
      // nothing was written: the queue never reached the socket
      expect(received).toBe(0);
      sender.emit("echo", { ok: true });
      expect((await sender.nextEvent("echo")).data).toEqual({ ok: true });
    });
  });
}
