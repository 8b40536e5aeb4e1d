import type { HeartbeatOptions } from "./options.ts";

/**
 * Dead-server detection for one connection. Any frame from the server counts as a sign of life, so a busy
 * connection costs nothing; after `interval` ms of silence it asks for `sockeon.ping`, and if `timeout` ms more
 * pass without any frame, it declares the server dead. Browsers cannot see WebSocket-level pongs, hence events.
 */
export class Heartbeat {
  readonly #options: Required<HeartbeatOptions>;
  readonly #ping: () => void;
  readonly #dead: () => void;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #lastSeen = 0;
  #pingedAt = 0;

  constructor(options: Required<HeartbeatOptions>, ping: () => void, dead: () => void) {
    this.#options = options;
    this.#ping = ping;
    this.#dead = dead;
  }

  /** Starts watching a fresh connection. */
  start(): void {
    this.#lastSeen = Date.now();
    this.#pingedAt = 0;
    this.#schedule(this.#options.interval);
  }

  /** A frame arrived. Kept to a timestamp: no timer work per frame. */
  seen(): void {
    this.#lastSeen = Date.now();
  }

  /** Stops watching (the connection ended). */
  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #schedule(ms: number): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#check(), ms);
  }

  #check(): void {
    if (this.#pingedAt > this.#lastSeen) {
      this.stop();
      this.#dead();
      return;
    }
    const quiet = Date.now() - this.#lastSeen;
    if (quiet < this.#options.interval) {
      this.#schedule(this.#options.interval - quiet);
      return;
    }
    this.#pingedAt = Date.now();
    this.#ping();
    this.#schedule(this.#options.timeout);
  }
}
