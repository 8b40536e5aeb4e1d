import type { ErrorContext } from "../common/errors.ts";

/**
 * When a shutdown hook runs: `"accepting"` first (adapters stop listening), `"closed"` once every client is gone
 * or the timeout passed (brokers disconnect, adapters force-close what is left and free the port).
 */
export type ShutdownPhase = "accepting" | "closed";

/** Work to do on shutdown; may return a promise, which is awaited (bounded by the close timeout). */
export type ShutdownHook = () => unknown;

/** Options of `server.close()`. */
export interface CloseOptions {
  /** Milliseconds to wait for clients to take their queued frames and answer the close; default 10000. */
  timeout?: number;
}

/** The close code and reason every client gets on shutdown. */
export const SHUTDOWN_CLOSE = { code: 1001, reason: "server shutting down" } as const;

/** What the shutdown needs from the server. */
export interface ShutdownHost {
  /** Sends close 1001 to every session, after flushing its queue; runs `@OnDisconnect` handlers. */
  closeAllSessions(code: number, reason: string): void;
  reportError(error: unknown, context: ErrorContext): void;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Graceful shutdown: registered hooks, the sockets still open, and the disconnect handlers still running.
 * {@link Shutdown.run} stops accepting, closes every client with 1001 after its queued frames, waits (up to the
 * timeout) for the sockets to close and the handlers to finish, then runs the `"closed"` hooks. Runs once; later
 * calls return the same promise.
 */
export class Shutdown {
  readonly #hooks: Record<ShutdownPhase, ShutdownHook[]> = { accepting: [], closed: [] };
  readonly #sockets = new Set<object>();
  readonly #tasks = new Set<Promise<unknown>>();
  #wake: (() => void) | undefined;
  #running: Promise<void> | undefined;

  /** True once a shutdown started: new upgrades are refused. */
  get closing(): boolean {
    return this.#running !== undefined;
  }

  /**
   * Registers a hook.
   * @example server.onShutdown(() => redis.quit()) // runs after every client is gone
   */
  add(hook: ShutdownHook, phase: ShutdownPhase = "closed"): void {
    if (typeof hook !== "function") throw new TypeError(`onShutdown: a hook must be a function, got ${typeof hook}`);
    if (phase !== "accepting" && phase !== "closed") throw new TypeError(`onShutdown: unknown phase ${String(phase)}`);
    this.#hooks[phase].push(hook);
  }

  /** A socket opened; shutdown waits for its close. */
  socketOpened(socket: object): void {
    this.#sockets.add(socket);
  }

  /** The runtime reported a socket closed. */
  socketClosed(socket: object): void {
    if (this.#sockets.delete(socket)) this.#check();
  }

  /** Work shutdown waits for (disconnect handlers). */
  track(task: Promise<unknown>): void {
    this.#tasks.add(task);
    void task.finally(() => {
      this.#tasks.delete(task);
      this.#check();
    });
  }

  /** Starts the shutdown, or returns the one under way. */
  run(host: ShutdownHost, options: CloseOptions = {}): Promise<void> {
    if (!this.#running) {
      const timeout = options.timeout ?? DEFAULT_TIMEOUT_MS;
      if (typeof timeout !== "number" || !Number.isFinite(timeout) || timeout < 0)
        return Promise.reject(new TypeError(`close: timeout must be a non-negative number of ms, got ${String(timeout)}`));
      this.#running = this.#run(host, timeout);
    }
    return this.#running;
  }

  async #run(host: ShutdownHost, timeout: number): Promise<void> {
    await this.#runHooks(host, "accepting", timeout);
    host.closeAllSessions(SHUTDOWN_CLOSE.code, SHUTDOWN_CLOSE.reason);
    await bounded(
      new Promise<void>((resolve) => {
        this.#wake = resolve;
        this.#check();
      }),
      timeout,
    );
    this.#wake = undefined;
    await this.#runHooks(host, "closed", timeout);
  }

  #check(): void {
    if (this.#wake && this.#sockets.size === 0 && this.#tasks.size === 0) this.#wake();
  }

  async #runHooks(host: ShutdownHost, phase: ShutdownPhase, timeout: number): Promise<void> {
    const runs = this.#hooks[phase].map(async (hook) => {
      try {
        await hook();
      } catch (error) {
        host.reportError(error, { source: "shutdown" });
      }
    });
    await bounded(Promise.all(runs), timeout);
  }
}

/** Waits for `promise`, but no longer than `ms`. */
async function bounded(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([promise, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}
