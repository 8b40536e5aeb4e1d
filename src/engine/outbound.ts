import type { Instruments } from "../metrics/hooks.ts";
import type { Connection } from "./connection.ts";
import type { ReplayLog } from "./replay-log.ts";

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
  /** The socket of a recoverable session dropped without a close: keep the session for a resume. */
  suspend?(session: Outbound): void;
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

/**
 * Whether a socket ended without a close frame from the peer (a cut, a dead peer): 1006. Deno reports a TCP drop
 * as 0 and its own heartbeat timeout as 1001 "No response from ping frame.".
 */
function withoutCloseFrame(code: number, reason: string): boolean {
  return code === 1006 || code === 0 || (code === 1001 && reason === "No response from ping frame.");
}

/**
 * Life of a session: open until either side closes it. A session with a replay log (connection-state recovery)
 * whose socket drops without a close is `suspended` instead: kept, frames to it logged, until it resumes on a
 * new connection or its window ends.
 */
export type SessionState = "open" | "suspended" | "closed";

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
  /** While set, frames queue and are written once it settles (a room subscription of this node on its way). */
  #hold: Promise<unknown> | null = null;
  /** The frames sent to it, kept for a resume; null unless the client opted into recovery. */
  #log: ReplayLog | null = null;
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

  /** The replay log of a recoverable session (connection-state recovery), else null. */
  get log(): ReplayLog | null {
    return this.#log;
  }

  /** Makes the session recoverable: every frame sent from now on is also kept in `log`. */
  keepLog(log: ReplayLog): void {
    this.#log = log;
  }

  /** Ends the session (the socket is gone or closing): drops the queue and lets the engine clean up. Idempotent. */
  release(code: number, reason: string): void {
    if (this.#state === "closed") return;
    this.#state = "closed";
    this.#queue = null;
    this.#queuedBytes = 0;
    this.#log = null;
    this.#host.release(this, code, reason);
  }

  /** The runtime reported the socket closed: a recoverable session that dropped without a close frame is suspended. */
  dropped(code: number, reason: string): void {
    // Deno reports a heartbeat timeout twice (1001, then 1005): the socket of a suspended session is already gone
    if (this.#state === "suspended") return;
    const suspend = this.#host.suspend;
    if (!withoutCloseFrame(code, reason) || this.#log === null || this.#state !== "open" || !suspend) {
      this.release(code, reason);
      return;
    }
    this.#state = "suspended";
    this.#queue = null;
    this.#queuedBytes = 0;
    this.#log.suspend();
    suspend.call(this.#host, this);
  }

  /**
   * The client resumed this session on another connection: this one stops without ending the session (no
   * release, no disconnect handlers); a socket still open (half-open) is closed.
   */
  retire(code: number, reason: string): void {
    const wasOpen = this.#state === "open";
    this.#state = "closed";
    this.#queue = null;
    this.#queuedBytes = 0;
    this.#log = null;
    if (!wasOpen) return;
    try {
      this.#connection.close(code, reason);
    } catch {
      // the half-open socket may already be gone
    }
  }

  /**
   * Queues one encoded frame; it is written at the end of this event-loop turn, batched with every other frame
   * of the turn. Exception: the first frame for a socket while that socket's own message is being handled, with
   * nothing queued before it, is written at once (a request/reply needs no extra turn, and the runtime already
   * batches writes to the socket it is reading from). Ignored once closed.
   */
  send(frame: string): void {
    const log = this.#log;
    // over the caps while suspended: the client cannot be made whole, so its session ends (recovery given up)
    if (log !== null && !log.add(frame)) this.release(1006, "Recovery buffer limit exceeded");
    if (this.#state !== "open") return;
    this.#host.instruments?.sent(frame);
    const queue = this.#queue;
    if (this.replying && (queue === null || queue.length === 0) && this.#hold === null) {
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

  /**
   * Queues this session's frames until `until` settles (the broker bounds it), then writes them in order: a
   * client that joined a room whose subscription is on its way learns of its join only once it is active.
   */
  hold(until: Promise<unknown>): void {
    if (this.#state !== "open") return;
    const hold = this.#hold === null ? until : Promise.all([this.#hold, until]);
    this.#hold = hold;
    const release = (): void => {
      if (this.#hold !== hold) return;
      this.#hold = null;
      if (this.#state === "open" && this.queued > 0 && !this.#scheduled) {
        this.#scheduled = true;
        this.#host.scheduleFlush(this);
      }
    };
    hold.then(release, release);
  }

  /** Writes every queued frame now, batched by the runtime where it can (Bun `cork`, Node net-socket cork). */
  flush(): void {
    this.#scheduled = false;
    if (this.#hold !== null) return;
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
    if (this.#state !== "open") {
      // a suspended session has no socket: closing it ends it
      if (this.#state === "suspended") this.release(code, reason);
      return;
    }
    this.#hold = null;
    this.flush();
    try {
      this.#connection.close(code, reason);
    } catch {
      // the socket may already be gone: releasing below is all that is left to do
    }
    this.release(code, reason);
  }
}
