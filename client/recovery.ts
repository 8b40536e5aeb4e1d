/** Most nodes whose last position the client keeps (the server accepts as many). */
const MAX_ORIGINS = 64;

/**
 * Connection-state recovery, client side (docs/connection-state-recovery.md): opts in on every connection URL,
 * keeps the resume token the server gave last, and counts the frames received since the server's
 * `sockeon.session` frame: that count is the offset a resume asks to continue from. Frames that carry a
 * position (`"pos":"<node>:<seq>"`, cross-node recovery) also update the last position seen from that node,
 * sent on a resume so another node can replay what was missed.
 */
export class ResumeState {
  #token: string | undefined;
  #offset = 0;
  #counting = false;
  readonly #positions = new Map<string, number>();
  /** Whether the last session frame said the session was resumed. */
  recovered = false;

  /** Whether the next connection asks to resume a session (the client then waits for the answer). */
  get resuming(): boolean {
    return this.#token !== undefined;
  }

  /** The URL of the next connection: opted in, with the token, offset and positions once it has a session. */
  url(base: string): string {
    const url = new URL(base);
    url.searchParams.set("sockeon_recovery", "1");
    if (this.#token !== undefined) {
      url.searchParams.set("sockeon_token", this.#token);
      url.searchParams.set("sockeon_offset", String(this.#offset));
      if (this.#positions.size > 0)
        url.searchParams.set("sockeon_pos", [...this.#positions].map(([node, seq]) => `${node}:${seq}`).join(","));
    }
    return url.href;
  }

  /** A new socket opened: nothing is counted until its session frame. */
  opened(): void {
    this.#counting = false;
  }

  /** Counts one received frame. @returns true for the session frame, which is recovery's own */
  seen(frame: { event?: unknown; data?: any; pos?: unknown }): boolean {
    const { event, data } = frame;
    if (event === "sockeon.session" && typeof data?.token === "string" && Number.isSafeInteger(data.offset)) {
      this.#token = data.token;
      this.#offset = data.offset;
      this.#counting = true;
      this.recovered = data.recovered === true;
      // a fresh session starts counting every node's positions again
      if (!this.recovered) this.#positions.clear();
      return true;
    }
    if (this.#counting) this.#offset++;
    if (typeof frame.pos === "string") this.#position(frame.pos);
    return false;
  }

  #position(pos: string): void {
    const colon = pos.lastIndexOf(":");
    const seq = Number(pos.slice(colon + 1));
    if (colon <= 0 || !Number.isSafeInteger(seq)) return;
    const node = pos.slice(0, colon);
    // the most recently heard nodes are kept: re-insert so the oldest is first
    this.#positions.delete(node);
    this.#positions.set(node, seq);
    if (this.#positions.size > MAX_ORIGINS) this.#positions.delete(this.#positions.keys().next().value as string);
  }
}
