/**
 * Slow consumers: a client that completes the handshake and then stops reading is cut with 1008 once its unsent
 * bytes stay over `maxBufferedAmount` while its socket writes nothing out, or pass the burst cap (4 x the limit);
 * the server's memory for it stays bounded and everyone else is served. A client that reads gets a burst between
 * the limit and the cap in full.
 */
import type { Engine } from "../../../src/engine/engine.ts";
import { hostOf } from "../../../src/extend.ts";
import { createServer, type SockeonServer, SocketController, SocketOn } from "../../../src/index.ts";
import { describe, expect, test } from "../../support/test.ts";
import type { Fixture } from "../support/fixture.ts";
import { RawWebSocket } from "../support/raw-socket.ts";
import { type LogRecorder, recordLogs } from "../support/servers.ts";
import { ProbeController } from "./probe-controller.ts";

const LIMIT = 256 * 1024;
const BURST_CAP = 4 * LIMIT;
const FRAME_BYTES = 32 * 1024;
const FRAMES_PER_ROUND = 4;
const STALLED = "nothing written for 2000 ms";
const OVER_CAP = "over the burst cap";

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

/** Frames the server holds back for a client (its runtime buffer is full); the test peeks at the engine. */
function heldBack(server: SockeonServer, clientId: string): number {
  return (hostOf(server) as Engine).state.sessions.get(clientId)?.queued ?? 0;
}

/** The slow-consumer warning for `clientId`: its unsent bytes and why it was cut. */
function cutOf(logs: LogRecorder, clientId: string): { level?: string; unsent: number; why: string } {
  const line = logs.lines.find((l) => l.message.startsWith(`Closing slow client ${clientId}`));
  const match = /: (\d+) bytes unsent \((.*)\)$/.exec(line?.message ?? "");
  return { level: line?.level, unsent: Number(match?.[1]), why: match?.[2] ?? "" };
}

export function slowConsumerScenarios(fx: Fixture): void {
  const { connect, setup } = fx;

  async function stalledClient(): Promise<{ server: SockeonServer; logs: LogRecorder; slow: RawWebSocket; slowId: string }> {
    const logs = recordLogs();
    const server = createServer({ port: 0, logger: logs.logger, maxBufferedAmount: LIMIT });
    server.register(new ProbeController(), new Flood());
    await fx.serveServer(server);
    const slow = await RawWebSocket.connect(fx.served.port);
    slow.send(JSON.stringify({ event: "echo", data: {} }));
    expect((await slow.nextFrame())?.opcode).toBe(0x1);
    const [slowId] = await server.getClientIds();
    slow.stopReading();
    return { server, logs, slow, slowId: slowId as string };
  }

  describe(`${setup.name}: slow consumers`, () => {
    test("a client that stops reading is closed with 1008; unsent bytes stay within the burst cap; others unaffected", async () => {
      const { server, logs, slow, slowId } = await stalledClient();
      const fast = await connect();
      // bounded: the kernel buffers take a few MB, then the runtime's buffer and the server's queue fill up
      let rounds = 0;
      for (; rounds < 2000; rounds++) {
        fast.emit("flood", { target: slowId, count: FRAMES_PER_ROUND, size: FRAME_BYTES });
        if (!(await fast.nextEvent("flooded")).data.connected) break;
      }
      expect(rounds < 2000).toBe(true);
      const cut = cutOf(logs, slowId);
      expect(cut.level).toBe("warning");
      expect([STALLED, OVER_CAP].includes(cut.why)).toBe(true);
      // what the server held for the client when it cut it: more than the limit, at most the cap plus one turn
      expect(cut.unsent > LIMIT).toBe(true);
      expect(cut.unsent <= BURST_CAP + FRAMES_PER_ROUND * (FRAME_BYTES + 64)).toBe(true);

      fast.emit("echo", { still: "served" });
      expect((await fast.nextEvent("echo")).data).toEqual({ still: "served" });
      expect((await server.getClientIds()).includes(slowId)).toBe(false);

      // reading again: the client gets what the kernel and runtime held, then the close frame
      slow.resumeReading();
      const closed = await slow.untilClose();
      expect(closed.frames > 0).toBe(true);
      expect(closed).toMatchObject({ code: 1008, reason: "Outbound buffer limit exceeded" });
      slow.destroy();
    }, 60000);

    test("a client over the limit whose socket writes nothing out is cut even when nothing more is sent to it", async () => {
      const { server, logs, slow, slowId } = await stalledClient();
      const fast = await connect();
      // flood only until the server starts holding frames back (its runtime buffer is at the limit), then stop
      let rounds = 0;
      for (; rounds < 2000 && heldBack(server, slowId) === 0; rounds++) {
        fast.emit("flood", { target: slowId, count: 1, size: FRAME_BYTES });
        expect((await fast.nextEvent("flooded")).data.connected).toBe(true);
      }
      expect(rounds < 2000).toBe(true);
      // no more frames for it: the backlog check cuts it once its socket wrote nothing for the stall window
      await logs.line(`Closing slow client ${slowId}`);
      const cut = cutOf(logs, slowId);
      expect(cut.why).toBe(STALLED);
      expect(cut.unsent > LIMIT && cut.unsent <= BURST_CAP).toBe(true);
      expect((await server.getClientIds()).includes(slowId)).toBe(false);
      fast.emit("echo", { still: "served" });
      expect((await fast.nextEvent("echo")).data).toEqual({ still: "served" });
      slow.destroy();
    }, 60000);

    test("one turn queueing more than the burst cap (4 x maxBufferedAmount) for a client cuts it without writing the excess", async () => {
      const logs = recordLogs();
      const server = createServer({ port: 0, logger: logs.logger, maxBufferedAmount: LIMIT });
      server.register(new ProbeController(), new Flood());
      await fx.serveServer(server);
      const victim = await connect();
      victim.emit("echo", {});
      await victim.next();
      const [victimId] = await server.getClientIds();
      const sender = await connect();
      // 64 x 32 KiB = 2 MiB in one turn, twice the cap: cut as soon as the queue passes it
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
      expect(cutOf(logs, victimId as string).why).toBe(OVER_CAP);
      sender.emit("echo", { ok: true });
      expect((await sender.nextEvent("echo")).data).toEqual({ ok: true });
    });

    test("one turn queueing between maxBufferedAmount and the burst cap for a reading client: all delivered, in order, still open", async () => {
      const server = await fx.serve({ maxBufferedAmount: LIMIT });
      server.register(new ProbeController(), new Flood());
      const reader = await connect();
      reader.emit("echo", {});
      await reader.next();
      const [readerId] = await server.getClientIds();
      // 24 x 32 KiB = 768 KiB in one turn: three times the limit, within the cap
      reader.emit("flood.once", { target: readerId, count: 24, size: FRAME_BYTES });
      for (let i = 0; i < 24; i++) expect((await reader.next()).data.i).toBe(i);
      expect(await reader.nothingPending()).toBeUndefined();
    });
  });
}
