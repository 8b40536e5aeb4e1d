/**
 * A plain WebSocket test client: the runtime's global WebSocket (Bun, Deno), `ws` on Node 20. Frames are
 * queued as they arrive; `next()` awaits the next one, so tests never sleep.
 */
export interface Frame {
  event: string;
  data: any;
}

type Socket = {
  send(data: string | ArrayBuffer | Uint8Array): void;
  close(code?: number, reason?: string): void;
  readyState: number;
  binaryType: string;
  onopen: ((e: unknown) => void) | null;
  onmessage: ((e: { data: unknown }) => void) | null;
  onclose: ((e: { code: number; reason: string }) => void) | null;
  onerror: ((e: unknown) => void) | null;
};

type SocketCtor = new (url: string, options?: unknown) => Socket;

const g = globalThis as { WebSocket?: SocketCtor };
const Impl: SocketCtor = g.WebSocket ?? ((await import("ws")).WebSocket as unknown as SocketCtor);

/** Longest a test waits for one frame before failing with a message (a bound, not a timing assertion). */
export const FRAME_TIMEOUT_MS = 5000;

/** A connected test client. */
export class TestClient {
  readonly #socket: Socket;
  readonly #queue: unknown[] = [];
  readonly #waiters: Array<(value: unknown) => void> = [];
  /** Resolves with the close code and reason once the socket closed. */
  readonly closed: Promise<{ code: number; reason: string }>;

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.binaryType = "arraybuffer";
    socket.onmessage = (e) => {
      const data = typeof e.data === "string" ? e.data : new TextDecoder().decode(e.data as ArrayBuffer);
      const waiter = this.#waiters.shift();
      if (waiter) waiter(data);
      else this.#queue.push(data);
    };
    this.closed = new Promise((resolve) => {
      socket.onclose = (e) => resolve({ code: e.code, reason: e.reason });
    });
  }

  /** Opens a client; rejects when the handshake fails. */
  static connect(url: string): Promise<TestClient> {
    return new Promise((resolve, reject) => {
      const socket = new Impl(url);
      const client = new TestClient(socket);
      socket.onopen = () => resolve(client);
      socket.onerror = () => reject(new Error(`could not connect to ${url}`));
    });
  }

  /** Sends an object as JSON, or a string/bytes as they are. */
  send(frame: unknown): void {
    this.#socket.send(
      typeof frame === "string" || frame instanceof Uint8Array || frame instanceof ArrayBuffer ? frame : JSON.stringify(frame),
    );
  }

  /** Sends `{event, data}`. */
  emit(event: string, data: unknown = {}, id?: number): void {
    this.send(id === undefined ? { event, data } : { event, data, id });
  }

  /** The next raw text frame. */
  nextRaw(timeout = FRAME_TIMEOUT_MS): Promise<string> {
    const queued = this.#queue.shift();
    if (queued !== undefined) return Promise.resolve(queued as string);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const i = this.#waiters.indexOf(waiter);
        if (i >= 0) this.#waiters.splice(i, 1);
        reject(new Error(`no frame within ${timeout} ms`));
      }, timeout);
      const waiter = (value: unknown) => {
        clearTimeout(timer);
        resolve(value as string);
      };
      this.#waiters.push(waiter);
    });
  }

  /** The next frame, parsed. */
  async next(timeout?: number): Promise<Frame> {
    return JSON.parse(await this.nextRaw(timeout)) as Frame;
  }

  /** Skips frames until one with this event arrives; returns it. */
  async nextEvent(event: string, timeout?: number): Promise<Frame> {
    for (;;) {
      const frame = await this.next(timeout);
      if (frame.event === event) return frame;
    }
  }

  /**
   * Proves nothing else arrived: asks the server for a barrier (`sockeon.ping` -> `sockeon.pong`) and
   * asserts it is the very next frame. Returns the frame that came instead, or undefined.
   */
  async nothingPending(): Promise<Frame | undefined> {
    this.emit("sockeon.ping");
    const frame = await this.next();
    return frame.event === "sockeon.pong" ? undefined : frame;
  }

  /** Frames received and not yet read. */
  get pending(): number {
    return this.#queue.length;
  }

  /** Closes the socket and waits for the close to complete. */
  async close(code = 1000): Promise<{ code: number; reason: string }> {
    if (this.#socket.readyState < 2) this.#socket.close(code);
    return await this.closed;
  }
}
