/**
 * The architecture's two paths, pinned (docs/architecture.md): one inbound frame goes adapter -> session.ts ->
 * dispatcher.ts -> handler, and one room broadcast goes handler -> server-api.ts -> delivery.ts -> outbound.ts ->
 * the socket (a flush through write-frames.ts), without entering any source file twice. Stacks are captured inside a handler and inside the
 * connection's `send` of the real adapter of each setup.
 */
import type { Connection, Host } from "../../../src/extend.ts";
import { hostOf } from "../../../src/extend.ts";
import { SocketController, SocketOn } from "../../../src/index.ts";
import { describe, expect, test } from "../../support/test.ts";
import type { Fixture } from "../support/fixture.ts";

/** The project source files (src/, adapters/) on a stack, innermost first, adjacent repeats collapsed. */
function sourcePath(stack: string | undefined): string[] {
  const files: string[] = [];
  for (const line of (stack ?? "").split("\n").slice(1)) {
    if (line.includes("node_modules")) continue;
    const match = /\/((?:src|adapters)\/[^\s():]+\.ts)/.exec(line);
    if (match && files.at(-1) !== match[1]) files.push(match[1] as string);
  }
  return files;
}

/** Whether no file appears twice (adjacent repeats are already collapsed). */
function enteredOnce(files: string[]): boolean {
  return new Set(files).size === files.length;
}

class PathProbe extends SocketController {
  handlerStack: string | undefined;

  @SocketOn("path.broadcast")
  sayToRoom(_clientId: string, data: { room: string }): void {
    this.handlerStack = new Error("handler").stack;
    this.broadcastToRoomClients("path.msg", { room: data.room }, data.room);
  }
}

/** Wraps every connection the adapter opens, recording the stack of each `path.msg` write by client order. */
function recordSends(host: Host): string[][] {
  const stacks: string[][] = [];
  const open = host.open.bind(host);
  (host as { open: Host["open"] }).open = (connection, ticket) => {
    const mine: string[] = [];
    stacks.push(mine);
    const recording: Connection = {
      send(frame) {
        if (frame.includes('"path.msg"')) mine.push(new Error("send").stack ?? "");
        return connection.send(frame);
      },
      close: (code, reason) => connection.close(code, reason),
      bufferedAmount: connection.bufferedAmount && (() => connection.bufferedAmount?.() ?? 0),
      cork: connection.cork && ((writes) => connection.cork?.(writes)),
      raw: connection.raw,
    };
    return open(recording, ticket);
  };
  return stacks;
}

export function pathScenarios(fx: Fixture): void {
  const { serve, connect, setup } = fx;

  describe(`${setup.name}: the inbound and broadcast paths`, () => {
    test("a frame reaches its handler through session.ts and dispatcher.ts; a room broadcast reaches the sockets through server-api.ts, delivery.ts and outbound.ts; no file is entered twice", async () => {
      const probe = new PathProbe();
      const server = (await serve()).register(probe);
      const sends = recordSends(hostOf(server));
      const sender = await connect();
      const member = await connect();
      for (const client of [sender, member]) {
        client.emit("join_room", { room: "paths" });
        expect((await client.next()).event).toBe("room_joined");
      }
      sender.emit("path.broadcast", { room: "paths" });
      for (const client of [sender, member]) expect((await client.next()).event).toBe("path.msg");

      const inbound = sourcePath(probe.handlerStack);
      expect(inbound.slice(0, 2)).toEqual(["src/engine/dispatcher.ts", "src/engine/session.ts"]);
      expect(inbound.slice(2).every((file) => file.startsWith("adapters/"))).toBe(true);
      expect(enteredOnce(inbound)).toBe(true);

      // the sender's copy is its reply, written at once: the whole path from the adapter to its socket
      const toSender = sourcePath(sends[0]?.[0]);
      expect(toSender.slice(0, 5)).toEqual([
        "src/engine/outbound.ts",
        "src/engine/delivery.ts",
        "src/api/server-api.ts",
        "src/engine/dispatcher.ts",
        "src/engine/session.ts",
      ]);
      expect(enteredOnce(toSender)).toBe(true);
      // the other member's copy waits for the end of the turn, then leaves in one flush
      const toMember = sourcePath(sends[1]?.[0]);
      expect(toMember).toEqual(["src/engine/write-frames.ts", "src/engine/outbound.ts", "src/engine/flush-queue.ts"]);
    });
  });
}
