import type { Context, MiddlewareHandler } from "hono";
import type { UpgradeWebSocket, WSContext } from "hono/ws";
import { type Connection, hostOf, isUpgrade, type SocketHandle, setPeer } from "../src/extend.ts";
import type { SockeonServer } from "../src/index.ts";

/** Options of the Hono middleware. */
export interface SockeonMiddlewareOptions {
  /** The runtime's `getConnInfo` (from `hono/bun`, `hono/deno`, `@hono/node-server/conninfo`) for client addresses. */
  getConnInfo?: (c: Context) => { remote: { address?: string } };
  /** Sees each rejected handshake's response before Hono returns it (the Node adapter keeps its body this way). */
  onReject?: (c: Context, response: Response) => void | Promise<void>;
}

/**
 * Hono middleware that accepts sockeon-ts WebSocket clients, for an existing Hono app on any runtime.
 * Requests that are not WebSocket upgrades fall through to the next handler, with the peer address recorded
 * for `server.app`'s routes: use it on `*` and mount `server.app` after it (`app.route("/", server.app)`).
 * @param server the sockeon-ts server
 * @param upgradeWebSocket the runtime's helper (`hono/bun`, `hono/deno`, `@hono/node-ws`)
 * @example app.get("/ws", sockeon(server, upgradeWebSocket, { getConnInfo }))
 */
export function sockeon(
  server: SockeonServer,
  upgradeWebSocket: UpgradeWebSocket<any>,
  options: SockeonMiddlewareOptions = {},
): MiddlewareHandler {
  const host = hostOf(server);
  return async (c, next) => {
    const peer = { remoteAddress: options.getConnInfo?.(c).remote.address };
    if (!isUpgrade(c.req.raw)) {
      setPeer(c, peer);
      return next();
    }
    const accepted = await host.handshake(c.req.raw, peer);
    if (accepted.response) {
      await options.onReject?.(c, accepted.response);
      return accepted.response;
    }
    let handle: SocketHandle | undefined;
    const open = (ws: WSContext<unknown>): SocketHandle => (handle ??= host.open(connectionOf(ws), accepted.ticket));
    const upgrade = upgradeWebSocket(
      () => ({
        onOpen: (_event, ws) => void open(ws),
        onMessage: (event, ws) => open(ws).message(event.data as string | ArrayBuffer),
        onClose: (event) => handle?.closed(event.code, event.reason),
      }),
      // hono/deno hands this to Deno.upgradeWebSocket (heartbeat, subprotocol); Bun's is server-wide, ws ignores it
      { idleTimeout: host.options.idleTimeout, ...(accepted.ticket.protocol ? { protocol: accepted.ticket.protocol } : {}) },
    );
    return upgrade(c, next);
  };
}

type RawSocket = {
  send?: (frame: string) => number | undefined;
  cork?: (writes: () => void) => unknown;
  getBufferedAmount?: () => number;
  bufferedAmount?: number;
};

/** Writes through the runtime's own socket where Hono exposes it, so Bun's backpressure result is not lost. */
function connectionOf(ws: WSContext<unknown>): Connection {
  const raw = ws.raw as RawSocket | undefined;
  if (raw && typeof raw.send === "function" && typeof raw.getBufferedAmount === "function" && typeof raw.cork === "function") {
    return {
      send: (frame) => raw.send?.(frame),
      close: (code, reason) => ws.close(code, reason),
      bufferedAmount: () => raw.getBufferedAmount?.() ?? 0,
      cork: (writes) => void raw.cork?.(writes),
      raw,
    };
  }
  return {
    send: (frame) => ws.send(frame),
    close: (code, reason) => ws.close(code, reason),
    bufferedAmount: () => (typeof raw?.bufferedAmount === "number" ? raw.bufferedAmount : 0),
    raw,
  };
}
