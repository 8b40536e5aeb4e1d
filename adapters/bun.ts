/// <reference types="bun" />
import type { Server, ServerWebSocket, WebSocketHandler } from "bun";
import type { Listener, ListenOptions, Session, SockeonServer, Ticket } from "../src/index.ts";

type SocketData = { ticket: Ticket; session?: Session };

/** Bun's own WebSocket settings a user may pass through (compression, backpressure, ...); handlers stay ours. */
export type BunWebSocketSettings = Omit<
  WebSocketHandler<unknown>,
  "data" | "open" | "message" | "close" | "drain" | "ping" | "pong" | "error"
>;

/** Bun-specific options; heartbeat through Bun's own `idleTimeout` + `sendPings`. */
export interface BunServeOptions extends ListenOptions {
  /** Seconds without a pong before Bun closes the socket; default the server's `idleTimeout` (120), 0 disables. */
  idleTimeout?: number;
  /** Passed through to `Bun.serve({ websocket })`, e.g. `{ perMessageDeflate: true, backpressureLimit: 1 << 20 }`. */
  websocket?: BunWebSocketSettings;
}

/**
 * The Bun WebSocket settings a sockeon-ts server needs: frame limit and heartbeat. Spread them into your own
 * `Bun.serve({ websocket })`, e.g. under Hono: `websocket: { ...websocket, ...bunWebSocketOptions(server) }`.
 * @param idleTimeout overrides the server's `idleTimeout` option
 */
export function bunWebSocketOptions(
  server: SockeonServer,
  idleTimeout: number = server.options.idleTimeout,
): { maxPayloadLength: number; idleTimeout: number; sendPings: boolean } {
  // Bun closes with 1009 itself before the frame reaches JS; sendPings keeps answering peers alive
  return { maxPayloadLength: server.options.maxMessageSize, idleTimeout, sendPings: idleTimeout > 0 };
}

/** Handles for a running Bun listener: the common {@link Listener} plus Bun's own server. */
export interface BunListener extends Listener {
  readonly bun: Server<SocketData>;
}

/**
 * Serves a sockeon-ts server with `Bun.serve`: WebSocket upgrades on any path, other requests to `server.app`.
 * @example const listener = serveBun(createServer().register(new Chat()), { port: 6001 });
 */
export function serveBun(server: SockeonServer, options: BunServeOptions = {}): BunListener {
  const bun: Server<SocketData> = Bun.serve<SocketData>({
    port: options.port ?? server.options.port,
    hostname: options.hostname ?? server.options.host,
    async fetch(request, srv) {
      const peer = { remoteAddress: srv.requestIP(request)?.address };
      if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") return server.fetch(request, peer);
      const verdict = await server.handshake(request, peer);
      if (verdict instanceof Response) return verdict;
      if (srv.upgrade(request, { data: { ticket: verdict } })) return undefined;
      return new Response("Invalid WebSocket request", { status: 400 });
    },
    websocket: {
      ...bunWebSocketOptions(server, options.idleTimeout),
      ...options.websocket,
      open(ws) {
        ws.data.session = server.open(connectionOf(ws), ws.data.ticket);
      },
      message(ws, message) {
        ws.data.session?.message(message);
      },
      close(ws, code, reason) {
        ws.data.session?.closed(code, reason);
      },
    },
  });
  const listener: BunListener = {
    bun,
    port: bun.port as number,
    hostname: bun.hostname as string,
    stop: () => bun.stop(true),
  };
  options.onListen?.(listener);
  return listener;
}

function connectionOf(ws: ServerWebSocket<SocketData>) {
  return {
    send: (frame: string) => ws.send(frame),
    close: (code?: number, reason?: string) => ws.close(code, reason),
    bufferedAmount: () => ws.getBufferedAmount(),
    cork: (writes: () => void) => void ws.cork(writes),
    raw: ws,
  };
}
