import type { Connection, IncomingData } from "./connection.ts";

/** What a session needs from its server; implemented by the server, kept narrow for unit tests. */
export interface SessionHost {
  /** Called once for every frame the client sent. */
  receive(session: Session, raw: IncomingData): void;
  /** Called once when the socket is gone, whoever closed it. */
  release(session: Session, code: number, reason: string): void;
  /** Asks for `session.flush()` to run once at the end of this event-loop turn. */
  scheduleFlush(session: Session): void;
  /** Called when a write failed or the outbound buffer is over its limit. */
  overflow(session: Session, bufferedBytes: number): void;
  /** Called when the runtime reports the socket closed (graceful shutdown waits for it). */
  socketClosed?(session: Session): void;
}

/** Life of a session: open until either side closes it. */
export type SessionState = "open" | "closed";

/**
 * One client connection as the core sees it: its id, its outbound queue, and the hooks the adapter calls.
 * Every outbound frame goes through {@link Session.send}, so order per socket holds and a close flushes first.
 */
export class Session {
  /** The client id: 128 random bits, URL-safe. */
  readonly id: string;
  /** The client's address as decided at the handshake (peer, or forwarded by a trusted proxy). */
  readonly ip: string | null;
  /** Unix seconds of the connection. */
  readonly connectedAt: number;
  #state: SessionState = "open";
  #queue: string[] = [];
  /** UTF-16 units queued: at most the UTF-8 bytes they become, so a cheap lower bound. */
  #queuedBytes = 0;
  #scheduled = false;
  readonly #connection: Connection;
  readonly #host: SessionHost;
  readonly #maxBuffered: number;

  constructor(host: SessionHost, connection: Connection, id: string, ip: string | null, maxBuffered: number) {
    this.#host = host;
    this.#connection = connection;
    this.id = id;
    this.ip = ip;
    this.#maxBuffered = maxBuffered;
    this.connectedAt = Math.floor(Date.now() / 1000);
  }

  /** The runtime's socket, as the adapter passed it. */
  get raw(): unknown {
    return this.#connection.raw;
  }

  /** Current state of the session. */
  get state(): SessionState {
    return this.#state;
  }

  /** Frames queued and not yet handed to the socket. */
  get queued(): number {
    return this.#queue.length;
  }

  /** Adapter hook: one frame arrived from the client. */
  message(raw: IncomingData): void {
    if (this.#state === "open") this.#host.receive(this, raw);
  }

  /** Adapter hook: the socket is closed (by either side). Safe to call more than once. */
  closed(code = 1005, reason = ""): void {
    this.#host.socketClosed?.(this);
    this.#release(code, reason);
  }

  #release(code: number, reason: string): void {
    if (this.#state === "closed") return;
    this.#state = "closed";
    this.#queue = [];
    this.#queuedBytes = 0;
    this.#host.release(this, code, reason);
  }

  /** Queues one encoded frame; it is written at the end of this event-loop turn. Ignored once closed. */
  send(frame: string): void {
    if (this.#state !== "open") return;
    this.#queue.push(frame);
    // bounds memory when one turn queues more than the limit (a handler flooding a client)
    if ((this.#queuedBytes += frame.length) > this.#maxBuffered) {
      this.#overflow(this.#queuedBytes);
      return;
    }
    if (!this.#scheduled) {
      this.#scheduled = true;
      this.#host.scheduleFlush(this);
    }
  }

  /** Writes every queued frame now, batched by the runtime where it can (Bun `cork`). */
  flush(): void {
    this.#scheduled = false;
    if (this.#queue.length === 0 || this.#state === "closed") return;
    const frames = this.#queue;
    this.#queue = [];
    this.#queuedBytes = 0;
    const connection = this.#connection;
    let failed = false;
    const write = (): void => {
      for (let i = 0; i < frames.length; i++) {
        if (connection.send(frames[i] as string) === 0) failed = true;
      }
    };
    if (connection.cork) connection.cork(write);
    else write();
    const buffered = connection.bufferedAmount ? connection.bufferedAmount() : 0;
    if (failed || buffered > this.#maxBuffered) this.#overflow(buffered);
  }

  /** Over the outbound limit: drop what is queued (the client cannot take it) and let the host close it. */
  #overflow(bytes: number): void {
    this.#queue = [];
    this.#queuedBytes = 0;
    this.#host.overflow(this, bytes);
  }

  /**
   * Flushes what is queued, starts the close handshake and releases the session at once (disconnect handlers
   * run now, not when the peer answers). The adapter's later `closed()` call is then a no-op.
   */
  close(code = 1000, reason = ""): void {
    if (this.#state !== "open") return;
    this.flush();
    try {
      this.#connection.close(code, reason);
    } catch {
      // the socket may already be gone: releasing below is all that is left to do
    }
    this.#release(code, reason);
  }
}
