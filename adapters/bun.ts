/// <reference types="bun" />
import type { Server, ServerWebSocket, WebSocketHandler } from "bun";
import { type Connection, hostOf, runtimeFrameLimit, type SocketHandle, type Ticket } from "../src/extend.ts";
import type { Listener, ListenOptions, SockeonServer } from "../src/index.ts";

// the ticket until open, then the socket's handle in its place: no wrapper object per socket, and the
// handshake data is not kept for the socket's lifetime
type SocketData = Ticket | SocketHandle;

/** Whether a socket's data is already its handle (Bun opens every socket it upgraded before closing it). */
const opened = (data: SocketData): data is SocketHandle => typeof (data as SocketHandle).closed === "function";

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
  // over the hard limit Bun closes with 1009 before the frame reaches JS; below it the core answers; sendPings
  // keeps answering peers alive
  return { maxPayloadLength: runtimeFrameLimit(server.options.maxMessageSize), idleTimeout, sendPings: idleTimeout > 0 };
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
  const host = hostOf(server);
  const bun: Server<SocketData> = Bun.serve<SocketData>({
    port: options.port ?? host.options.port,
    hostname: options.hostname ?? host.options.host,
    ...(options.tls && { tls: { cert: options.tls.cert, key: options.tls.key } }),
    async fetch(request, srv) {
      const accepted = await host.accept(request, { remoteAddress: srv.requestIP(request)?.address });
      if (accepted.response) return accepted.response;
      const { ticket } = accepted;
      // the core's choice; an empty value keeps Bun from echoing the first offered protocol by itself
      const headers = { "Sec-WebSocket-Protocol": ticket.protocol ?? "" };
      if (srv.upgrade(request, { data: ticket, headers })) return undefined;
      return host.abandon(accepted.ticket);
    },
    websocket: {
      ...bunWebSocketOptions(server, options.idleTimeout),
      ...options.websocket,
      open(ws) {
        ws.data = host.open(new BunConnection(ws), ws.data as Ticket);
      },
      message: (ws, message) => (ws.data as SocketHandle).message(message),
      close(ws, code, reason) {
        if (opened(ws.data)) ws.data.closed(code, reason);
      },
    },
  });
  // stop(false) resolves only once every socket is gone: not awaited, or the shutdown would wait for itself
  host.listening({ stopAccepting: () => void bun.stop(false), closeAll: () => bun.stop(true) });
  const listener: BunListener = { bun, port: bun.port as number, hostname: bun.hostname as string, stop: () => host.close() };
  options.onListen?.(listener);
  return listener;
}

/** The core's view of a Bun socket; a class, so each socket costs one small object instead of five closures. */
class BunConnection implements Connection {
  readonly raw: ServerWebSocket<SocketData>;

  constructor(ws: ServerWebSocket<SocketData>) {
    this.raw = ws;
  }

  send(frame: string): number {
    return this.raw.send(frame);
  }

  close(code?: number, reason?: string): void {
    this.raw.close(code, reason);
  }

  bufferedAmount(): number {
    return this.raw.getBufferedAmount();
  }

  cork(writes: () => void): void {
    this.raw.cork(writes);
  }
}
