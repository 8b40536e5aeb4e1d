import { randomId } from "./client-id.ts";

/**
 * Resume tokens of connection-state recovery: an unguessable token (128 random bits) per recoverable session,
 * single-use (taking it removes it) and replaced by a new one on every resume. A client id alone never resumes
 * a session. Pure: no timers, no I/O.
 * @example
 * const tokens = new ResumeTokens<Session>();
 * const token = tokens.issue(session); // sent to the client
 * tokens.take(token); // session, once; then undefined
 */
export class ResumeTokens<T extends object> {
  readonly #owners = new Map<string, T>();
  readonly #tokens = new WeakMap<T, string>();

  /** Tokens outstanding. */
  get size(): number {
    return this.#owners.size;
  }

  /** A new token for `owner`; any earlier token of `owner` stops working. */
  issue(owner: T): string {
    this.revoke(owner);
    const token = randomId();
    this.#owners.set(token, owner);
    this.#tokens.set(owner, token);
    return token;
  }

  /** The owner of `token`, removing the token (single use); `undefined` for an unknown or used token. */
  take(token: string): T | undefined {
    const owner = this.#owners.get(token);
    if (owner === undefined) return undefined;
    this.#owners.delete(token);
    this.#tokens.delete(owner);
    return owner;
  }

  /** Puts a taken token back (its resume was turned away by the handshake policy, so it was not used). */
  restore(token: string, owner: T): void {
    if (this.#tokens.has(owner)) return;
    this.#owners.set(token, owner);
    this.#tokens.set(owner, token);
  }

  /** Removes `owner`'s token, if any. */
  revoke(owner: T): void {
    const token = this.#tokens.get(owner);
    if (token === undefined) return;
    this.#owners.delete(token);
    this.#tokens.delete(owner);
  }
}
