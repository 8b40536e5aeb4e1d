/**
 * A socket-free {@link Connection} for unit tests: it records what the core writes and lets a test await the
 * next frame, the same way the integration client does, so tests never sleep.
 */
import type { Engine } from "../../src/engine/engine.ts";
import type { Session } from "../../src/engine/session.ts";
import { type Connection, hostOf, type SocketHandle } from "../../src/extend.ts";
import type { SockeonServer } from "../../src/index.ts";

/** Longest a unit test waits for one frame before failing with a message (a bound, not a timing assertion). */
export const FAKE_FRAME_TIMEOUT_MS = 2000;

/** What a fake connection can imitate of a runtime socket. */
export interface FakeConnectionOptions {
  /** Offer `cork` (as Bun does); every corked batch is recorded in `corks`. */
  cork?: boolean;
  /** The value `send` returns (Bun: bytes written, -1 queued, 0 dropped). Default undefined. */
  sendResult?: number;
  /** What `bufferedAmount()` reports; omitted means the connection has no `bufferedAmount`. */
  bufferedAmount?: number;
}

/** A recording connection. */
export class FakeConnection implements Connection {
  /** Every frame written, in order. */
  readonly sent: string[] = [];
  /** Every `close()` call, in order. */
  readonly closes: Array<{ code: number | undefined; reason: string | undefined }> = [];
  /** Sizes of the batches written inside `cork`. */
  readonly corks: number[] = [];
  /** Throw from `close()`, as a socket that is already gone may. */
  failClose = false;
  readonly raw: unknown = { fake: true };
  bufferedAmount?: () => number;
  cork?: (writes: () => void) => void;
  #read = 0;
  readonly #waiters: Array<(frame: string) => void> = [];
  readonly #sendResult: number | undefined;

  constructor(options: FakeConnectionOptions = {}) {
    this.#sendResult = options.sendResult;
    if (options.bufferedAmount !== undefined) {
      const amount = options.bufferedAmount;
      this.bufferedAmount = () => amount;
    }
    if (options.cork) {
      this.cork = (writes) => {
        const before = this.sent.length;
        writes();
        this.corks.push(this.sent.length - before);
      };
    }
  }

  send(frame: string): number | undefined {
    this.sent.push(frame);
    const waiter = this.#waiters.shift();
    if (waiter) {
      this.#read++;
      waiter(frame);
    }
    return this.#sendResult;
  }

  close(code?: number, reason?: string): void {
    this.closes.push({ code, reason });
    if (this.failClose) throw new Error("socket already gone");
  }

  /** The next frame not yet read by `next()`/`nextRaw()`, waiting for it if needed. */
  nextRaw(timeout = FAKE_FRAME_TIMEOUT_MS): Promise<string> {
    if (this.#read < this.sent.length) return Promise.resolve(this.sent[this.#read++] as string);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const i = this.#waiters.indexOf(waiter);
        if (i >= 0) this.#waiters.splice(i, 1);
        reject(new Error(`no frame within ${timeout} ms (written so far: ${this.sent.length})`));
      }, timeout);
      const waiter = (frame: string): void => {
        clearTimeout(timer);
        resolve(frame);
      };
      this.#waiters.push(waiter);
    });
  }

  /** The next frame, parsed. */
  async next(timeout?: number): Promise<{ event: string; data: any }> {
    return JSON.parse(await this.nextRaw(timeout));
  }
}

/** A client of a server, connected through a fake connection. */
export interface FakeClient {
  readonly id: string;
  readonly connection: FakeConnection;
  /** The engine's session for this client (its outbound queue). */
  readonly session: Session;
  /** The handle an adapter would hold: frames in, close. */
  readonly handle: SocketHandle;
  /** Delivers a frame from the client, as the adapter would. */
  send(frame: unknown): void;
  /** The next frame the server wrote to this client. */
  next(): Promise<{ event: string; data: any }>;
  /**
   * Proves nothing else was written: the server emits a barrier event, which must be the next frame.
   * Returns the frame that came instead, or undefined.
   */
  nothingPending(): Promise<{ event: string; data: any } | undefined>;
}

/**
 * Runs the server's real handshake on a fake upgrade request, then opens a session on a fake connection.
 * @example const a = await connectFake(server); a.send({ event: "echo", data: {} }); await a.next();
 */
export async function connectFake(
  server: SockeonServer,
  options: FakeConnectionOptions & { url?: string; remoteAddress?: string } = {},
): Promise<FakeClient> {
  const request = new Request(options.url ?? "http://127.0.0.1/", {
    headers: {
      upgrade: "websocket",
      connection: "Upgrade",
      "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
      "sec-websocket-version": "13",
    },
  });
  const host = hostOf(server);
  const accepted = await host.accept(request, { remoteAddress: options.remoteAddress ?? "127.0.0.1" });
  if (accepted.response) throw new Error(`handshake rejected: ${accepted.response.status} ${await accepted.response.text()}`);
  const connection = new FakeConnection(options);
  const handle = host.open(connection, accepted.ticket);
  const session = (host as Engine).state.sessions.get(accepted.ticket.clientId) as Session;
  return {
    id: session.id,
    connection,
    session,
    handle,
    send: (frame) => handle.message(typeof frame === "string" || frame instanceof Uint8Array ? frame : JSON.stringify(frame)),
    next: () => connection.next(),
    async nothingPending() {
      server.emit(session.id, "test.barrier", {});
      const frame = await connection.next();
      return frame.event === "test.barrier" ? undefined : frame;
    },
  };
}
