import type { Instruments } from "../metrics/hooks.ts";
import type { Connection } from "./connection.ts";
import type { ReplayLog } from "./replay-log.ts";
import { REFUSED, UNKNOWN, WRITTEN, writeFrames } from "./write-frames.ts";

/** What a session's outbound side needs from its engine; kept narrow for unit tests. */
export interface OutboundHost {
  /** Called once when the session ends, whoever closed it. */
  release(session: Outbound, code: number, reason: string): void;
  /** Asks for `session.flush()` to run once at the end of this event-loop turn. */
  scheduleFlush(session: Outbound): void;
  /** Asks for `session.drain(now)` to run every few ms until it returns false (a backlog to retry and watch). */
  watchDrain(session: Outbound): void;
  /** The client is a slow consumer (`why` says which bound it passed): close it. */
  overflow(session: Outbound, bufferedBytes: number, why: string): void;
  /** Metrics and tracing hooks; undefined when off. */
  readonly instruments?: Instruments | undefined;
  /** The socket of a recoverable session dropped without a close: keep the session for a resume. */
  suspend?(session: Outbound): void;
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

/** A client that is reading may have up to this many times `maxBufferedAmount` unsent (a burst) before it is cut. */
export const BURST_FACTOR = 4;
/** A client over `maxBufferedAmount` whose socket wrote nothing out for this long (ms) is not reading: it is cut. */
export const STALL_MS = 2000;

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
  // allocated on the first send and reused across flushes, so idle sessions hold no array; frames the runtime
  // could not take yet (backpressure) stay at its head
  #queue: string[] | null = null;
  /** UTF-16 units queued: at most the UTF-8 bytes they become, so a cheap lower bound. */
  #queuedBytes = 0;
  /** The runtime's unsent bytes as last seen (0 after Bun reported everything written). */
  #buffered = 0;
  /** While a backlog is watched: when its socket last wrote something out (ms); -1 when not watched. */
  #progressAt = -1;
  #scheduled = false;
  /**
   * True while this session's own frame is dispatched inside the runtime's read callback (set by
   * `Session.message`): the first reply may then skip the queue.
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
    this.#drop();
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
    this.#drop();
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
    this.#drop();
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
      const written = this.#connection.send(frame);
      // Bun reports a positive byte count when nothing is left buffered: no need to ask for the backlog
      if (typeof written === "number" && written > 0) return;
      if (written === 0 && frame.length > 0) {
        // refused (Bun's own buffer is full): kept, and retried once the socket drains
        this.#queue = [frame];
        this.#queuedBytes = frame.length;
      }
      this.#settle(UNKNOWN);
      return;
    }
    this.replying = false;
    if (queue === null) this.#queue = [frame];
    else queue.push(frame);
    // bounds memory when one turn queues more than a burst may hold (a handler flooding a client)
    if ((this.#queuedBytes += frame.length) + this.#buffered > this.#maxBuffered * BURST_FACTOR) {
      // the runtime's backlog as last seen may have drained since
      const connection = this.#connection;
      if (this.#buffered > 0) this.#buffered = connection.bufferedAmount ? connection.bufferedAmount() : 0;
      const unsent = this.#queuedBytes + this.#buffered;
      if (unsent > this.#maxBuffered * BURST_FACTOR) {
        this.#overflow(unsent, "over the burst cap");
        return;
      }
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

  /**
   * Writes the queued frames now, batched by the runtime where it can (Bun `cork`, Node net-socket cork), while
   * the runtime's unsent bytes stay within `maxBufferedAmount`; the rest stay queued, in order, and are written
   * as the socket drains (see {@link Outbound.drain}).
   */
  flush(): void {
    this.#scheduled = false;
    if (this.#hold !== null) return;
    const queue = this.#queue;
    if (queue === null || queue.length === 0 || this.#state === "closed") return;
    this.#settle(this.#write(this.#maxBuffered));
  }

  /**
   * The backlog check (every few ms while the client has frames held back or a runtime buffer over the limit):
   * writes what the socket has room for again, and cuts the client once its socket wrote nothing out for
   * {@link STALL_MS}. Returns false once there is nothing left to watch.
   */
  drain(now: number): boolean {
    if (this.#state !== "open" || this.#progressAt < 0) return false;
    const before = this.#buffered;
    const buffered = this.#connection.bufferedAmount ? this.#connection.bufferedAmount() : 0;
    this.#buffered = buffered;
    // the socket wrote bytes out since the last look: the client is reading
    if (buffered < before) this.#progressAt = now;
    if (this.queued > 0 && this.#hold === null) this.#settle(this.#write(this.#maxBuffered));
    if (this.#state !== "open") return false;
    if (this.queued === 0 && this.#buffered <= this.#maxBuffered) {
      this.#progressAt = -1;
      return false;
    }
    if (now - this.#progressAt < STALL_MS) return true;
    this.#overflow(this.#queuedBytes + this.#buffered, `nothing written for ${STALL_MS} ms`);
    return false;
  }

  /** Writes queued frames until the runtime holds `limit` unsent bytes (Infinity: all); returns the outcome. */
  #write(limit: number): number {
    const frames = this.#queue as string[];
    const connection = this.#connection;
    // a send during the writes (none is expected) lands in a fresh queue, appended below
    this.#queue = null;
    let budget = limit - this.#buffered;
    let at = 0;
    let bytes = 0;
    let outcome = WRITTEN;
    while (at < frames.length) {
      if (budget <= 0) {
        // the runtime may have written some out since it was last asked
        this.#buffered = connection.bufferedAmount ? connection.bufferedAmount() : 0;
        budget = limit - this.#buffered;
        if (budget <= 0) break;
      }
      let end = at;
      let chunk = 0;
      do chunk += (frames[end++] as string).length;
      while (end < frames.length && chunk < budget);
      const result = writeFrames(connection, frames, at, end);
      if (result.outcome > outcome) outcome = result.outcome;
      for (let i = at; i < at + result.written; i++) bytes += (frames[i] as string).length;
      at += result.written;
      if (result.outcome === REFUSED) break;
      budget -= chunk;
      this.#buffered += chunk;
    }
    const fresh = this.#queue as string[] | null;
    if (at < frames.length) frames.splice(0, at);
    else frames.length = 0;
    if (fresh !== null) for (let i = 0; i < fresh.length; i++) frames.push(fresh[i] as string);
    this.#queue = frames;
    this.#queuedBytes -= bytes;
    return outcome;
  }

  /**
   * After a write: asks the runtime for its backlog unless Bun reported everything written, cuts a client over
   * the burst cap, and has a backlog (frames held back, or a runtime buffer over the limit) watched.
   */
  #settle(outcome: number): void {
    if (outcome === WRITTEN && this.queued === 0) {
      this.#buffered = 0;
      return;
    }
    const connection = this.#connection;
    this.#buffered = connection.bufferedAmount ? connection.bufferedAmount() : 0;
    const unsent = this.#queuedBytes + this.#buffered;
    if (unsent > this.#maxBuffered * BURST_FACTOR) this.#overflow(unsent, "over the burst cap");
    else if ((this.queued > 0 || this.#buffered > this.#maxBuffered) && this.#progressAt < 0) {
      this.#progressAt = Date.now();
      this.#host.watchDrain(this);
    }
  }

  /** A slow consumer: drop what is queued (the client cannot take it) and let the host close it. */
  #overflow(bytes: number, why: string): void {
    this.#drop();
    this.#host.overflow(this, bytes, why);
  }

  /** Forgets the queue and the backlog (the socket is gone, closing, or cut). */
  #drop(): void {
    this.#queue = null;
    this.#queuedBytes = 0;
    this.#buffered = 0;
    this.#progressAt = -1;
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
    // everything queued goes to the runtime, held-back frames included, so the close frame comes after them
    const queue = this.#queue;
    if (queue !== null && queue.length > 0) this.#write(Number.POSITIVE_INFINITY);
    try {
      this.#connection.close(code, reason);
    } catch {
      // the socket may already be gone: releasing below is all that is left to do
    }
    this.release(code, reason);
  }
}
