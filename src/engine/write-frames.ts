import type { Connection } from "./connection.ts";

/** All frames fully written (Bun reported positive byte counts): no backlog to ask about. */
export const WRITTEN = 0;
/** The runtime did not say (or buffered under backpressure): the backlog must be checked. */
export const UNKNOWN = 1;
/** The runtime refused a frame (Bun's `send` returned 0: its `backpressureLimit` is full, or the socket is closing). */
export const REFUSED = 2;

/** What {@link writeFrames} did: the worst outcome and how many frames the runtime took. */
export interface WriteResult {
  outcome: number;
  written: number;
}

// One result object and the cork callback's inputs live here, so a write allocates no closure or object; cork
// runs its callback synchronously.
const result: WriteResult = { outcome: WRITTEN, written: 0 };
const NO_FRAMES: readonly string[] = [];
const pending = { connection: null as Connection | null, frames: NO_FRAMES, from: 0, to: 0 };

function writeRange(connection: Connection, frames: readonly string[], from: number, to: number): void {
  let outcome = WRITTEN;
  let i = from;
  for (; i < to; i++) {
    const frame = frames[i] as string;
    const sent = connection.send(frame);
    // Bun answers 0 for an empty frame it did send; for any other frame 0 means it was not taken
    if (sent === 0 && frame.length > 0) {
      outcome = REFUSED;
      break;
    }
    if (outcome === WRITTEN && !(typeof sent === "number" && sent > 0)) outcome = UNKNOWN;
  }
  result.outcome = outcome;
  result.written = i - from;
}

function writePending(): void {
  if (pending.connection) writeRange(pending.connection, pending.frames, pending.from, pending.to);
}

/**
 * Writes `frames[from..to)` in order, batched by the runtime where it can (Bun `cork`, Node net-socket cork), and
 * stops at the first frame the runtime refuses, so no later frame overtakes it. The returned object is shared:
 * read it before the next call.
 */
export function writeFrames(connection: Connection, frames: readonly string[], from: number, to: number): WriteResult {
  if (to - from === 1 || !connection.cork) {
    writeRange(connection, frames, from, to);
    return result;
  }
  pending.connection = connection;
  pending.frames = frames;
  pending.from = from;
  pending.to = to;
  result.outcome = WRITTEN;
  result.written = 0;
  try {
    connection.cork(writePending);
  } finally {
    pending.connection = null;
    pending.frames = NO_FRAMES;
  }
  return result;
}
