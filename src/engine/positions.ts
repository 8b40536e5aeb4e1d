/**
 * Positions of cross-node connection-state recovery (docs/connection-state-recovery.md#across-the-cluster): every
 * broadcast and direct emit a node makes gets the next number of that node's own sequence, so `(origin node, seq)`
 * names it everywhere. Frames to opted-in clients carry that position; a client resuming on another node says
 * the last position it saw from each origin, and the new node replays the history entries after them that were
 * meant for the session. Pure: no timers, no I/O.
 */

/**
 * Per-origin sequence numbers seen at one moment (`{ [originNode]: seq }`), plus `"@"`: the time it was taken
 * (ms), which stands in for origins a node had not heard from yet (node ids never contain `@`).
 */
export type Heads = Record<string, number>;

/** One broadcast or direct emit as kept in the shared history: where it went, and the frame as sent. */
export interface HistoryEntry {
  /** The origin node's sequence number. */
  readonly seq: number;
  /** When the origin sent it (ms). */
  readonly t: number;
  /** The frame as non-opted-in clients got it (no position). */
  readonly frame: string;
  /** Namespace of a room or namespace broadcast; absent for a global broadcast or a direct emit. */
  readonly namespace?: string;
  readonly rooms?: readonly string[];
  readonly except?: readonly string[];
  /** Target client ids of a direct emit. */
  readonly clients?: readonly string[];
}

/** What a resuming node needs to know of a session: kept in the shared store while the session may resume. */
export interface SessionRecord {
  readonly id: string;
  /** Node that holds (or held) the session. */
  readonly owner: string;
  /** SHA-256 of its current resume token, hex. */
  readonly token: string;
  readonly namespace: string;
  /** Heads when the session started: global broadcasts and direct emits after them are the session's. */
  readonly since: Heads;
  /** Heads when it entered its namespace. */
  readonly nsSince: Heads;
  /** Each room it is in, with the heads when it joined. */
  readonly rooms: Readonly<Record<string, Heads>>;
  readonly data: Readonly<Record<string, unknown>>;
  /** The store's epoch when the session started (see `RecoveryStore.epoch`); a record of another epoch is stale. */
  readonly epoch?: string;
}

/** The frame prefix of a positioned frame; a plain Sockeon frame always starts with `{"event":`. */
const POS_PREFIX = '{"pos":"';
const ORIGIN = /^[\w.-]{1,128}$/;
/** Most origins a client may report on a resume (and keeps). */
export const MAX_ORIGINS = 64;

/**
 * The frame with its position: `{"pos":"<origin>:<seq>","event":...}`, one string per broadcast shared by every
 * opted-in recipient.
 * @example stamp('{"event":"a","data":1}', "n1", 7) // '{"pos":"n1:7","event":"a","data":1}'
 */
export function stamp(frame: string, origin: string, seq: number): string {
  return `${POS_PREFIX}${origin}:${seq}",${frame.slice(1)}`;
}

/** The position of a frame built by {@link stamp}, or undefined for any other frame. */
export function positionOf(frame: string): { origin: string; seq: number } | undefined {
  if (!frame.startsWith(POS_PREFIX)) return undefined;
  const end = frame.indexOf('"', POS_PREFIX.length);
  const text = frame.slice(POS_PREFIX.length, end);
  const colon = text.lastIndexOf(":");
  const seq = Number(text.slice(colon + 1));
  return colon > 0 && Number.isSafeInteger(seq) ? { origin: text.slice(0, colon), seq } : undefined;
}

/**
 * Reads the `sockeon_pos` query parameter: `origin:seq` pairs joined by commas.
 * @returns the positions, or undefined when the parameter is malformed (the resume then gets a fresh session)
 */
export function parsePositions(param: string | null): Map<string, number> | undefined {
  const positions = new Map<string, number>();
  if (param === null || param === "") return positions;
  const pairs = param.split(",");
  if (pairs.length > MAX_ORIGINS) return undefined;
  for (const pair of pairs) {
    const colon = pair.lastIndexOf(":");
    const origin = pair.slice(0, colon);
    const digits = pair.slice(colon + 1);
    const seq = Number(digits);
    if (colon <= 0 || !ORIGIN.test(origin) || !/^\d{1,16}$/.test(digits) || !Number.isSafeInteger(seq)) return undefined;
    positions.set(origin, seq);
  }
  return positions;
}

/** Whether an entry is newer than a heads vector (for an origin the vector lacks: sent after it was taken). */
function after(heads: Heads | undefined, origin: string, entry: HistoryEntry): boolean {
  if (heads === undefined) return false;
  const seq = heads[origin];
  return seq === undefined ? entry.t > (heads["@"] ?? 0) : entry.seq > seq;
}

/**
 * Whether a history entry of `origin` was addressed to the session of `record` while it was a member of its
 * target (a room it had joined, its namespace once in it, global broadcasts and emits since it started).
 */
export function meantFor(entry: HistoryEntry, origin: string, record: SessionRecord): boolean {
  if (entry.except?.includes(record.id)) return false;
  if (entry.clients) return entry.clients.includes(record.id) && after(record.since, origin, entry);
  if (entry.namespace === undefined) return after(record.since, origin, entry);
  if (entry.namespace !== record.namespace) return false;
  if (!entry.rooms || entry.rooms.length === 0) return after(record.nsSince, origin, entry);
  return entry.rooms.some((room) => after(record.rooms[room], origin, entry));
}

/**
 * The frames a resuming session missed, oldest first: per origin, the entries after the client's last position
 * that were meant for it, stamped with their position. Origins are interleaved by send time; the order per
 * origin is always kept.
 * @param history entries per origin, each list in sequence order
 * @param seen the client's last position per origin
 */
export function missedFrames(
  history: ReadonlyMap<string, readonly HistoryEntry[]>,
  seen: ReadonlyMap<string, number>,
  record: SessionRecord,
): Array<{ origin: string; seq: number; t: number; frame: string }> {
  const out: Array<{ origin: string; seq: number; t: number; frame: string }> = [];
  for (const [origin, entries] of history) {
    const last = seen.get(origin) ?? 0;
    for (const entry of entries)
      if (entry.seq > last && meantFor(entry, origin, record))
        out.push({ origin, seq: entry.seq, t: entry.t, frame: stamp(entry.frame, origin, entry.seq) });
  }
  // a stable sort keeps each origin's sequence order among entries of the same millisecond
  return out.sort((a, b) => a.t - b.t || (a.origin === b.origin ? a.seq - b.seq : 0));
}
