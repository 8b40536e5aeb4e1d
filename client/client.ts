import { EVENT_NAME_PATTERN } from "../src/protocol/protocol.ts";
import { backoffDelay } from "./backoff.ts";
import { EmitQueue } from "./emit-queue.ts";
import { ConnectionError, ServerError, type ServerErrorData } from "./errors.ts";
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
import { Heartbeat } from "./heartbeat.ts";
import { type Listener, Listeners } from "./listeners.ts";
import { type ClientOptions, type ResolvedClientOptions, resolveClientOptions, type WebSocketLike } from "./options.ts";
import { ResumeState } from "./recovery.ts";
import { PendingRequests } from "./requests.ts";
import { RoomBook, type RoomRef } from "./room-book.ts";

export type { RoomRef } from "./room-book.ts";

/** What a Sockeon PHP server answers `sockeon.ping` with; the client takes it as the pong. */
const PHP_PING_REFUSAL = "Event 'sockeon.ping' does not exist";

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
  /** On `open`: true when the session was resumed (same id, rooms, data, missed frames replayed). */
  recovered?: boolean;
}

interface Outgoing {
  event: string;
  data: unknown;
  text: string;
  requestId?: number;
}

const DEFAULT_NAMESPACE = "/";

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
  #reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  #dropped = 0;
  readonly #queue: EmitQueue<Outgoing>;
  readonly #requests = new PendingRequests();
  readonly #listeners = new Listeners();
  readonly #statusListeners = new Set<(status: ClientStatus, detail: StatusDetail) => void>();
  readonly #rooms = new RoomBook();
  readonly #heartbeat: Heartbeat | undefined;
  readonly #resume: ResumeState | undefined;
  /** The socket is open and a resume was asked for: waiting for the server's answer before going `open`. */
  #awaiting = false;

  constructor(url: string | URL, options: ClientOptions = {}) {
    this.options = resolveClientOptions(url, options);
    this.#queue = new EmitQueue(this.options.queueMax, this.options.overflow);
    if (this.options.recover) this.#resume = new ResumeState();
    if (this.options.heartbeat) {
      this.#heartbeat = new Heartbeat(
        this.options.heartbeat,
        () => this.#write('{"event":"sockeon.ping","data":{}}'),
        () => this.#silent(),
      );
    }
    if (this.options.autoConnect) this.connect();
  }

  /** Current status. */
  get status(): ClientStatus {
    return this.#status;
  }

  /** The rooms the client is in, rejoined after every reconnect. */
  get rooms(): RoomRef[] {
    return this.#rooms.list();
  }

  /** True after the last connection resumed the session (connection-state recovery); false after a fresh one. */
  get recovered(): boolean {
    return this.#resume?.recovered ?? false;
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
    this.#listeners.add(event, listener as Listener, false);
    return this;
  }

  /** Like {@link SockeonClient.on}, for the next occurrence only. */
  once<E extends ListenName<M>>(event: E, listener: (data: ListenData<M, E>) => void): this {
    this.#listeners.add(event, listener as Listener, true);
    return this;
  }

  /** Removes one listener, or every listener of the event when none is given. */
  off<E extends ListenName<M>>(event: E, listener?: (data: ListenData<M, E>) => void): this {
    this.#listeners.remove(event, listener as Listener | undefined);
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
    const { id, answer } = this.#requests.create(event, timeout);
    this.#send({ event, data, text: JSON.stringify({ event, data, id }), requestId: id });
    return answer as Promise<RequestResult<M, E>>;
  }

  /**
   * Joins a room through Sockeon's `join_room` event and resolves on `room_joined`. The room is remembered and
   * rejoined after every reconnect (sockeon-js forgets it). Called while disconnected, it joins on connect.
   */
  joinRoom(room: string, namespace: string = DEFAULT_NAMESPACE): Promise<void> {
    checkName("room", room);
    checkName("namespace", namespace);
    this.#assertUsable("join_room");
    this.#rooms.add(room, namespace);
    const done = this.#rooms.wait("join_room", room, namespace, this.options.requestTimeout);
    if (this.#status === "open") this.#write(JSON.stringify({ event: "join_room", data: { room, namespace } }));
    return done;
  }

  /** Leaves a room through `leave_room` and resolves on `room_left` (at once when not connected). */
  leaveRoom(room: string, namespace: string = DEFAULT_NAMESPACE): Promise<void> {
    checkName("room", room);
    checkName("namespace", namespace);
    this.#assertUsable("leave_room");
    this.#rooms.remove(room, namespace);
    if (this.#status !== "open") return Promise.resolve();
    const done = this.#rooms.wait("leave_room", room, namespace, this.options.requestTimeout);
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
      const url = this.#resume ? this.#resume.url(this.options.url) : this.options.url;
      socket = new this.options.WebSocket(url, this.options.protocols);
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
    this.#resume?.opened();
    if (this.#resume?.resuming) {
      // the server answers a resume with its session frame first; the ping makes a server without recovery answer
      this.#awaiting = true;
      this.#write('{"event":"sockeon.ping","data":{}}');
    } else this.#ready(false);
  }

  #ready(recovered: boolean): void {
    this.#awaiting = false;
    this.#status = "open";
    // rooms first (a resumed session still has them): the server handles a connection's frames in order, so
    // queued emits see the rooms restored; listeners hear "open" last, so what they emit follows both
    if (!recovered)
      for (const { room, namespace } of this.#rooms.list())
        this.#write(JSON.stringify({ event: "join_room", data: { room, namespace } }));
    for (const item of this.#queue.drain()) {
      if (item.requestId !== undefined && !this.#requests.has(item.requestId)) continue; // timed out while queued
      this.#send(item);
    }
    this.#heartbeat?.start();
    this.#setStatus("open", { recovered });
  }

  /** Takes the socket out of service: no more events from it. */
  #detach(): WebSocketLike | undefined {
    const socket = this.#socket;
    this.#socket = undefined;
    this.#awaiting = false;
    this.#heartbeat?.stop();
    if (socket) {
      socket.onopen = socket.onmessage = socket.onclose = null;
      socket.onerror = () => {};
    }
    return socket;
  }

  /** The connection is gone without `close()`: fail in-flight requests, then reconnect or give up. */
  #lost(code: number, reason: string): void {
    this.#requests.failSent(`the connection dropped (${code}${reason ? ` ${reason}` : ""})`);
    const policy = this.options.reconnect;
    if (policy && (policy.maxAttempts === 0 || this.#attempt < policy.maxAttempts)) {
      const attempt = ++this.#attempt;
      // 1012 Service Restart: the node is going away and another one takes the session over at once
      const delay = code === 1012 && attempt === 1 ? 0 : backoffDelay(attempt, policy);
      this.#setStatus("reconnecting", { code, reason, attempt, delay });
      this.#reconnectTimer = setTimeout(() => this.#open(), delay);
    } else this.#finish(code, reason);
  }

  /** Closed for good: reject everything that waits. */
  #finish(code: number, reason: string): void {
    this.#heartbeat?.stop();
    const gone = (event: string) => new ConnectionError("closed", event, `the client closed (${code} ${reason})`);
    this.#requests.failAll(gone);
    this.#queue.drain();
    this.#rooms.failAll(gone);
    this.#setStatus("closed", { code, reason });
  }

  /** The heartbeat found the server silent: drop the socket without a close handshake nobody will answer. */
  #silent(): void {
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
  }

  // ---- frames -------------------------------------------------------------------------------------------

  #send(item: Outgoing): void {
    if (this.#status === "open" && this.#socket) {
      this.#write(item.text);
      if (item.requestId !== undefined) this.#requests.sent(item.requestId);
      return;
    }
    const dropped = this.#queue.push(item);
    if (!dropped) return;
    this.#dropped++;
    const full = `the emit queue is full (${this.#queue.max}, ${this.#queue.policy})`;
    this.#requests.reject(dropped.requestId, (event) => new ConnectionError("queue-full", event, full));
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
    this.#heartbeat?.seen();
    let frame: { event?: unknown; data?: any; pos?: unknown };
    try {
      frame = JSON.parse(typeof raw === "string" ? raw : new TextDecoder().decode(raw as ArrayBuffer));
    } catch {
      frame = {}; // not a Sockeon frame, yet counted for recovery
    }
    const resume = this.#resume;
    if (resume?.seen(typeof frame === "object" && frame !== null ? frame : {})) {
      if (this.#awaiting) this.#ready(resume.recovered);
      return;
    }
    if (this.#awaiting) this.#ready(false);
    if (typeof frame !== "object" || frame === null || typeof frame.event !== "string") return;
    const { event, data } = frame;
    if (event === "ack" && this.#requests.resolve(data?.id, data.result ?? null)) return;
    if (event === "error") {
      const errorData: ServerErrorData =
        typeof data === "object" && data !== null && typeof data.message === "string" ? data : { message: String(data) };
      if (this.#requests.reject(errorData.id, (e) => new ServerError(errorData, e))) return;
      // Sockeon's PHP server has no sockeon.ping: its refusal answers our heartbeat as well as a pong would
      if (errorData.message === PHP_PING_REFUSAL) return;
      // the answer to a request of ours that already timed out: its caller has been told
      if (this.#requests.issued(errorData.id)) return;
      if (errorData.event === "join_room" || errorData.event === "leave_room")
        this.#rooms.refused(errorData.event, new ServerError(errorData));
      this.#listeners.emit("error", new ServerError(errorData));
      return;
    }
    if (event === "room_joined") this.#rooms.confirmed("join_room", data);
    else if (event === "room_left") this.#rooms.confirmed("leave_room", data);
    this.#listeners.emit(event, data);
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
