import { EVENT_NAME_PATTERN } from "../src/protocol.ts";
import { backoffDelay } from "./backoff.ts";
import { EmitQueue } from "./emit-queue.ts";
import { ConnectionError, RequestTimeoutError, ServerError, type ServerErrorData } from "./errors.ts";
import type {
  EmitArgs,
  EmitName,
  EventMap,
  ListenData,
  ListenName,
  RequestArgs,
  RequestOptions,
  RequestResult,
  UntypedEvents,
} from "./events.ts";
import { type ClientOptions, type ResolvedClientOptions, resolveClientOptions, type WebSocketLike } from "./options.ts";

/** Where the client is: `idle` until `connect()`, then `connecting`, `open`, `reconnecting`, and `closed` for good. */
export type ClientStatus = "idle" | "connecting" | "open" | "reconnecting" | "closed";

/** What accompanies a status change. */
export interface StatusDetail {
  /** Close code and reason of the connection that ended (on `reconnecting` and `closed`). */
  code?: number;
  reason?: string;
  /** The reconnection attempt about to be made and its delay in ms (on `reconnecting`). */
  attempt?: number;
  delay?: number;
}

/** A room the client is in (and rejoins after every reconnect). */
export interface RoomRef {
  room: string;
  namespace: string;
}

type Listener = (data: any) => void;
interface Pending {
  event: string;
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
  /** Written to a socket: lost if that socket drops before the answer. */
  sent: boolean;
}
interface Outgoing {
  event: string;
  data: unknown;
  text: string;
  requestId?: number;
}
interface RoomWaiter {
  resolve(): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

const DEFAULT_NAMESPACE = "/";
const roomKey = (room: string, namespace: string): string => `${namespace}\u0000${room}`;

function checkEvent(event: unknown): asserts event is string {
  if (typeof event !== "string" || !EVENT_NAME_PATTERN.test(event)) {
    throw new TypeError(`Invalid event name ${JSON.stringify(event)} (letters, digits, dots, underscores, hyphens only)`);
  }
}

function checkData(event: string, data: unknown): object {
  if (data === undefined) return {};
  if (typeof data !== "object" || data === null)
    throw new TypeError(`Invalid data for '${event}': ${JSON.stringify(data)} (Sockeon frames carry a JSON object or array)`);
  return data;
}

function checkName(kind: "room" | "namespace", value: unknown): asserts value is string {
  if (typeof value !== "string" || value.length === 0)
    throw new TypeError(`Invalid ${kind} name: ${JSON.stringify(value)} (expected a non-empty string)`);
}

/**
 * A Sockeon client for browsers, Bun, Deno and Node: events both ways, rooms that survive reconnects,
 * request/response over the `id` extension, and dead-server detection over `sockeon.ping`.
 * Type it with a shared event map: `createClient<typeof chatEvents>(url)`.
 */
export class SockeonClient<M extends EventMap = UntypedEvents> {
  /** The options after defaults, with the final connection URL. */
  readonly options: ResolvedClientOptions;
  #status: ClientStatus = "idle";
  #socket: WebSocketLike | undefined;
  #attempt = 0;
  #nextId = 0;
  #reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  #beatTimer: ReturnType<typeof setTimeout> | undefined;
  #lastSeen = 0;
  #pingedAt = 0;
  #dropped = 0;
  readonly #queue: EmitQueue<Outgoing>;
  readonly #pending = new Map<number, Pending>();
  readonly #listeners = new Map<string, Map<Listener, boolean>>();
  readonly #statusListeners = new Set<(status: ClientStatus, detail: StatusDetail) => void>();
  readonly #rooms = new Map<string, RoomRef>();
  readonly #joinWaiters = new Map<string, RoomWaiter[]>();
  readonly #leaveWaiters = new Map<string, RoomWaiter[]>();

  constructor(url: string | URL, options: ClientOptions = {}) {
    this.options = resolveClientOptions(url, options);
    this.#queue = new EmitQueue(this.options.queueMax, this.options.overflow);
    if (this.options.autoConnect) this.connect();
  }

  /** Current status. */
  get status(): ClientStatus {
    return this.#status;
  }

  /** The rooms the client is in, rejoined after every reconnect. */
  get rooms(): RoomRef[] {
    return [...this.#rooms.values()].map((r) => ({ ...r }));
  }

  /** Frames waiting in the emit queue. */
  get queued(): number {
    return this.#queue.size;
  }

  /** Emits dropped so far because the queue was full. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Opens the connection (a no-op unless the client is `idle`). */
  connect(): void {
    if (this.#status !== "idle") return;
    this.#setStatus("connecting", {});
    this.#open();
  }

  /** Resolves once the client is open (at once if it is); rejects if it closes for good first. */
  ready(): Promise<void> {
    if (this.#status === "open") return Promise.resolve();
    if (this.#status === "closed") return Promise.reject(new ConnectionError("closed", "connect", "the client is closed"));
    return new Promise((resolve, reject) => {
      const off = this.onStatus((status, detail) => {
        if (status === "open") resolve();
        else if (status === "closed")
          reject(new ConnectionError("closed", "connect", `closed with ${detail.code ?? "no code"} ${detail.reason ?? ""}`));
        else return;
        off();
      });
    });
  }

  /**
   * Listens to status changes.
   * @returns a function that removes the listener
   */
  onStatus(listener: (status: ClientStatus, detail: StatusDetail) => void): () => void {
    this.#statusListeners.add(listener);
    return () => void this.#statusListeners.delete(listener);
  }

  /**
   * Listens to a server event. `error` listeners get {@link ServerError}s for error frames that answer no request.
   * @example client.on("chat.message", (msg) => console.log(msg.text))
   */
  on<E extends ListenName<M>>(event: E, listener: (data: ListenData<M, E>) => void): this {
    return this.#listen(event, listener, false);
  }

  /** Like {@link SockeonClient.on}, for the next occurrence only. */
  once<E extends ListenName<M>>(event: E, listener: (data: ListenData<M, E>) => void): this {
    return this.#listen(event, listener, true);
  }

  /** Removes one listener, or every listener of the event when none is given. */
  off<E extends ListenName<M>>(event: E, listener?: (data: ListenData<M, E>) => void): this {
    if (listener) this.#listeners.get(event)?.delete(listener);
    else this.#listeners.delete(event);
    return this;
  }

  #listen(event: string, listener: Listener, once: boolean): this {
    if (typeof listener !== "function") throw new TypeError(`Listener for '${event}' must be a function, got ${typeof listener}`);
    let set = this.#listeners.get(event);
    if (!set) this.#listeners.set(event, (set = new Map()));
    set.set(listener, once);
    return this;
  }

  /**
   * Sends an event. While the client is not open the frame waits in the bounded queue (sent after the rooms are
   * rejoined); when the queue is full the `queue.overflow` policy drops a frame.
   * @throws TypeError for an invalid event name or data that is not an object/array; Error once closed
   */
  emit<E extends EmitName<M>>(event: E, ...args: EmitArgs<M, E>): void {
    checkEvent(event);
    const data = checkData(event, args[0]);
    this.#assertUsable(event);
    this.#send({ event, data, text: JSON.stringify({ event, data }) });
  }

  /**
   * Sends an event with an `id` and resolves with the server handler's return value (`null` when it returns
   * nothing). Rejects with {@link ServerError} when the server answers with an error, {@link RequestTimeoutError}
   * after `timeout` ms, {@link ConnectionError} when the connection drops before the answer or the queue drops it.
   * @example const { delivered } = await client.request("chat.say", { room: "lobby", text: "hi" }, { timeout: 2000 });
   */
  request<E extends EmitName<M>>(event: E, ...args: RequestArgs<M, E>): Promise<RequestResult<M, E>> {
    checkEvent(event);
    const data = checkData(event, args[0]);
    const options: RequestOptions = args[1] ?? {};
    const timeout = options.timeout ?? this.options.requestTimeout;
    if (typeof timeout !== "number" || !(timeout > 0)) throw new TypeError(`Invalid request timeout: ${JSON.stringify(timeout)}`);
    this.#assertUsable(event);
    const id = ++this.#nextId;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new RequestTimeoutError(event, id, timeout));
      }, timeout);
      this.#pending.set(id, { event, resolve: resolve as (v: unknown) => void, reject, timer, sent: false });
      this.#send({ event, data, text: JSON.stringify({ event, data, id }), requestId: id });
    });
  }

  /**
   * Joins a room through Sockeon's `join_room` event and resolves on `room_joined`. The room is remembered and
   * rejoined after every reconnect (sockeon-js forgets it). Called while disconnected, it joins on connect.
   */
  joinRoom(room: string, namespace: string = DEFAULT_NAMESPACE): Promise<void> {
    checkName("room", room);
    checkName("namespace", namespace);
    this.#assertUsable("join_room");
    const key = roomKey(room, namespace);
    this.#rooms.set(key, { room, namespace });
    const done = this.#wait(this.#joinWaiters, key, "join_room");
    if (this.#status === "open") this.#write(JSON.stringify({ event: "join_room", data: { room, namespace } }));
    return done;
  }

  /** Leaves a room through `leave_room` and resolves on `room_left` (at once when not connected). */
  leaveRoom(room: string, namespace: string = DEFAULT_NAMESPACE): Promise<void> {
    checkName("room", room);
    checkName("namespace", namespace);
    this.#assertUsable("leave_room");
    const key = roomKey(room, namespace);
    this.#rooms.delete(key);
    if (this.#status !== "open") return Promise.resolve();
    const done = this.#wait(this.#leaveWaiters, key, "leave_room");
    this.#write(JSON.stringify({ event: "leave_room", data: { room, namespace } }));
    return done;
  }

  /** Closes the connection for good: no reconnect; pending requests and queued emits are rejected/dropped. */
  close(code = 1000, reason = ""): void {
    if (this.#status === "closed") return;
    clearTimeout(this.#reconnectTimer);
    const socket = this.#detach();
    try {
      socket?.close(code, reason);
    } catch {
      // already closing: nothing more to do
    }
    this.#finish(code, reason || "closed by the client");
  }

  #assertUsable(event: string): void {
    if (this.#status === "closed") throw new ConnectionError("closed", event, "the client is closed");
  }

  #wait(waiters: Map<string, RoomWaiter[]>, key: string, event: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const waiter: RoomWaiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          const list = waiters.get(key);
          list?.splice(list.indexOf(waiter), 1);
          reject(new RequestTimeoutError(event, 0, this.options.requestTimeout));
        }, this.options.requestTimeout),
      };
      let list = waiters.get(key);
      if (!list) waiters.set(key, (list = []));
      list.push(waiter);
    });
  }

  #settleRoom(waiters: Map<string, RoomWaiter[]>, key: string): void {
    const list = waiters.get(key);
    if (!list) return;
    waiters.delete(key);
    for (const w of list) {
      clearTimeout(w.timer);
      w.resolve();
    }
  }

  // ---- connection ---------------------------------------------------------------------------------------

  #setStatus(status: ClientStatus, detail: StatusDetail): void {
    this.#status = status;
    for (const listener of [...this.#statusListeners]) {
      try {
        listener(status, detail);
      } catch (error) {
        console.error("sockeon-ts client: a status listener threw", error);
      }
    }
  }

  #open(): void {
    let socket: WebSocketLike;
    try {
      socket = new this.options.WebSocket(this.options.url, this.options.protocols);
    } catch (error) {
      this.#lost(1006, error instanceof Error ? error.message : String(error));
      return;
    }
    this.#socket = socket;
    socket.binaryType = "arraybuffer";
    socket.onopen = () => this.#opened();
    socket.onmessage = (event) => this.#receive(event.data);
    socket.onclose = (event) => {
      if (this.#socket === socket) {
        this.#detach();
        this.#lost(event.code, event.reason);
      }
    };
    // a close event always follows an error event
    socket.onerror = () => {};
  }

  #opened(): void {
    this.#attempt = 0;
    this.#lastSeen = Date.now();
    this.#setStatus("open", {});
    // rooms first: the server handles a connection's frames in order, so queued emits see the rooms restored
    for (const { room, namespace } of this.#rooms.values())
      this.#write(JSON.stringify({ event: "join_room", data: { room, namespace } }));
    for (const item of this.#queue.drain()) {
      if (item.requestId !== undefined && !this.#pending.has(item.requestId)) continue; // timed out while queued
      this.#send(item);
    }
    this.#scheduleBeat(this.options.heartbeat ? this.options.heartbeat.interval : 0);
  }

  /** Takes the socket out of service: no more events from it. */
  #detach(): WebSocketLike | undefined {
    const socket = this.#socket;
    this.#socket = undefined;
    clearTimeout(this.#beatTimer);
    if (socket) {
      socket.onopen = socket.onmessage = socket.onclose = null;
      socket.onerror = () => {};
    }
    return socket;
  }

  /** The connection is gone without `close()`: fail in-flight requests, then reconnect or give up. */
  #lost(code: number, reason: string): void {
    for (const [id, p] of this.#pending) {
      if (!p.sent) continue;
      this.#pending.delete(id);
      clearTimeout(p.timer);
      p.reject(new ConnectionError("disconnected", p.event, `the connection dropped (${code}${reason ? ` ${reason}` : ""})`));
    }
    const policy = this.options.reconnect;
    if (policy && (policy.maxAttempts === 0 || this.#attempt < policy.maxAttempts)) {
      const attempt = ++this.#attempt;
      const delay = backoffDelay(attempt, policy);
      this.#setStatus("reconnecting", { code, reason, attempt, delay });
      this.#reconnectTimer = setTimeout(() => this.#open(), delay);
    } else this.#finish(code, reason);
  }

  /** Closed for good: reject everything that waits. */
  #finish(code: number, reason: string): void {
    clearTimeout(this.#beatTimer);
    const gone = (event: string) => new ConnectionError("closed", event, `the client closed (${code} ${reason})`);
    for (const p of this.#pending.values()) {
      clearTimeout(p.timer);
      p.reject(gone(p.event));
    }
    this.#pending.clear();
    this.#queue.drain();
    for (const [waiters, event] of [
      [this.#joinWaiters, "join_room"],
      [this.#leaveWaiters, "leave_room"],
    ] as const) {
      for (const list of waiters.values())
        for (const w of list) {
          clearTimeout(w.timer);
          w.reject(gone(event));
        }
      waiters.clear();
    }
    this.#setStatus("closed", { code, reason });
  }

  // ---- heartbeat: a dead server (or network) shows as silence; TCP may take minutes to notice -------------

  #scheduleBeat(ms: number): void {
    if (!this.options.heartbeat) return;
    clearTimeout(this.#beatTimer);
    this.#beatTimer = setTimeout(() => this.#beat(), ms);
  }

  #beat(): void {
    const hb = this.options.heartbeat;
    if (!hb || this.#status !== "open") return;
    const now = Date.now();
    if (this.#pingedAt > this.#lastSeen) {
      // the ping went unanswered for `timeout` ms: the server is gone even if the socket looks open
      this.#pingedAt = 0;
      const socket = this.#detach();
      try {
        // `ws` sockets can drop at once; a WebSocket's close() would wait for the dead peer's close frame
        const terminate = (socket as { terminate?: () => void } | undefined)?.terminate;
        if (terminate) terminate.call(socket);
        else socket?.close(4000, "Heartbeat timeout");
      } catch {
        // a dead socket may refuse to close cleanly
      }
      this.#lost(4000, "Heartbeat timeout: no frame from the server");
      return;
    }
    const quiet = now - this.#lastSeen;
    if (quiet < hb.interval) {
      this.#scheduleBeat(hb.interval - quiet);
      return;
    }
    this.#pingedAt = now;
    this.#write('{"event":"sockeon.ping","data":{}}');
    this.#scheduleBeat(hb.timeout);
  }

  // ---- frames -------------------------------------------------------------------------------------------

  #send(item: Outgoing): void {
    if (this.#status === "open" && this.#socket) {
      this.#write(item.text);
      if (item.requestId !== undefined) {
        const p = this.#pending.get(item.requestId);
        if (p) p.sent = true;
      }
      return;
    }
    const dropped = this.#queue.push(item);
    if (!dropped) return;
    this.#dropped++;
    if (dropped.requestId !== undefined) {
      const p = this.#pending.get(dropped.requestId);
      if (p) {
        this.#pending.delete(dropped.requestId);
        clearTimeout(p.timer);
        p.reject(
          new ConnectionError("queue-full", p.event, `the emit queue is full (${this.#queue.max}, ${this.#queue.policy})`),
        );
      }
    }
    try {
      this.options.onDrop?.(dropped.event, dropped.data);
    } catch (error) {
      console.error("sockeon-ts client: onDrop threw", error);
    }
  }

  #write(text: string): void {
    try {
      this.#socket?.send(text);
    } catch {
      // the socket closed under us; its close event starts the reconnect
    }
  }

  #receive(raw: unknown): void {
    this.#lastSeen = Date.now();
    let frame: { event?: unknown; data?: any };
    try {
      frame = JSON.parse(typeof raw === "string" ? raw : new TextDecoder().decode(raw as ArrayBuffer));
    } catch {
      return; // not a Sockeon frame
    }
    if (typeof frame !== "object" || frame === null || typeof frame.event !== "string") return;
    const { event, data } = frame;
    if (event === "ack" && this.#settle(data?.id, (p) => p.resolve(data.result ?? null))) return;
    if (event === "error") {
      const errorData: ServerErrorData =
        typeof data === "object" && data !== null && typeof data.message === "string" ? data : { message: String(data) };
      if (this.#settle(errorData.id, (p) => p.reject(new ServerError(errorData, p.event)))) return;
      // the answer to a request of ours that already timed out: its caller has been told
      if (typeof errorData.id === "number" && errorData.id >= 1 && errorData.id <= this.#nextId) return;
      const failed =
        errorData.event === "join_room" ? this.#joinWaiters : errorData.event === "leave_room" ? this.#leaveWaiters : null;
      const first = failed?.entries().next().value;
      if (failed && first) {
        const [key, list] = first;
        failed.delete(key);
        for (const w of list) {
          clearTimeout(w.timer);
          w.reject(new ServerError(errorData));
        }
      }
      this.#emitLocal("error", new ServerError(errorData));
      return;
    }
    if (event === "room_joined" && data) this.#settleRoom(this.#joinWaiters, roomKey(data.room, data.namespace ?? "/"));
    else if (event === "room_left" && data) this.#settleRoom(this.#leaveWaiters, roomKey(data.room, data.namespace ?? "/"));
    this.#emitLocal(event, data);
  }

  #settle(id: unknown, action: (p: Pending) => void): boolean {
    if (typeof id !== "number") return false;
    const p = this.#pending.get(id);
    if (!p) return false;
    this.#pending.delete(id);
    clearTimeout(p.timer);
    action(p);
    return true;
  }

  #emitLocal(event: string, data: unknown): void {
    const set = this.#listeners.get(event);
    if (!set) return;
    for (const [listener, once] of [...set]) {
      if (once) set.delete(listener);
      try {
        listener(data);
      } catch (error) {
        console.error(`sockeon-ts client: a listener of '${event}' threw`, error);
      }
    }
  }
}

/**
 * Creates a client and connects it (unless `autoConnect: false`).
 * @param url the server's `ws://` or `wss://` URL (`http(s)://` is accepted and converted)
 * @param options see {@link ClientOptions}
 * @example
 * ```ts
 * import type { chatEvents } from "./events.ts";
 * const client = createClient<typeof chatEvents>("ws://127.0.0.1:6001/", { key: "secret" });
 * await client.joinRoom("lobby");
 * const { delivered } = await client.request("chat.say", { room: "lobby", text: "hi" });
 * ```
 */
export function createClient<M extends EventMap = UntypedEvents>(url: string | URL, options?: ClientOptions): SockeonClient<M> {
  return new SockeonClient<M>(url, options);
}
