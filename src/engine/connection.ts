/**
 * The host contract: everything an adapter and the core say to each other, and nothing else.
 *
 * An adapter gets the {@link Host} of a server with `hostOf(server)` (from `sockeon-ts/extend`), answers each
 * request with {@link Host.accept}, upgrades the socket when it gets a ticket, wraps the upgraded socket in a
 * {@link Connection}, and forwards the socket's frames and close to the {@link SocketHandle} that
 * {@link Host.open} returns.
 *
 * @example
 * ```ts
 * const host = hostOf(server);
 * const accepted = await host.accept(request, { remoteAddress });
 * if (accepted.response) return accepted.response;
 * // ...the runtime upgrades; then, once the socket is open:
 * const handle = host.open({ send: (s) => ws.send(s), close: (c, r) => ws.close(c, r), raw: ws }, accepted.ticket);
 * ws.onmessage = (e) => handle.message(e.data);
 * ws.onclose = (e) => handle.closed(e.code, e.reason);
 * ```
 */
export interface Host {
  /** The options adapters read: where to listen, heartbeat seconds, frame limit. */
  readonly options: HostOptions;
  /**
   * Answers one request: a plain HTTP request gets the server's HTTP response; a WebSocket upgrade is decided
   * by the handshake policy (a rejection response, or a ticket to upgrade with). Never throws.
   */
  accept(request: Request, peer?: PeerInfo): Promise<Accepted>;
  /** Decides a WebSocket upgrade request only (for adapters that route plain HTTP themselves, e.g. Hono middleware). */
  handshake(request: Request, peer?: PeerInfo): Promise<Accepted>;
  /** The runtime could not upgrade a request the core accepted: frees what the ticket held; the response to send. */
  abandon(ticket: Ticket): Response;
  /** Starts a session for a socket the runtime upgraded with `ticket`. */
  open(connection: Connection, ticket: Ticket): SocketHandle;
  /** Registers a listener with the graceful shutdown (see {@link ListenerHooks}). */
  listening(hooks: ListenerHooks): void;
  /** Shuts the server down gracefully (what `server.close()` does). */
  close(): Promise<void>;
}

/** The options a {@link Host} shows adapters. */
export interface HostOptions {
  readonly host: string;
  readonly port: number;
  /** Heartbeat: seconds without a pong before a socket is closed; 0 disables. */
  readonly idleTimeout: number;
  /** Largest accepted client frame in UTF-8 bytes. */
  readonly maxMessageSize: number;
}

/** What {@link Host.accept} decided: a response to send as is, or a ticket to upgrade with. */
export type Accepted =
  | { readonly response: Response; readonly ticket?: undefined }
  | { readonly ticket: Ticket; readonly response?: undefined };

/** An accepted upgrade: hand it back to {@link Host.open} once the runtime opened the socket. Opaque to adapters. */
export interface Ticket {
  readonly clientId: string;
  readonly ip: string | null;
  /** Data handshake steps attached; stored as the client's data on open. */
  readonly data: Readonly<Record<string, unknown>>;
  /** The subprotocol to answer with (`Sec-WebSocket-Protocol`), chosen by the core; none when undefined. */
  readonly protocol?: string;
  /** Connection-state recovery's claim (the engine's own, opaque to adapters); absent when the client did not opt in. */
  readonly recovery?: unknown;
}

/** What an adapter calls for an open socket. */
export interface SocketHandle {
  /** One frame arrived from the client. */
  message(data: IncomingData): void;
  /** The socket is closed (by either side). Safe to call more than once. */
  closed(code?: number, reason?: string): void;
}

/** How the graceful shutdown stops a listener; both optional, both may return a promise. */
export interface ListenerHooks {
  /** Stop accepting new connections (open sockets stay); runs first. */
  stopAccepting?(): unknown;
  /** Once every client is gone or the timeout passed: force-close what is left and free the port. */
  closeAll?(): unknown;
}

/** What the core needs from a runtime's upgraded WebSocket. */
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

/** Details an adapter knows about the peer of a request. */
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
  /** Shuts the server down gracefully (`server.close()`), which stops this listener. */
  stop(): Promise<void>;
}

/** A certificate and its private key, PEM-encoded (e.g. `readFileSync("cert.pem", "utf8")`). */
export interface TlsOptions {
  cert: string;
  key: string;
}

/** Listening options shared by the adapters; fall back to the server's `host`/`port` options. */
export interface ListenOptions {
  port?: number;
  hostname?: string;
  /** Serve HTTPS and wss:// with this certificate (Bun, Deno and Node alike). */
  tls?: TlsOptions;
  /** Called once the socket is bound. */
  onListen?: (listener: Listener) => void;
}

/**
 * The frame size an adapter gives the runtime's own limit (Bun `maxPayloadLength`, ws `maxPayload`):
 * max(2 × maxMessageSize, 1 MiB). Frames between `maxMessageSize` and it reach the core, which answers
 * `Message payload too large` and closes 1009; larger ones are closed 1009 by the runtime before JS sees them.
 */
export function runtimeFrameLimit(maxMessageSize: number): number {
  return Math.max(2 * maxMessageSize, 1024 * 1024);
}

/** Whether a request asks for a WebSocket upgrade. */
export function isUpgrade(request: Request): boolean {
  return request.headers.get("upgrade")?.toLowerCase() === "websocket";
}
