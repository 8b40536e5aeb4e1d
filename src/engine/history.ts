import type { Cluster } from "../scale/cluster.ts";
import type { Heads, HistoryEntry, SessionRecord } from "./positions.ts";
import type { RecoveryStore } from "./recovery-store.ts";
import type { Session } from "./session.ts";
import type { EngineState, HistoryPort } from "./state.ts";

/** How often the records of connected sessions are extended; they live the window plus two of these. */
const TOUCH_MS = 10_000;

/** What this node remembers of an opted-in session's record between writes. */
interface Tracked {
  token: string;
  /** SHA-256 of `token` once computed: writes then go out synchronously, in call order. */
  hash: string | undefined;
  previousToken: string | undefined;
  namespace: string | undefined;
  since: Heads;
  epoch: string | undefined;
  nsSince: Heads;
  rooms: Map<string, Heads>;
}

/** SHA-256 of a resume token, hex: the store never sees a token that works. */
export async function tokenHash(token: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token)));
  let hex = "";
  for (const b of digest) hex += b.toString(16).padStart(2, "0");
  return hex;
}

/**
 * Cross-node recovery on one node (with a {@link RecoveryStore} and a broker): numbers this node's broadcasts and
 * direct emits and appends them to the shared history, tracks the positions heard from other nodes, and keeps
 * the shared records of this node's opted-in sessions current (written once per turn after a change, extended
 * while connected, shortened to the window when suspended, removed when the session ends).
 */
export class History implements HistoryPort {
  readonly store: RecoveryStore;
  readonly nodeId: string;
  /** The last sequence number applied from each origin (this node's own included). */
  readonly heads = new Map<string, number>();
  readonly #state: () => EngineState;
  readonly #windowMs: number;
  readonly #report: (error: unknown) => void;
  /** Starts at the clock in µs, so a node restarted under the same id continues above its old numbers. */
  #seq = Date.now() * 1000;
  readonly #tracked = new Map<string, Tracked>();
  readonly #dirty = new Set<string>();
  #flushing: ReturnType<typeof setTimeout> | undefined;
  /** Store writes in the order they were made (each waits for its token hash). */
  #chain: Promise<unknown> = Promise.resolve();
  /** Writes waiting in the chain: while any does, later writes queue behind it. */
  #waiting = 0;
  readonly #touch: ReturnType<typeof setInterval>;

  constructor(store: RecoveryStore, nodeId: string, windowMs: number, state: () => EngineState, report: (e: unknown) => void) {
    this.store = store;
    this.nodeId = nodeId;
    this.#state = state;
    this.#windowMs = windowMs;
    this.#report = report;
    store.attach({ nodeId, windowMs, report });
    this.#touch = setInterval(() => this.#extend(), TOUCH_MS);
    (this.#touch as { unref?: () => void }).unref?.();
  }

  /** The heads now, with the time. */
  snapshot(): Heads {
    const heads: Heads = Object.fromEntries(this.heads);
    heads["@"] = Date.now();
    return heads;
  }

  /**
   * The position of the send being made: that of the remote envelope being applied (undefined for one without,
   * e.g. from the emitter), else this node's next number, with the entry appended to the shared history.
   */
  position(entry: Omit<HistoryEntry, "seq" | "t">, cluster: Cluster | undefined): { origin: string; seq: number } | undefined {
    const applying = cluster?.applying;
    if (applying) {
      const seq = (applying as { seq?: unknown }).seq;
      if (typeof seq !== "number") return undefined;
      if ((this.heads.get(applying.node) ?? 0) < seq) this.heads.set(applying.node, seq);
      return { origin: applying.node, seq };
    }
    const seq = ++this.#seq;
    this.heads.set(this.nodeId, seq);
    this.store.append(entry.namespace, { ...entry, seq, t: Date.now() });
    return { origin: this.nodeId, seq };
  }

  /** Starts (or continues, after a resume) keeping the record of an opted-in session under its new token. */
  track(id: string, token: string, resumed: boolean): void {
    const known = this.#tracked.get(id);
    const heads = this.snapshot();
    if (known) {
      known.previousToken ??= known.token;
      known.token = token;
      known.hash = undefined;
    } else {
      const rooms = new Map<string, Heads>();
      // a session resumed from another node's record: what it missed up to now is replayed, so it counts from here
      if (resumed) for (const { room } of this.#state().rooms.roomsOf(id)) rooms.set(room, heads);
      const namespace = resumed ? this.#state().namespaces.of(id) : undefined;
      this.#tracked.set(id, {
        token,
        hash: undefined,
        previousToken: undefined,
        epoch: undefined,
        namespace,
        since: heads,
        nsSince: heads,
        rooms,
      });
    }
    this.changed(id);
  }

  /** A tracked session's rooms, namespace or data changed: its record is rewritten at the end of the turn. */
  changed(id: string): void {
    if (!this.#tracked.has(id)) return;
    this.#dirty.add(id);
    if (this.#flushing === undefined) this.#flushing = setTimeout(() => this.flush(), 0);
  }

  /** Writes every changed record now. */
  flush(): void {
    clearTimeout(this.#flushing);
    this.#flushing = undefined;
    for (const id of this.#dirty) this.#write(id);
    this.#dirty.clear();
  }

  /** The session's socket dropped: its record now lives exactly the window. */
  suspended(id: string): void {
    this.#dirty.delete(id);
    this.#write(id, true);
  }

  /** The session ended here: its record goes (unless another node took it over meanwhile). */
  ended(id: string): void {
    const tracked = this.#tracked.get(id);
    if (!tracked) return;
    this.#tracked.delete(id);
    this.#dirty.delete(id);
    this.#then(tracked, async (hash) => this.store.drop(id, hash, this.nodeId));
  }

  /**
   * The session left this node without ending: resumed on another node (its record is that node's now), or
   * handed off by a graceful shutdown (`keep`: the record is written for the window, for a resume elsewhere).
   */
  left(id: string, keep: boolean): void {
    if (keep) this.#write(id, true);
    this.#tracked.delete(id);
    this.#dirty.delete(id);
  }

  /**
   * Graceful shutdown, before clients are closed with 1012: writes the record of every connected opted-in
   * session for the window and waits until Redis has them, so a client that reconnects at once finds its session.
   */
  async handOffAll(): Promise<void> {
    this.#dirty.clear();
    const sessions = this.#state().sessions;
    for (const id of this.#tracked.keys()) if (sessions.get(id)?.state === "open") this.#write(id, true);
    await this.#chain;
    await this.store.settled();
  }

  /** Stops the timers; resolves once the store answered the writes issued so far. */
  async close(): Promise<void> {
    this.flush();
    clearInterval(this.#touch);
    await this.#chain;
    await this.store.settled();
  }

  /** Writes a record; `short`: for the window only (suspended, or handed off). */
  #write(id: string, short = false): void {
    const tracked = this.#tracked.get(id);
    const state = this.#state();
    const session: Session | undefined = state.sessions.get(id);
    if (!tracked || !session || (session.state === "closed" && !short)) return;
    const namespace = state.namespaces.of(id) ?? "/";
    const heads = this.snapshot();
    if (namespace !== tracked.namespace) {
      tracked.namespace = namespace;
      tracked.nsSince = heads;
      tracked.rooms.clear();
    }
    const current = new Set<string>();
    for (const { room, namespace: ns } of state.rooms.roomsOf(id)) if (ns === namespace) current.add(room);
    for (const room of tracked.rooms.keys()) if (!current.has(room)) tracked.rooms.delete(room);
    for (const room of current) if (!tracked.rooms.has(room)) tracked.rooms.set(room, heads);
    const ttl = short ? this.#windowMs : this.#windowMs + 2 * TOUCH_MS;
    const previous = tracked.previousToken;
    tracked.previousToken = undefined;
    const base = {
      id,
      owner: this.nodeId,
      namespace,
      since: tracked.since,
      nsSince: tracked.nsSince,
      rooms: Object.fromEntries(tracked.rooms),
      data: state.data.all(id),
    };
    this.#then(tracked, async (token) => {
      const old = previous === undefined ? undefined : await tokenHash(previous);
      const epoch = tracked.epoch === undefined ? {} : { epoch: tracked.epoch };
      this.store.save({ ...base, ...epoch, token } satisfies SessionRecord, ttl, old);
    });
  }

  /**
   * Runs a store write that needs the session's token hash: at once when it is known and nothing waits (so a
   * write made before a socket closes reaches Redis before the client can resume elsewhere), else in order.
   */
  #then(tracked: Tracked, write: (hash: string) => Promise<void> | void): void {
    const { token, hash } = tracked;
    const epochKnown = tracked.epoch !== undefined || !this.store.epoch;
    if (hash !== undefined && epochKnown && this.#waiting === 0) {
      void Promise.resolve(write(hash)).catch(this.#report);
      return;
    }
    this.#waiting++;
    this.#chain = this.#chain
      .then(async () => {
        // the store's contents when the session was first recorded: a store that lost them cannot resume it
        tracked.epoch ??= await this.store.epoch?.();
        const hashed = await tokenHash(token);
        if (tracked.token === token) tracked.hash = hashed;
        await write(hashed);
      })
      .catch(this.#report)
      .finally(() => this.#waiting--);
  }

  #extend(): void {
    const sessions = this.#state().sessions;
    const ids = [...this.#tracked.keys()].filter((id) => sessions.get(id)?.state === "open");
    if (ids.length > 0) this.store.touch(ids, this.#windowMs + 2 * TOUCH_MS);
  }
}

/** Graceful shutdown: the last record writes reach the store, then the node leaves the cluster. */
export async function leaveCluster(cluster: Cluster | undefined, history: History | undefined): Promise<void> {
  await history?.close();
  await cluster?.close();
}
