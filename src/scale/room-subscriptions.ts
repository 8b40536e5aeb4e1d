/**
 * The room channels one node listens to in sharded mode: a channel is subscribed while at least one room of
 * this node's clients maps to it, and unsubscribed when the last one closes. Subscribing is asynchronous, so
 * each channel has at most one command in flight; whatever the rooms did meanwhile is reconciled when it
 * answers (a room closed and reopened before its SUNSUBSCRIBE went out costs nothing more).
 */
export interface ChannelOps {
  subscribe(channel: string): Promise<unknown>;
  unsubscribe(channel: string): Promise<unknown>;
  /** A subscribe or unsubscribe Redis refused or could not take (the link decides whether it is an outage). */
  failed(error: unknown, what: string): void;
}

interface ChannelState {
  /** Rooms of this node mapped to the channel (two rooms may share one). */
  rooms: number;
  /** What Redis last confirmed. */
  active: boolean;
  /** A command for this channel is in flight. */
  busy: boolean;
  /** Resolves whoever waits for the channel to be subscribed (see {@link RoomSubscriptions.whenSubscribed}). */
  waiting?: () => void;
}

/** Reference-counted, serialised subscriptions to room channels. */
export class RoomSubscriptions {
  readonly #ops: ChannelOps;
  readonly #maxWaitMs: number;
  readonly #channels = new Map<string, ChannelState>();
  readonly #waiting = new Map<ChannelState, Promise<void>>();
  /** False until the broker started (before it, the wanted channels are only counted). */
  #started = false;
  #closed = false;
  /** Channels subscribed, and unsubscribed, since the start (for tests and metrics). */
  subscribes = 0;
  unsubscribes = 0;

  /** @param maxWaitMs longest {@link whenSubscribed} keeps a caller waiting for a subscription */
  constructor(ops: ChannelOps, maxWaitMs = 1000) {
    this.#ops = ops;
    this.#maxWaitMs = maxWaitMs;
  }

  /** A room of this node opened (its first local member joined). */
  add(channel: string): void {
    let state = this.#channels.get(channel);
    if (!state) this.#channels.set(channel, (state = { rooms: 0, active: false, busy: false }));
    state.rooms++;
    if (state.rooms === 1) this.#reconcile(channel, state);
  }

  /** A room of this node closed (its last local member left). */
  remove(channel: string): void {
    const state = this.#channels.get(channel);
    if (!state || state.rooms === 0) return;
    state.rooms--;
    if (state.rooms === 0) this.#reconcile(channel, state);
  }

  /**
   * A promise when the channel is wanted but its subscription is not confirmed yet (resolves once Redis
   * confirms it, the command fails, the subscriptions close, or after `maxWaitMs`); undefined when it is
   * subscribed, not wanted, or nothing is sent yet (the broker is still connecting: no wait for an outage).
   */
  whenSubscribed(channel: string): Promise<void> | undefined {
    const state = this.#channels.get(channel);
    if (!state || state.rooms === 0 || !this.#started || this.#closed || (state.active && !state.busy)) return undefined;
    let promise = this.#waiting.get(state);
    if (!promise) {
      promise = new Promise<void>((resolve) => {
        const timer = setTimeout(() => this.#wake(state), this.#maxWaitMs);
        state.waiting = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#waiting.set(state, promise);
    }
    return promise;
  }

  /** Channels subscribed now (confirmed by Redis). */
  get active(): string[] {
    return [...this.#channels].filter(([, s]) => s.active).map(([channel]) => channel);
  }

  /** Channels with a command in flight: a broadcast from another node may miss a new member until it lands. */
  get pending(): number {
    let n = 0;
    for (const state of this.#channels.values()) if (state.busy) n++;
    return n;
  }

  /** Starts subscribing (the client is connected); also after an outage, for channels whose command failed. */
  start(): void {
    if (this.#closed) return;
    this.#started = true;
    for (const [channel, state] of this.#channels) this.#reconcile(channel, state);
  }

  /** Stops issuing commands (the subscriber connection is about to close); nobody waits any more. */
  close(): void {
    this.#closed = true;
    for (const state of [...this.#waiting.keys()]) this.#wake(state);
  }

  #wake(state: ChannelState): void {
    state.waiting?.();
    state.waiting = undefined;
    this.#waiting.delete(state);
  }

  #reconcile(channel: string, state: ChannelState): void {
    if (!this.#started || this.#closed || state.busy) return;
    const want = state.rooms > 0;
    if (want === state.active) {
      if (!want) this.#channels.delete(channel);
      return;
    }
    state.busy = true;
    const command = want ? this.#ops.subscribe(channel) : this.#ops.unsubscribe(channel);
    command.then(
      () => {
        state.active = want;
        if (want) this.subscribes++;
        else this.unsubscribes++;
        state.busy = false;
        this.#reconcile(channel, state);
        if (state.active && !state.busy) this.#wake(state);
      },
      (error) => {
        // left as it was: start() (called again once Redis is back) retries; no retry loop while it is down
        state.busy = false;
        this.#wake(state);
        this.#ops.failed(error, want ? `subscribe to ${channel}` : `unsubscribe from ${channel}`);
      },
    );
  }
}
