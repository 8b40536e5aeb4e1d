/// <reference types="bun" />
import type { Server, ServerWebSocket } from "bun";
import type { Listener, ListenOptions, Session, SockeonServer, Ticket } from "../src/index.ts";

type SocketData = { ticket: Ticket; session?: Session };

/** Bun-specific options; heartbeat through Bun's own `idleTimeout` + `sendPings`. */
export interface BunServeOptions extends ListenOptions {
  /** Seconds without traffic before Bun closes the socket (pings count); default 120, 0 disables. */
  idleTimeout?: number;
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
      if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") return server.fetch(request);
      const verdict = await server.handshake(request, { remoteAddress: srv.requestIP(request)?.address });
      if (verdict instanceof Response) return verdict;
      if (srv.upgrade(request, { data: { ticket: verdict } })) return undefined;
      return new Response("Invalid WebSocket request", { status: 400 });
    },
    websocket: {
      // Bun closes with 1009 itself before the frame reaches JS
      maxPayloadLength: server.options.maxMessageSize,
      idleTimeout: options.idleTimeout ?? 120,
      sendPings: true,
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
  // stop listening first (open sockets stay), force-close what is left once the shutdown is done
  server.onShutdown(() => void bun.stop(false), "accepting").onShutdown(() => bun.stop(true));
  const listener: BunListener = {
    bun,
    port: bun.port as number,
    hostname: bun.hostname as string,
    stop: () => server.close(),
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
