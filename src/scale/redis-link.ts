import type { ErrorContext } from "../common/errors.ts";
import type { Logger } from "../common/logger.ts";
import type { RedisLike } from "./redis.ts";

/** Where the link reports; the server's logger and `onError` once the broker is subscribed. */
export interface LinkReporter {
  logger: Logger;
  reportError(error: unknown, context: ErrorContext): void;
}

/** Redis could not be reached; reported once per outage through `onError`. */
export class RedisUnavailableError extends Error {
  override name = "RedisUnavailableError";
}

/** Whether a command failed because the connection broke (not because of the command). */
function isConnectionError(error: unknown): boolean {
  const text = `${(error as Error)?.name ?? ""} ${(error as Error)?.message ?? error}`;
  return /socket|closed|connection|disconnect|ECONN|EPIPE|offline/i.test(text);
}

/**
 * Watches the connections of one broker (commands and subscriber): keeps an `error` listener on each (without
 * one node-redis crashes Node and never reconnects on Bun), knows whether Redis is usable now, reports an
 * outage once and its end once, and tells the broker when to re-sync. Reconnecting is the client's own job.
 */
export class RedisLink {
  readonly #clients: RedisLike[];
  readonly #restored = new Set<() => void>();
  readonly #listeners: Array<[RedisLike, string, (...args: unknown[]) => void]> = [];
  #reporter: LinkReporter | undefined;
  #down = false;
  #downSince = 0;
  #closed = false;
  /** Wakes a waiting {@link connectUntilOpen} retry when the link closes. */
  #wake: (() => void) | undefined;
  /** Outages recovered from (for metrics). */
  restoredCount = 0;
  readonly #dropped: () => number;

  /**
   * @param dropped how many messages the current outage dropped so far, for the recovery log line
   * @param cluster the clients are Redis Cluster clients: a shard's outage shows as `node-error`, its end (the
   *   old master back, or a replica promoted and found) as `node-ready`; the cluster client itself stays ready
   */
  constructor(clients: RedisLike[], dropped: () => number = () => 0, cluster = false) {
    this.#dropped = dropped;
    this.#clients = clients;
    for (const client of clients) {
      this.#listen(client, "error", (error) => this.#lost(error));
      this.#listen(client, "reconnecting", () => this.#lost(new Error("connection lost, reconnecting")));
      this.#listen(client, "ready", () => this.#maybeRestored());
      if (cluster) {
        // a cluster client that connected after failing to (the cluster was down at start-up) emits no "ready"
        this.#listen(client, "connect", () => this.#maybeRestored());
        this.#listen(client, "node-error", (error, node) => this.#lost(error, node));
        this.#listen(client, "node-ready", () => this.#maybeRestored());
      }
    }
  }

  /** Sets where outages are reported. */
  report(to: LinkReporter): void {
    this.#reporter = to;
  }

  /** True when every connection is ready: commands and publishes go out now. */
  get up(): boolean {
    return !this.#closed && this.#clients.every((c) => c.isReady);
  }

  /** Calls `listener` each time Redis is back after an outage. */
  onRestored(listener: () => void): void {
    this.#restored.add(listener);
  }

  /** Opens the connections that are not open yet; never rejects (a failure is an outage, reported once). */
  async connect(): Promise<void> {
    await Promise.all(
      this.#clients.map(async (client) => {
        if (client.isOpen) return;
        try {
          await client.connect();
        } catch (error) {
          this.#lost(error);
        }
      }),
    );
  }

  /** True when every connection was opened (it may be reconnecting now). */
  get open(): boolean {
    return this.#clients.every((c) => c.isOpen);
  }

  /**
   * {@link connect}, retried with a backoff (100 ms doubling to 2 s) until every connection is open or the link
   * closes: a cluster client that could not load the slot map at start-up does not retry by itself. Only the
   * first failure is reported (the outage).
   */
  async connectUntilOpen(): Promise<void> {
    for (let attempt = 0; !this.#closed; attempt++) {
      await this.connect();
      if (this.open || this.#closed) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(
          () => {
            this.#wake = undefined;
            resolve();
          },
          Math.min(100 * 2 ** attempt, 2000),
        );
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /**
   * Reports a failed command unless it failed because Redis is unreachable (that is the outage, already
   * reported once).
   */
  failed(error: unknown, what: string): void {
    if (this.#closed) return;
    if (!this.up || isConnectionError(error)) {
      this.#lost(error);
      return;
    }
    this.#reporter?.reportError(new Error(`Redis ${what} failed: ${(error as Error)?.message ?? error}`, { cause: error }), {
      source: "broker",
    });
  }

  /** Removes the listeners this link added; the clients themselves are closed by their owner. */
  close(): void {
    this.#closed = true;
    this.#wake?.();
    // node-redis may still emit an error while closing (or later, for a client its owner keeps open): a no-op
    // listener keeps it from crashing the process. Added first: node-redis clients are prototype proxies, and an
    // emitter left without any listener resets its listener table on the proxy, away from the client that emits
    for (const client of this.#clients) client.on("error", () => {});
    for (const [client, event, listener] of this.#listeners.splice(0)) client.off(event, listener);
  }

  #listen(client: RedisLike, event: string, listener: (...args: unknown[]) => void): void {
    client.on(event, listener);
    this.#listeners.push([client, event, listener]);
  }

  #lost(error: unknown, node?: unknown): void {
    if (this.#down || this.#closed) return;
    this.#down = true;
    this.#downSince = Date.now();
    const where = (node as { host?: string; port?: number } | undefined)?.port;
    const reason = `${(error as Error)?.message ?? String(error)}${where ? ` on cluster node :${where}` : ""}`;
    this.#reporter?.reportError(
      new RedisUnavailableError(
        `Redis unavailable (${reason}): cross-node delivery ${where ? "through that shard " : ""}paused, local delivery continues`,
        { cause: error },
      ),
      { source: "broker" },
    );
  }

  #maybeRestored(): void {
    if (!this.#down || !this.up) return;
    this.#down = false;
    this.restoredCount++;
    const dropped = this.#dropped();
    this.#reporter?.logger.notice(
      `Redis available again after ${Date.now() - this.#downSince} ms; ${dropped} cross-node messages were dropped`,
      { dropped },
    );
    for (const listener of this.#restored) {
      try {
        listener();
      } catch (error) {
        this.#reporter?.reportError(error, { source: "broker" });
      }
    }
  }
}
