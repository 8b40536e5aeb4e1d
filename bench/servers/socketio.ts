/**
 * The benchmark app on socket.io 4.8 (Node), websocket transport only: `join` -> room "bench" and `joined`,
 * `say` -> `io.to("bench").emit("msg")`, `echo` -> `socket.emit("echo")`. Run with `--expose-gc`.
 * Prints `READY <port>`.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server } from "socket.io";
import { collectGarbage } from "./gc.ts";

const http = createServer((request, response) => {
  if (request.url === "/gc") response.end(String(collectGarbage()));
});
const io = new Server(http, { transports: ["websocket"], serveClient: false });
io.on("connection", (socket) => {
  socket.on("join", () => {
    void socket.join("bench");
    socket.emit("joined", {});
  });
  socket.on("say", (data: unknown) => io.to("bench").emit("msg", data));
  socket.on("echo", (data: unknown) => socket.emit("echo", data));
});
http.listen(0, "127.0.0.1", () => console.log(`READY ${(http.address() as AddressInfo).port}`));
