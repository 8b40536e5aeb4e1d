/// <reference types="bun" />
/**
 * The benchmark app on bare `Bun.serve`, with only the JSON work the app itself needs (parse, route by event,
 * serialise). MODE=publish fans out with native `server.publish` (rooms as topics); MODE=loop with a plain
 * `for (ws of room) ws.send(frame)`. Prints `READY <port>`.
 */
import type { ServerWebSocket } from "bun";
import { collectGarbage } from "./gc.ts";

const loop = process.env.MODE === "loop";
const room = new Set<ServerWebSocket<unknown>>();

const server = Bun.serve({
  port: 0,
  hostname: "127.0.0.1",
  fetch(request, srv) {
    if (new URL(request.url).pathname === "/gc") {
      return new Response(String(collectGarbage()));
    }
    if (srv.upgrade(request, { data: undefined })) return undefined;
    return new Response("upgrade expected", { status: 400 });
  },
  websocket: {
    idleTimeout: 120,
    sendPings: true,
    message(ws, text) {
      const m = JSON.parse(text as string) as { event: string; data: unknown };
      if (m.event === "say") {
        const frame = JSON.stringify({ event: "msg", data: m.data });
        if (loop) for (const peer of room) peer.send(frame);
        else server.publish("bench", frame);
      } else if (m.event === "echo") ws.send(JSON.stringify({ event: "echo", data: m.data }));
      else if (m.event === "join") {
        if (loop) room.add(ws);
        else ws.subscribe("bench");
        ws.send(JSON.stringify({ event: "joined", data: {} }));
      }
    },
    close(ws) {
      room.delete(ws);
    },
  },
});
console.log(`READY ${server.port}`);
