/**
 * The benchmark app on bare Node `http` + `ws` (the library @hono/node-ws and socket.io build on), with only
 * the JSON work the app itself needs; fan-out is a plain loop over the room. Run with `--expose-gc`.
 * Prints `READY <port>`.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";
import { collectGarbage } from "./gc.ts";

const room = new Set<WebSocket>();
const http = createServer((request, response) => {
  response.end(request.url === "/gc" ? String(collectGarbage()) : "ok");
});
const wss = new WebSocketServer({ server: http });
wss.on("connection", (ws) => {
  ws.on("message", (raw, isBinary) => {
    const m = JSON.parse(isBinary ? String(raw) : raw.toString()) as { event: string; data: unknown };
    if (m.event === "say") {
      const frame = JSON.stringify({ event: "msg", data: m.data });
      for (const peer of room) peer.send(frame);
    } else if (m.event === "echo") ws.send(JSON.stringify({ event: "echo", data: m.data }));
    else if (m.event === "join") {
      room.add(ws);
      ws.send(JSON.stringify({ event: "joined", data: {} }));
    }
  });
  ws.on("close", () => room.delete(ws));
});
http.listen(0, "127.0.0.1", () => console.log(`READY ${(http.address() as AddressInfo).port}`));
