/// <reference lib="deno.ns" />
/**
 * The benchmark app on bare `Deno.serve` + `Deno.upgradeWebSocket`, with only the JSON work the app itself
 * needs; fan-out is a plain loop over the room. Run with `--v8-flags=--expose-gc`. Prints `READY <port>`.
 */
import { collectGarbage } from "./gc.ts";

const room = new Set<WebSocket>();

const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, (request) => {
  if (new URL(request.url).pathname === "/gc") {
    return new Response(String(collectGarbage()));
  }
  const { socket, response } = Deno.upgradeWebSocket(request, { idleTimeout: 120 });
  socket.onmessage = (event) => {
    const m = JSON.parse(event.data as string) as { event: string; data: unknown };
    if (m.event === "say") {
      const frame = JSON.stringify({ event: "msg", data: m.data });
      for (const peer of room) peer.send(frame);
    } else if (m.event === "echo") socket.send(JSON.stringify({ event: "echo", data: m.data }));
    else if (m.event === "join") {
      room.add(socket);
      socket.send(JSON.stringify({ event: "joined", data: {} }));
    }
  };
  socket.onclose = () => room.delete(socket);
  return response;
});
console.log(`READY ${(server.addr as Deno.NetAddr).port}`);
