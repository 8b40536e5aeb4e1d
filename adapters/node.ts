import { type IncomingMessage, STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
import { serve as nodeServe } from "@hono/node-server";
import { createNodeWebSocket } from "@hono/node-ws";
import { Hono } from "hono";
import type { Listener, ListenOptions, SockeonServer } from "../src/index.ts";

type WebSocketServer = ReturnType<typeof createNodeWebSocket>["wss"];

/** Handles for a running Node listener. */
export interface NodeListener extends Listener {
  /** The Hono app serving plain HTTP requests (`server.app` mounted at `/`). */
  readonly app: Hono;
}

/**
 * Serves a sockeon-ts server on Node: HTTP through `@hono/node-server`, WebSocket upgrades through the `ws` server
 * of `@hono/node-ws`. Resolves once the port is bound.
 * @example const listener = await serveNode(createServer().register(new Chat()), { port: 6001 });
 */
export async function serveNode(server: SockeonServer, options: ListenOptions = {}): Promise<NodeListener> {
  const app = new Hono();
  app.route("/", server.app);
  // only its ws server: the upgrade is decided here, so a refused one keeps its body and headers
  const { wss } = createNodeWebSocket({ app });
  // ws closes with 1009 before the frame reaches JS
  (wss.options as { maxPayload?: number }).maxPayload = server.options.maxMessageSize;
  return await new Promise((resolve) => {
    const http = nodeServe(
      { fetch: app.fetch, port: options.port ?? server.options.port, hostname: options.hostname ?? server.options.host },
      (info) => {
        const listener: NodeListener = {
          app,
          port: info.port,
          hostname: options.hostname ?? server.options.host,
          stop: () => server.close(),
        };
        options.onListen?.(listener);
        resolve(listener);
      },
    );
    http.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => void upgrade(server, wss, req, socket, head));
    // stop listening first; once the shutdown is done, cut the sockets that did not close in time
    const closedHttp = new Promise<void>((done) => server.onShutdown(() => void http.close(() => done()), "accepting"));
    server.onShutdown(() => {
      for (const client of wss.clients) client.terminate();
      (http as { closeAllConnections?: () => void }).closeAllConnections?.();
      return closedHttp;
    });
  });
}

async function upgrade(server: SockeonServer, wss: WebSocketServer, req: IncomingMessage, socket: Duplex, head: Buffer) {
  // a peer that resets mid-handshake must not crash the process
  socket.on("error", () => socket.destroy());
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) if (value !== undefined) headers.set(key, String(value));
  const request = new Request(`http://${req.headers.host ?? "localhost"}${req.url ?? "/"}`, { headers });
  const verdict = await server.handshake(request, { remoteAddress: req.socket.remoteAddress });
  if (verdict instanceof Response) {
    const body = Buffer.from(await verdict.arrayBuffer());
    const lines = [
      `HTTP/1.1 ${verdict.status} ${STATUS_CODES[verdict.status] ?? ""}`,
      "Connection: close",
      `Content-Length: ${body.length}`,
    ];
    for (const [key, value] of verdict.headers) if (key !== "content-length") lines.push(`${key}: ${value}`);
    socket.end(Buffer.concat([Buffer.from(`${lines.join("\r\n")}\r\n\r\n`), body]));
    return;
  }
  wss.handleUpgrade(req, socket, head, (ws) => {
    const session = server.open(
      {
        send: (frame) => ws.send(frame),
        close: (code, reason) => ws.close(code, reason),
        bufferedAmount: () => ws.bufferedAmount,
        raw: ws,
      },
      verdict,
    );
    ws.on("message", (data: Buffer, isBinary: boolean) => session.message(isBinary ? data : data.toString()));
    ws.on("close", (code: number, reason: Buffer) => session.closed(code, reason.toString()));
    // protocol errors (1007, 1009) are the client's: ws closes the socket and "close" follows
    ws.on("error", () => {});
  });
}
