import { encodeFrame } from "../protocol/protocol.ts";
import type { Connection } from "./connection.ts";
import type { History } from "./history.ts";
import { missedFrames, positionOf, type SessionRecord } from "./positions.ts";
import { type ReplayCaps, ReplayLog } from "./replay-log.ts";
import type { Session } from "./session.ts";

/** A resume on this node of a session another node held: its shared record and the client's last positions. */
export interface RemoteClaim {
  readonly record: SessionRecord;
  readonly seen: ReadonlyMap<string, number>;
}

/** Longest a resume waits for the shared history before giving up (the client then gets a fresh session). */
const HISTORY_TIMEOUT_MS = 5000;

/**
 * The connection of a session resumed from another node while its missed frames are read from the shared
 * history: frames sent to it meanwhile (live traffic, replies) are held, then written after the replay, minus
 * those the replay already carried. At most `max` frames are held; more makes the resume fail.
 */
export class HeldConnection implements Connection {
  readonly #inner: Connection;
  readonly #max: number;
  #held: string[] | null = [];
  overflowed = false;

  constructor(inner: Connection, max: number) {
    this.#inner = inner;
    this.#max = max;
  }

  get raw(): unknown {
    return this.#inner.raw;
  }

  send(frame: string): number | undefined | void {
    if (this.#held === null) return this.#inner.send(frame);
    if (this.#held.length >= this.#max) this.overflowed = true;
    else this.#held.push(frame);
    return undefined;
  }

  close(code?: number, reason?: string): void {
    this.#held = null;
    this.#inner.close(code, reason);
  }

  bufferedAmount(): number {
    return this.#inner.bufferedAmount?.() ?? 0;
  }

  cork(writes: () => void): void {
    if (this.#held === null && this.#inner.cork) this.#inner.cork(writes);
    else writes();
  }

  /** Ends the hold: writes `first`, then the held frames `keep` lets through, and passes through from now on. */
  release(first: readonly string[], keep: (frame: string) => boolean): string[] {
    const held = (this.#held ?? []).filter(keep);
    this.#held = null;
    const write = (): void => {
      for (const frame of first) this.#inner.send(frame);
      for (const frame of held) this.#inner.send(frame);
    };
    if (this.#inner.cork) this.#inner.cork(write);
    else write();
    return held;
  }
}

function timeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the shared history did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}

/**
 * Replays to a session resumed from another node what it missed: reads the history after the client's last
 * positions, keeps what was meant for the session, then writes the session frame, the missed frames and the
 * frames held meanwhile, in that order. When the history cannot be read, or holds more than the caps, the
 * connection is closed with 1011 and the session ends: the client's next connection gets a fresh session.
 */
export async function replayRemote(
  session: Session,
  hold: HeldConnection,
  claim: RemoteClaim,
  token: string,
  history: History,
  caps: ReplayCaps,
  report: (error: unknown) => void,
): Promise<void> {
  const { record, seen } = claim;
  // entries at or before the session's start predate it: the reads start after them
  const from = new Map(seen);
  for (const [origin, seq] of Object.entries(record.since))
    if (origin !== "@" && seq > (from.get(origin) ?? 0)) from.set(origin, seq);
  let frames: ReturnType<typeof missedFrames>;
  try {
    frames = missedFrames(await timeout(history.store.history(record.namespace, from), HISTORY_TIMEOUT_MS), from, record);
    let bytes = 0;
    for (const f of frames) bytes += f.frame.length;
    if (frames.length > caps.maxFrames || bytes > caps.maxBytes)
      throw new Error(`${frames.length} missed frames (${bytes} characters) are over the recovery caps`);
    if (hold.overflowed) throw new Error("more frames arrived during the resume than the recovery caps hold");
  } catch (error) {
    if (session.state !== "open") return;
    hold.release([], () => false);
    report(error);
    session.close(1011, "Session could not be recovered");
    return;
  }
  if (session.state !== "open") return;
  const replayed = new Map<string, number>();
  for (const f of frames) replayed.set(f.origin, Math.max(replayed.get(f.origin) ?? 0, f.seq));
  // what the session's queue holds goes to the hold first, so the log below matches what the client counts
  session.flush();
  const sessionFrame = encodeFrame("sockeon.session", { id: session.id, token, offset: 0, recovered: true });
  const replay = frames.map((f) => f.frame);
  const held = hold.release([sessionFrame, ...replay], (frame) => {
    const pos = positionOf(frame);
    return pos === undefined || pos.seq > (replayed.get(pos.origin) ?? 0);
  });
  const log = new ReplayLog(caps);
  for (const frame of replay) log.add(frame);
  for (const frame of held) log.add(frame);
  session.keepLog(log);
}
