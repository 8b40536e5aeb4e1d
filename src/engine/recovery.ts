import type { ResolvedRecoveryOptions } from "../options/recovery-options.ts";
import { encodeFrame } from "../protocol/protocol.ts";
import { ReplayLog } from "./replay-log.ts";
import { ResumeTokens } from "./resume-token.ts";
import type { Session } from "./session.ts";

/** Query parameter a client sets to `1` to opt into recovery (docs/wire-protocol.md). */
export const RECOVERY_PARAM = "sockeon_recovery";
/** Query parameter carrying the resume token of the session to resume. */
export const TOKEN_PARAM = "sockeon_token";
/** Query parameter carrying the offset of the last frame the client received. */
export const OFFSET_PARAM = "sockeon_offset";
/** The frame an opted-in client gets first on every connection: its id, next token, offset, and whether it resumed. */
export const SESSION_EVENT = "sockeon.session";

/** What a handshake found: the client opted in, and the session its token claims (if any) with its offset. */
export interface RecoveryClaim {
  readonly session?: Session;
  readonly token?: string;
  readonly offset: number;
}

/** A claim that holds at open: the log to continue and the frames to replay first. */
export interface Resumed {
  /** The session's connection before (retired now). */
  readonly previous: Session;
  /** Whether that connection was still open (half-open): its slot and socket were just given up. */
  readonly wasOpen: boolean;
  readonly log: ReplayLog;
  readonly frames: readonly string[];
  readonly offset: number;
}

/**
 * The suspended-session store of connection-state recovery (one per server): resume tokens, the recovery window
 * of each suspended session, and the resume itself. Sessions stay in the engine's session map while suspended,
 * so every send reaches their replay log through the one send path; this class only decides when they end.
 */
export class Recovery {
  readonly options: ResolvedRecoveryOptions;
  /** Ids of suspended sessions: present in the session map, yet not connected. */
  readonly suspended = new Set<string>();
  readonly #tokens = new ResumeTokens<Session>();
  readonly #timers = new Map<Session, ReturnType<typeof setTimeout>>();

  constructor(options: ResolvedRecoveryOptions) {
    this.options = options;
  }

  /**
   * Reads a handshake's recovery parameters. Takes the token (single use): a handshake that is then turned away
   * gives it back with {@link Recovery.unclaim}. A token whose session cannot be made whole (unknown offset,
   * frames dropped) ends that session now: the client gets a fresh one.
   * @returns undefined when the client did not opt in
   */
  claim(url: URL): RecoveryClaim | undefined {
    const params = url.searchParams;
    if (params.get(RECOVERY_PARAM) !== "1") return undefined;
    const token = params.get(TOKEN_PARAM);
    const session = token === null ? undefined : this.#tokens.take(token);
    if (!session || token === null) return { offset: 0 };
    const offset = Number(params.get(OFFSET_PARAM) ?? Number.NaN);
    if (session.log?.covers(offset)) return { session, token, offset };
    session.close(1000, "Session could not be resumed");
    return { offset: 0 };
  }

  /** The handshake turned the resume away: its token works again (it was not used). */
  unclaim(claim: RecoveryClaim | undefined): void {
    if (claim?.session && claim.token && claim.session.state !== "closed") this.#tokens.restore(claim.token, claim.session);
  }

  /**
   * Takes over a claimed session for a new connection: stops its window, retires its old connection (closing a
   * half-open socket) and returns what to replay. Undefined when the session ended since the handshake.
   */
  resume(claim: RecoveryClaim): Resumed | undefined {
    const previous = claim.session;
    const log = previous?.log;
    if (!previous || !log || previous.state === "closed") return undefined;
    const frames = log.since(claim.offset);
    if (!frames) return undefined;
    this.#settle(previous);
    const wasOpen = previous.state === "open";
    previous.retire(1001, "Session resumed on another connection");
    log.resumed(claim.offset);
    return { previous, wasOpen, log, frames, offset: claim.offset };
  }

  /**
   * Starts recovery on a new connection: the session frame first (new token, offset), then the missed frames,
   * before anything else is sent; from then on every frame is logged.
   */
  start(session: Session, resumed: Resumed | undefined): void {
    const token = this.#tokens.issue(session);
    const offset = resumed ? resumed.offset : 0;
    session.send(encodeFrame(SESSION_EVENT, { id: session.id, token, offset, recovered: resumed !== undefined }));
    if (resumed) for (const frame of resumed.frames) session.send(frame);
    session.keepLog(resumed ? resumed.log : new ReplayLog(this.options));
  }

  /** A session's socket dropped: it ends when the window runs out unless resumed first. */
  suspend(session: Session): void {
    this.suspended.add(session.id);
    const timer = setTimeout(() => session.release(1006, "Recovery window expired"), this.options.maxDisconnectionDuration);
    // a suspended session must not keep a process alive that is otherwise done
    (timer as { unref?: () => void }).unref?.();
    this.#timers.set(session, timer);
  }

  /** A session ended: its token and window go. */
  ended(session: Session): void {
    this.#tokens.revoke(session);
    this.#settle(session);
  }

  #settle(session: Session): void {
    const timer = this.#timers.get(session);
    if (timer === undefined) return;
    clearTimeout(timer);
    this.#timers.delete(session);
    this.suspended.delete(session.id);
  }
}
