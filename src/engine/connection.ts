/**
 * The adapter contract: what the core needs from a runtime's upgraded WebSocket.
 *
 * Adapters build one {@link Connection} per socket, call `server.open(connection, ticket)` and forward the
 * socket's messages and close to the returned {@link Session}. Nothing else crosses the boundary.
 *
 * @example
 * ```ts
 * const session = server.open({ send: (s) => ws.send(s), close: (c, r) => ws.close(c, r), raw: ws }, ticket);
 * ws.onmessage = (e) => session.message(e.data);
 * ws.onclose = (e) => session.closed(e.code, e.reason);
 * ```
 */
export interface Connection {
  /**
   * Sends one text frame. Returns what the runtime reports: Bun's `ws.send` gives bytes written, `-1` when the
   * frame was queued under backpressure, `0` when it was dropped; other runtimes return nothing.
   */
  send(frame: string): number | undefined | void;
  /** Starts the close handshake with the given code and reason. */
  close(code?: number, reason?: string): void;
  /** Bytes accepted by `send` but not yet written to the network, if the runtime can tell. */
  bufferedAmount?(): number;
  /** Runs `writes` so the runtime batches the frames into as few syscalls as it can (Bun `ws.cork`). */
  cork?(writes: () => void): void;
  /** The runtime's own socket object, for user code that needs it. */
  readonly raw: unknown;
}

/** Details an adapter knows about the peer of an upgrade request. */
export interface PeerInfo {
  /** The socket's peer address (not a forwarded header). */
  remoteAddress?: string | null;
}

/** Data a frame may carry: a UTF-8 string or bytes (decoded as UTF-8 JSON, as Sockeon does). */
export type IncomingData = string | ArrayBuffer | ArrayBufferView;

/** A running listener, as every adapter's `serve` function returns it. */
export interface Listener {
  /** The port actually bound (useful with port 0). */
  readonly port: number;
  /** The interface bound. */
  readonly hostname: string;
  /** Stops accepting connections and closes the listening socket. */
  stop(): Promise<void>;
}

/** Listening options shared by the adapters; fall back to the server's `host`/`port` options. */
export interface ListenOptions {
  port?: number;
  hostname?: string;
  /** Called once the socket is bound. */
  onListen?: (listener: Listener) => void;
}
