import type { IncomingMessage } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { Duplex } from "node:stream";
import { serve as nodeServe } from "@hono/node-server";
import type { Hono } from "hono";
import { type WebSocket, WebSocketServer } from "ws";
import { type Host, hostOf, runtimeFrameLimit, type SocketHandle, type Ticket } from "../src/extend.ts";
import type { Listener, ListenOptions, SockeonServer } from "../src/index.ts";
import { nodeConnection } from "./node-connection.ts";
import { startHeartbeat } from "./node-heartbeat.ts";
import { requestOf, writeResponse } from "./node-http.ts";

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
  const host = hostOf(server);
  // over the hard limit ws closes with 1009 before the frame reaches JS; below it the core answers
  const maxPayload = runtimeFrameLimit(host.options.maxMessageSize);
  const wss = new WebSocketServer({ noServer: true, maxPayload, perMessageDeflate: false, handleProtocols });
  const stopHeartbeat = startHeartbeat(wss, options.idleTimeout ?? host.options.idleTimeout);
  const hostname = options.hostname ?? host.options.host;
  // an upgrade Node did not flag as one (no `Connection: upgrade`) still gets the core's answer, as on Bun and Deno
  const fetch = async (request: Request, env: { incoming: { socket: { remoteAddress?: string } } }) => {
    const accepted = await host.accept(request, { remoteAddress: env.incoming.socket.remoteAddress });
    return accepted.response ?? host.abandon(accepted.ticket);
  };
  return await new Promise((resolve) => {
    const tls = options.tls && {
      createServer: createHttpsServer,
      serverOptions: { cert: options.tls.cert, key: options.tls.key },
    };
    const http = nodeServe({ fetch, port: options.port ?? host.options.port, hostname, ...tls }, (info) => {
      const listener: NodeListener = { app: server.app, port: info.port, hostname, stop: () => host.close() };
      options.onListen?.(listener);
      resolve(listener);
    });
    // nothing a client sends may reject unhandled (Node exits on that): drop the socket instead
    http.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) =>
      upgrade(host, wss, req, socket, head).catch(() => socket.destroy()),
    );
    const closed = new Promise<void>((done) => host.listening({ stopAccepting: () => void http.close(() => done()) }));
    host.listening({
      // once the shutdown is done, cut the sockets that did not close in time
      closeAll: () => {
        stopHeartbeat();
        for (const client of wss.clients) client.terminate();
        (http as { closeAllConnections?: () => void }).closeAllConnections?.();
        return closed;
      },
    });
  });
}

async function upgrade(host: Host, wss: WebSocketServer, req: IncomingMessage, socket: Duplex, head: Buffer) {
  // a peer that resets mid-handshake must not crash the process
  const onError = (): void => void socket.destroy();
  socket.on("error", onError);
  const request = requestOf(req);
  const accepted = request ? await host.accept(request, { remoteAddress: req.socket.remoteAddress }) : undefined;
  if (!accepted?.response && accepted?.ticket) {
    // from here ws owns the socket and its errors
    socket.off("error", onError);
    const ticket = accepted.ticket;
    protocols.set(req, ticket.protocol ?? false);
    // ws refused it after all (it answers the client itself): the slot is given back at once
    const refused = (): void => void host.abandon(ticket);
    socket.once("close", refused);
    wss.handleUpgrade(req, socket, head, (ws) => {
      socket.off("close", refused);
      attach(host, ws, ticket);
      // noServer mode does not emit it; the heartbeat listens for it
      wss.emit("connection", ws, req);
    });
    return;
  }
  await writeResponse(socket, accepted?.response ?? new Response("Bad Request", { status: 400 }));
}

/** The subprotocol the core chose for each upgrade in flight. */
const protocols = new WeakMap<IncomingMessage, string | false>();
const handleProtocols = (_offered: Set<string>, req: IncomingMessage): string | false => protocols.get(req) ?? false;

/** Each socket's session, on the socket itself: the listeners below are shared, `this` is the socket. */
const HANDLE = Symbol("sockeon-ts.handle");
type Attached = WebSocket & { [HANDLE]: SocketHandle };

/** Wires an upgraded socket to a new session with shared listeners: no closures or scope kept per socket. */
function attach(host: Host, ws: WebSocket, ticket: Ticket): void {
  (ws as Attached)[HANDLE] = host.open(nodeConnection(ws), ticket);
  ws.on("message", onMessage);
  ws.on("error", onError);
  ws.on("close", onClose);
}

function onMessage(this: WebSocket, data: Buffer, isBinary: boolean): void {
  (this as Attached)[HANDLE].message(isBinary ? data : data.toString());
}

// protocol errors (oversize 1009, bad UTF-8 1007) are followed by a close event, which releases the session
function onError(): void {}

function onClose(this: WebSocket, code: number, reason: Buffer): void {
  (this as Attached)[HANDLE].closed(code, reason.toString());
}

// for users who wire @hono/node-ws into their own Node app: the same heartbeat and rejection bodies
export { startHeartbeat } from "./node-heartbeat.ts";
export { keepRejectionBodies } from "./node-rejections.ts";
