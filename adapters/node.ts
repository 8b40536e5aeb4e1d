import { type IncomingMessage, STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
import { serve as nodeServe } from "@hono/node-server";
import type { Hono } from "hono";
import { type WebSocket, WebSocketServer } from "ws";
import type { Listener, ListenOptions, SockeonServer, Ticket } from "../src/index.ts";
import { nodeConnection } from "./node-connection.ts";
import { startHeartbeat } from "./node-heartbeat.ts";

/** Node-specific options. */
export interface NodeServeOptions extends ListenOptions {
  /** Heartbeat seconds (`ws` ping/pong); default the server's `idleTimeout` (120), 0 disables. */
  idleTimeout?: number;
}

/** Handles for a running Node listener. */
export interface NodeListener extends Listener {
  /** The Hono app answering plain HTTP requests (`server.app`). */
  readonly app: Hono;
}

/**
 * Serves a sockeon-ts server on Node: HTTP through `@hono/node-server`, WebSocket upgrades straight to `ws`
 * (no per-socket Hono context is kept, and rejected handshakes get their full response). Resolves once bound.
 * @example const listener = await serveNode(createServer().register(new Chat()), { port: 6001 });
 */
export async function serveNode(server: SockeonServer, options: NodeServeOptions = {}): Promise<NodeListener> {
  // ws closes with 1009 before an oversize frame reaches JS
  const wss = new WebSocketServer({ noServer: true, maxPayload: server.options.maxMessageSize, perMessageDeflate: false });
  const stopHeartbeat = startHeartbeat(wss, options.idleTimeout ?? server.options.idleTimeout);
  const hostname = options.hostname ?? server.options.host;
  const fetch = (request: Request, env: { incoming: { socket: { remoteAddress?: string } } }) =>
    server.fetch(request, { remoteAddress: env.incoming.socket.remoteAddress });
  return await new Promise((resolve) => {
    const http = nodeServe({ fetch, port: options.port ?? server.options.port, hostname }, (info) => {
      const listener: NodeListener = { app: server.app, port: info.port, hostname, stop: () => server.close() };
      options.onListen?.(listener);
      resolve(listener);
    });
    http.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => void upgrade(server, wss, req, socket, head));
    // stop listening first; once the shutdown is done, cut the sockets that did not close in time
    const closedHttp = new Promise<void>((done) => server.onShutdown(() => void http.close(() => done()), "accepting"));
    server.onShutdown(() => {
      stopHeartbeat();
      for (const client of wss.clients) client.terminate();
      (http as { closeAllConnections?: () => void }).closeAllConnections?.();
      return closedHttp;
    });
  });
}

async function upgrade(server: SockeonServer, wss: WebSocketServer, req: IncomingMessage, socket: Duplex, head: Buffer) {
  // a peer that resets mid-handshake must not crash the process
  const onError = (): void => void socket.destroy();
  socket.on("error", onError);
  // Node already joined repeated headers (set-cookie, the one list, cannot appear in an upgrade request), so the
  // parsed record goes in as is: one Headers object per upgrade instead of two
  const request = new Request(`http://${req.headers.host ?? "localhost"}${req.url ?? "/"}`, {
    headers: req.headers as Record<string, string>,
  });
  const verdict = await server.handshake(request, { remoteAddress: req.socket.remoteAddress });
  if (verdict instanceof Response) return void (await refuse(socket, verdict));
  // from here ws owns the socket and its errors
  socket.off("error", onError);
  wss.handleUpgrade(req, socket, head, (ws) => {
    attach(server, ws, verdict);
    // noServer mode does not emit it; the heartbeat listens for it
    wss.emit("connection", ws, req);
  });
}

/** Wires an upgraded socket to a new session; its own scope, so the listeners keep nothing of the handshake. */
function attach(server: SockeonServer, ws: WebSocket, ticket: Ticket): void {
  const session = server.open(nodeConnection(ws), ticket);
  ws.on("message", (data: Buffer, isBinary: boolean) => session.message(isBinary ? data : data.toString()));
  // protocol errors (oversize 1009, bad UTF-8 1007) are followed by a close event, which releases the session
  ws.on("error", () => {});
  ws.on("close", (code: number, reason: Buffer) => session.closed(code, reason.toString()));
}

/** Writes a rejected handshake's whole response (status, headers, body) and closes the socket. */
async function refuse(socket: Duplex, response: Response): Promise<void> {
  const body = Buffer.from(await response.arrayBuffer());
  let head = `HTTP/1.1 ${response.status} ${response.statusText || STATUS_CODES[response.status] || ""}\r\n`;
  response.headers.forEach((value, name) => {
    if (name !== "content-length" && name !== "connection") head += `${name}: ${value}\r\n`;
  });
  socket.end(Buffer.concat([Buffer.from(`${head}content-length: ${body.length}\r\nconnection: close\r\n\r\n`, "latin1"), body]));
}

// for users who wire @hono/node-ws into their own Node app: the same heartbeat and rejection bodies
export { startHeartbeat } from "./node-heartbeat.ts";
export { keepRejectionBodies } from "./node-rejections.ts";
