import { ConfigError } from "../common/errors.ts";
import type { ResolvedRecoveryOptions } from "../options/recovery-options.ts";
import { encodeFrame } from "../protocol/protocol.ts";
import type { Connection } from "./connection.ts";
import { History, tokenHash } from "./history.ts";
import { parsePositions } from "./positions.ts";
import { HeldConnection, type RemoteClaim, replayRemote } from "./remote-resume.ts";
import { ReplayLog } from "./replay-log.ts";
import { ResumeTokens } from "./resume-token.ts";
import type { Session } from "./session.ts";
import type { EngineState } from "./state.ts";

/** Query parameter a client sets to `1` to opt into recovery (docs/wire-protocol.md). */
export const RECOVERY_PARAM = "sockeon_recovery";
/** Query parameter carrying the resume token of the session to resume. */
export const TOKEN_PARAM = "sockeon_token";
/** Query parameter carrying the offset of the last frame the client received. */
export const OFFSET_PARAM = "sockeon_offset";
/** Query parameter carrying the last position the client saw from each node (cross-node recovery). */
export const POSITIONS_PARAM = "sockeon_pos";
/** The frame an opted-in client gets first on every connection: its id, next token, offset, and whether it resumed. */
export const SESSION_EVENT = "sockeon.session";

/** What a handshake found: the client opted in, and the session its token claims (if any) with its offset. */
export interface RecoveryClaim {
  readonly session?: Session;
  readonly token?: string;
  readonly offset: number;
  /** A session another node held, taken from the shared store (cross-node recovery). */
  readonly remote?: RemoteClaim;
}

/** A claim that holds at open: the log to continue and the frames to replay first. */
export interface Resumed {
  /** The session's connection before (retired now); undefined for a session resumed from another node. */
  readonly previous?: Session;
  /** Whether that connection was still open (half-open): its slot and socket were just given up. */
  readonly wasOpen: boolean;
  readonly log: ReplayLog;
  readonly frames: readonly string[];
  readonly offset: number;
  /** A session resumed from another node: its record, and the connection held while its history is read. */
  readonly remote?: { readonly claim: RemoteClaim; readonly hold: HeldConnection };
}

/** What recovery needs from its engine for cross-node resumes. */
export interface RecoveryHost {
  /** The broker's node id; undefined without a broker. */
  readonly nodeId: string | undefined;
  readonly state: () => EngineState;
  /** Where a resumed session's namespace, rooms and data are restored through. */
  readonly api: {
    moveClientToNamespace(clientId: string, namespace?: string): void;
    joinRoom(clientId: string, room: string, namespace?: string): void;
    setClientData(clientId: string, key: string, value: unknown): void;
  };
  report(error: unknown, context: { source: string }): void;
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
  /** Cross-node recovery: present with a recovery store (which needs a broker). */
  readonly history: History | undefined;
  readonly #host: RecoveryHost | undefined;

  constructor(options: ResolvedRecoveryOptions, host?: RecoveryHost) {
    this.options = options;
    this.#host = host;
    if (options.store && host) {
      if (host.nodeId === undefined)
        throw new ConfigError("connectionStateRecovery.store", "a store without a broker", "the `broker` option set too");
      const report = (error: unknown): void => host.report(error, { source: "recovery" });
      this.history = new History(options.store, host.nodeId, options.maxDisconnectionDuration, host.state, report);
    }
  }

  /**
   * Reads a handshake's recovery parameters. Takes the token (single use): a handshake that is then turned away
   * gives it back with {@link Recovery.unclaim}. A token whose session cannot be made whole (unknown offset,
   * frames dropped) ends that session now: the client gets a fresh one.
   * @returns undefined when the client did not opt in
   */
  async claim(url: URL): Promise<RecoveryClaim | undefined> {
    const params = url.searchParams;
    if (params.get(RECOVERY_PARAM) !== "1") return undefined;
    const token = params.get(TOKEN_PARAM);
    const session = token === null ? undefined : this.#tokens.take(token);
    if (token !== null && !session && this.history) return this.#claimRemote(token, params.get(POSITIONS_PARAM));
    if (!session || token === null) return { offset: 0 };
    const offset = Number(params.get(OFFSET_PARAM) ?? Number.NaN);
    if (session.log?.covers(offset)) return { session, token, offset };
    session.close(1000, "Session could not be resumed");
    return { offset: 0 };
  }

  /**
   * A token this node does not hold: the shared store's record, if the token is its current one. A store that
   * cannot answer (Redis down) or a malformed position list means a fresh session.
   */
  async #claimRemote(token: string, positions: string | null): Promise<RecoveryClaim> {
    const seen = parsePositions(positions);
    if (!seen || !this.history) return { offset: 0 };
    try {
      const record = await this.history.store.claim(await tokenHash(token));
      // the id is live here under another token: not a session this token may take
      if (!record || this.#host?.state().sessions.has(record.id)) return { offset: 0 };
      return { offset: 0, token, remote: { record, seen } };
    } catch (error) {
      this.#host?.report(error, { source: "recovery" });
      return { offset: 0 };
    }
  }

  /** The handshake turned the resume away: its token works again (it was not used). */
  unclaim(claim: RecoveryClaim | undefined): void {
    if (claim?.session && claim.token && claim.session.state !== "closed") this.#tokens.restore(claim.token, claim.session);
    if (claim?.remote) this.history?.store.save(claim.remote.record, this.options.maxDisconnectionDuration);
  }

  /**
   * Takes over a claimed session for a new connection: stops its window, retires its old connection (closing a
   * half-open socket) and returns what to replay. Undefined when the session ended since the handshake.
   */
  resume(claim: RecoveryClaim, connection: Connection): Resumed | undefined {
    if (claim.remote) {
      if (this.#host?.state().sessions.has(claim.remote.record.id)) return undefined;
      const hold = new HeldConnection(connection, this.options.maxFrames);
      return { wasOpen: false, log: new ReplayLog(this.options), frames: [], offset: 0, remote: { claim: claim.remote, hold } };
    }
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
    if (resumed?.remote && this.history && this.#host) {
      this.#restore(session, resumed.remote.claim);
      // the log is replaced once the replay is written; until then it only marks the session as opted in
      session.keepLog(resumed.log);
      this.history.track(session.id, token, true);
      const host = this.#host;
      void replayRemote(session, resumed.remote.hold, resumed.remote.claim, token, this.history, this.options, (e) =>
        host.report(e, { source: "recovery" }),
      );
      return;
    }
    this.history?.track(session.id, token, false);
    const offset = resumed ? resumed.offset : 0;
    session.send(encodeFrame(SESSION_EVENT, { id: session.id, token, offset, recovered: resumed !== undefined }));
    if (resumed) for (const frame of resumed.frames) session.send(frame);
    session.keepLog(resumed ? resumed.log : new ReplayLog(this.options));
  }

  /** Restores a resumed session's namespace, rooms and data from its record, and tells the node that held it. */
  #restore(session: Session, claim: RemoteClaim): void {
    const { api, state } = this.#host as RecoveryHost;
    const { record } = claim;
    api.moveClientToNamespace(session.id, record.namespace);
    for (const room of Object.keys(record.rooms)) api.joinRoom(session.id, room, record.namespace);
    for (const [key, value] of Object.entries(record.data)) api.setClientData(session.id, key, value);
    const broker = state().cluster?.broker;
    if (!broker || record.owner === broker.nodeId) return;
    broker.store.adopt?.(session.id, record.owner);
    broker.publish({ kind: "op", op: "handover", client: session.id, args: [] }, record.owner);
  }

  /** A session's socket dropped: it ends when the window runs out unless resumed first. */
  suspend(session: Session): void {
    this.history?.suspended(session.id);
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
    this.history?.ended(session.id);
  }

  /**
   * A session leaves this node without ending: resumed on another node, or handed off by a graceful shutdown
   * (`keep`: its record stays in the shared store for the window, so it resumes elsewhere).
   */
  left(session: Session, keep: boolean): void {
    this.#tokens.revoke(session);
    this.#settle(session);
    this.history?.left(session.id, keep);
  }

  /** Whether a graceful shutdown hands this session off (1012) instead of ending it. */
  handsOff(session: Session): boolean {
    return this.history !== undefined && session.log !== null && session.state === "open";
  }

  #settle(session: Session): void {
    const timer = this.#timers.get(session);
    if (timer === undefined) return;
    clearTimeout(timer);
    this.#timers.delete(session);
    this.suspended.delete(session.id);
  }
}
