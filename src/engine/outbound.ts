import type { Instruments } from "../metrics/hooks.ts";
import type { Connection } from "./connection.ts";

/** What a session's outbound side needs from its engine; kept narrow for unit tests. */
export interface OutboundHost {
  /** Called once when the session ends, whoever closed it. */
  release(session: Outbound, code: number, reason: string): void;
  /** Asks for `session.flush()` to run once at the end of this event-loop turn. */
  scheduleFlush(session: Outbound): void;
  /** Called when a write failed or the outbound buffer is over its limit. */
  overflow(session: Outbound, bufferedBytes: number): void;
  /** Metrics and tracing hooks; undefined when off. */
  readonly instruments?: Instruments | undefined;
}

/** All frames fully written (Bun reported positive byte counts): no backlog to ask about. */
const WRITTEN = 0;
/** The runtime did not say (or buffered under backpressure): the backlog must be checked. */
const UNKNOWN = 1;
/** The runtime dropped a frame. */
const DROPPED = 2;

/** Writes frames in order; returns the worst outcome ({@link WRITTEN}, {@link UNKNOWN}, {@link DROPPED}). */
function writeAll(connection: Connection, frames: readonly string[]): number {
  let outcome = WRITTEN;
  for (let i = 0; i < frames.length; i++) {
    const written = connection.send(frames[i] as string);
    if (written === 0) outcome = DROPPED;
    else if (outcome === WRITTEN && !(typeof written === "number" && written > 0)) outcome = UNKNOWN;
  }
  return outcome;
}

// The cork callback reads its work from here, so a flush allocates no closure; cork runs it synchronously.
const NO_FRAMES: readonly string[] = [];
const corked = { connection: null as Connection | null, frames: NO_FRAMES, outcome: WRITTEN };
function writeCorked(): void {
  if (corked.connection) corked.outcome = writeAll(corked.connection, corked.frames);
}

/** Life of a session: open until either side closes it. */
export type SessionState = "open" | "closed";

/**
 * The outbound side of a session (src/engine/session.ts extends it with the inbound side, so one object per
 * socket): its id and its outbound queue. Every outbound frame goes through {@link Outbound.send}, so order per
 * socket holds and a close flushes first.
 */
export abstract class Outbound {
  /** The client id: 128 random bits, URL-safe. */
  readonly id: string;
  /** The client's address as decided at the handshake (peer, or forwarded by a trusted proxy). */
  readonly ip: string | null;
  /** Unix seconds of the connection. */
  readonly connectedAt: number;
  #state: SessionState = "open";
  // allocated on the first send and reused across flushes, so idle sessions hold no array
  #queue: string[] | null = null;
  /** UTF-16 units queued: at most the UTF-8 bytes they become, so a cheap lower bound. */
  #queuedBytes = 0;
  #scheduled = false;
  /**
   * True while this session's own frame is dispatched synchronously (set by `Session.message`): the first
   * reply may then skip the queue.
   */
  replying = false;
  readonly #connection: Connection;
  readonly #host: OutboundHost;
  readonly #maxBuffered: number;

  constructor(host: OutboundHost, connection: Connection, id: string, ip: string | null, maxBuffered: number) {
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
    return this.#queue === null ? 0 : this.#queue.length;
  }

  /** Ends the session (the socket is gone or closing): drops the queue and lets the engine clean up. Idempotent. */
  release(code: number, reason: string): void {
    if (this.#state === "closed") return;
    this.#state = "closed";
    this.#queue = null;
    this.#queuedBytes = 0;
    this.#host.release(this, code, reason);
  }

  /**
   * Queues one encoded frame; it is written at the end of this event-loop turn, batched with every other frame
   * of the turn. Exception: the first frame for a socket while that socket's own message is being handled, with
   * nothing queued before it, is written at once (a request/reply needs no extra turn, and the runtime already
   * batches writes to the socket it is reading from). Ignored once closed.
   */
  send(frame: string): void {
    if (this.#state !== "open") return;
    this.#host.instruments?.sent(frame);
    const queue = this.#queue;
    if (this.replying && (queue === null || queue.length === 0)) {
      this.replying = false;
      const connection = this.#connection;
      const written = connection.send(frame);
      // Bun reports a positive byte count when nothing is left buffered: no need to ask for the backlog
      if (typeof written === "number" && written > 0) return;
      const buffered = connection.bufferedAmount ? connection.bufferedAmount() : 0;
      if (written === 0 || buffered > this.#maxBuffered) this.#overflow(buffered);
      return;
    }
    this.replying = false;
    if (queue === null) this.#queue = [frame];
    else queue.push(frame);
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

  /** Writes every queued frame now, batched by the runtime where it can (Bun `cork`, Node net-socket cork). */
  flush(): void {
    this.#scheduled = false;
    const frames = this.#queue;
    if (frames === null || frames.length === 0 || this.#state === "closed") return;
    // a send during the writes (none is expected) lands in a fresh queue instead of the one being written
    this.#queue = null;
    this.#queuedBytes = 0;
    const connection = this.#connection;
    let outcome: number;
    if (frames.length === 1 || !connection.cork) outcome = writeAll(connection, frames);
    else {
      corked.connection = connection;
      corked.frames = frames;
      connection.cork(writeCorked);
      outcome = corked.outcome;
      corked.connection = null;
      corked.frames = NO_FRAMES;
      corked.outcome = WRITTEN;
    }
    frames.length = 0;
    if (this.#queue === null) this.#queue = frames;
    if (outcome === WRITTEN) return;
    const buffered = connection.bufferedAmount ? connection.bufferedAmount() : 0;
    if (outcome === DROPPED || buffered > this.#maxBuffered) this.#overflow(buffered);
  }

  /** Over the outbound limit: drop what is queued (the client cannot take it) and let the host close it. */
  #overflow(bytes: number): void {
    this.#queue = null;
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
    this.release(code, reason);
  }
}
