/**
 * Connection-state recovery, client side (docs/connection-state-recovery.md): opts in on every connection URL,
 * keeps the resume token the server gave last, and counts the frames received since the server's
 * `sockeon.session` frame: that count is the offset a resume asks to continue from.
 */
export class ResumeState {
  #token: string | undefined;
  #offset = 0;
  #counting = false;
  /** Whether the last session frame said the session was resumed. */
  recovered = false;

  /** Whether the next connection asks to resume a session (the client then waits for the answer). */
  get resuming(): boolean {
    return this.#token !== undefined;
  }

  /** The URL of the next connection: opted in, with the token and offset once the client has a session. */
  url(base: string): string {
    const url = new URL(base);
    url.searchParams.set("sockeon_recovery", "1");
    if (this.#token !== undefined) {
      url.searchParams.set("sockeon_token", this.#token);
      url.searchParams.set("sockeon_offset", String(this.#offset));
    }
    return url.href;
  }

  /** A new socket opened: nothing is counted until its session frame. */
  opened(): void {
    this.#counting = false;
  }

  /** Counts one received frame. @returns true for the session frame, which is recovery's own */
  seen(event: unknown, data: any): boolean {
    if (event === "sockeon.session" && typeof data?.token === "string" && Number.isSafeInteger(data.offset)) {
      this.#token = data.token;
      this.#offset = data.offset;
      this.#counting = true;
      this.recovered = data.recovered === true;
      return true;
    }
    if (this.#counting) this.#offset++;
    return false;
  }
}
