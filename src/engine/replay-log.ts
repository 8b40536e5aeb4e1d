/** Caps of one session's replay log (connection-state recovery). */
export interface ReplayCaps {
  /** Most frames kept per session. */
  readonly maxFrames: number;
  /** Most UTF-16 units of frame text kept per session (an upper bound of what the frames cost; broadcasts share theirs). */
  readonly maxBytes: number;
}

/**
 * The frames recently sent to one session that opted into recovery, numbered 1, 2, 3, ... in send order (the
 * session's offset). While the session is live the log is a ring: over a cap the oldest frames go. Once the
 * session is suspended, a frame sent after the suspension may never be dropped: {@link ReplayLog.add} then
 * reports that recovery is given up. Pure: no timers, no I/O.
 * @example
 * const log = new ReplayLog({ maxFrames: 1000, maxBytes: 1 << 20 });
 * log.add('{"event":"a","data":{}}'); // offset 1
 * log.since(0); // ['{"event":"a","data":{}}']
 */
export class ReplayLog {
  readonly #caps: ReplayCaps;
  #frames: string[] = [];
  /** Index in #frames of the oldest retained frame (dropped ones are compacted away in bulk). */
  #head = 0;
  #bytes = 0;
  #seq = 0;
  /** The offset when the session was suspended; -1 while it is live. */
  #suspendedAt = -1;

  constructor(caps: ReplayCaps) {
    this.#caps = caps;
  }

  /** Offset of the last frame added (frames ever added). */
  get offset(): number {
    return this.#seq;
  }

  /** Frames retained now. */
  get size(): number {
    return this.#frames.length - this.#head;
  }

  /** UTF-16 units retained now. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Whether the session is suspended. */
  get suspended(): boolean {
    return this.#suspendedAt >= 0;
  }

  /**
   * Appends a frame (the next offset).
   * @returns false when the session is suspended and the caps would drop a frame sent after the suspension:
   *   the client can no longer be given everything it missed
   */
  add(frame: string): boolean {
    this.#frames.push(frame);
    this.#seq++;
    this.#bytes += frame.length;
    const { maxFrames, maxBytes } = this.#caps;
    while (this.size > maxFrames || this.#bytes > maxBytes) {
      if (this.#suspendedAt >= 0 && this.#seq - this.size + 1 > this.#suspendedAt) return false;
      this.#dropOldest();
    }
    return true;
  }

  /** The session's socket dropped: from now on frames may not be lost. */
  suspend(): void {
    this.#suspendedAt = this.#seq;
  }

  /** Whether every frame after `offset` is retained, so a client that saw up to `offset` can be made whole. */
  covers(offset: number): boolean {
    return Number.isSafeInteger(offset) && offset <= this.#seq && offset >= this.#seq - this.size;
  }

  /** The frames after `offset`, oldest first; `undefined` when {@link ReplayLog.covers} is false. */
  since(offset: number): string[] | undefined {
    if (!this.covers(offset)) return undefined;
    return this.#frames.slice(this.#frames.length - (this.#seq - offset));
  }

  /** The client resumed having seen up to `offset`: frames up to it are dropped and the log is live again. */
  resumed(offset: number): void {
    this.#suspendedAt = -1;
    while (this.size > 0 && this.#seq - this.size < offset) this.#dropOldest();
  }

  #dropOldest(): void {
    const frames = this.#frames;
    this.#bytes -= (frames[this.#head] as string).length;
    frames[this.#head++] = "";
    // compact in bulk so a ring of n frames costs O(1) per frame
    if (this.#head >= 64 && this.#head * 2 >= frames.length) {
      this.#frames = frames.slice(this.#head);
      this.#head = 0;
    }
  }
}
