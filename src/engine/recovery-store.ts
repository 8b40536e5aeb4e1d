import type { HistoryEntry, SessionRecord } from "./positions.ts";

/**
 * Where connection-state recovery keeps what another node needs to resume a session (docs/connection-state-recovery.md):
 * session records and the history of broadcasts and direct emits. Without one (the default) sessions live in the
 * memory of the node that holds them and resume only there. `createRedisRecoveryStore` from `sockeon-ts/redis`
 * implements it over Redis (records as keys with a TTL, history in Redis Streams). Writes never throw and are
 * never awaited by delivery: failures go to `report`.
 */
export interface RecoveryStore {
  /** Called once by the server: its node id, how long a suspended session is kept, and where failures go. */
  attach(host: RecoveryStoreHost): void;
  /** Appends an entry of this node's history (namespace `undefined`: the global history). */
  append(namespace: string | undefined, entry: HistoryEntry): void;
  /**
   * Writes a session record for `ttlMs`, findable by its token hash; `previousToken` (a hash) stops working.
   */
  save(record: SessionRecord, ttlMs: number, previousToken?: string): void;
  /** Extends the records of these connected sessions to `ttlMs`. */
  touch(ids: readonly string[], ttlMs: number): void;
  /** Removes a record (the session ended) if `owner` still owns it; and its token. */
  drop(id: string, token: string, owner: string): void;
  /** Takes the record a token hash names (single use: the token stops working); undefined when none. */
  claim(token: string): Promise<SessionRecord | undefined>;
  /**
   * History entries after `from` (per origin; 0 for an origin not listed) of every origin that wrote to the
   * history of `namespace` or to the global history, oldest first per origin.
   */
  history(namespace: string, from: ReadonlyMap<string, number>): Promise<Map<string, HistoryEntry[]>>;
  /**
   * An id of the store's current contents, if it has one: it changes when the store lost its data (a Redis
   * restarted without persistence), so a session recorded before cannot be resumed with a history that is gone.
   */
  epoch?(): Promise<string | undefined>;
  /** Resolves once the writes issued so far are answered; called once, at the server's graceful shutdown. */
  settled(): Promise<void>;
}

/** What a {@link RecoveryStore} gets from its server. */
export interface RecoveryStoreHost {
  readonly nodeId: string;
  /** The recovery window (`maxDisconnectionDuration`, ms). */
  readonly windowMs: number;
  report(error: unknown): void;
}
