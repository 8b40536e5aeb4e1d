/**
 * A raw TCP WebSocket client for what the WebSocket API hides: the status, headers and body of a rejected
 * handshake, request headers such as `X-Forwarded-For`, frames the API would refuse to send (invalid UTF-8 in a
 * text frame), a peer that never answers pings (heartbeat tests), and a client that completes the handshake and
 * then stops reading (slow consumers). Uses `node:net`, which Bun, Deno and Node all provide.
 */
import { Buffer } from "node:buffer";
import { connect, type Socket } from "node:net";
import { FRAME_TIMEOUT_MS } from "./client.ts";

/** The server's answer to an upgrade request. */
export interface RawResponse {
  status: number;
  statusText: string;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  /** Empty for a 101. */
  body: string;
  /** The open WebSocket when the status was 101. */
  ws?: RawWebSocket;
}

/** Options of {@link rawUpgrade}. */
export interface RawUpgradeOptions {
  /** Request path with query, `/` by default. */
  path?: string;
  /** Extra request headers. */
  headers?: Record<string, string>;
  /** The whole request head as sent (request line and headers, without the final blank line); replaces the rest. */
  head?: string;
}

/** One server frame: its opcode and payload. */
export interface ServerFrame {
  opcode: number;
  payload: Buffer;
}

const HEADER_END = Buffer.from("\r\n\r\n");

/**
 * Sends an HTTP upgrade request over a plain socket and reads the answer: the body of a rejection (by
 * content-length, chunked, or up to the end of the stream), or for a 101 the open {@link RawWebSocket}.
 * @example const res = await rawUpgrade(port, { path: "/?key=wrong" }); // res.status === 401
 */
export function rawUpgrade(port: number, options: RawUpgradeOptions = {}): Promise<RawResponse> {
  const key = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const lines = [
    `GET ${options.path ?? "/"} HTTP/1.1`,
    `Host: 127.0.0.1:${port}`,
    "Upgrade: websocket",
    "Connection: Upgrade",
    `Sec-WebSocket-Key: ${key}`,
    "Sec-WebSocket-Version: 13",
    ...Object.entries(options.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
    "",
    "",
  ];
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let buffer = Buffer.alloc(0);
    let head: Omit<RawResponse, "body" | "ws"> | undefined;
    let bodyStart = 0;
    let done = false;
    const settle = (): boolean => {
      if (done) return false;
      done = true;
      clearTimeout(timer);
      socket.off("data", onData);
      return true;
    };
    const fail = (error: Error): void => {
      if (!settle()) return;
      socket.destroy();
      reject(error);
    };
    const timer = setTimeout(
      () => fail(new Error(`no complete handshake answer within ${FRAME_TIMEOUT_MS} ms: ${buffer.toString("latin1")}`)),
      FRAME_TIMEOUT_MS,
    );
    const finish = (body: string): void => {
      if (!settle()) return;
      socket.destroy();
      resolve({ ...(head as Omit<RawResponse, "body" | "ws">), body });
    };
    const tryBody = (ended: boolean): void => {
      if (!head) {
        if (ended) fail(new Error(`connection closed before a response head: ${JSON.stringify(buffer.toString())}`));
        return;
      }
      const rest = buffer.subarray(bodyStart);
      const length = head.headers["content-length"];
      if (length !== undefined) {
        if (rest.length >= Number(length)) finish(rest.subarray(0, Number(length)).toString("utf8"));
      } else if (head.headers["transfer-encoding"] === "chunked") {
        if (rest.includes(Buffer.from("0\r\n\r\n"))) finish(dechunk(rest));
      } else if (ended) finish(rest.toString("utf8"));
    };
    const onData = (chunk: Buffer): void => {
      buffer = Buffer.concat([buffer, chunk]);
      if (!head) {
        const end = buffer.indexOf(HEADER_END);
        if (end < 0) return;
        const [statusLine = "", ...headerLines] = buffer.subarray(0, end).toString("latin1").split("\r\n");
        const match = /^HTTP\/1\.1 (\d{3}) ?(.*)$/.exec(statusLine);
        if (!match) {
          fail(new Error(`not an HTTP answer: ${statusLine}`));
          return;
        }
        const headers: Record<string, string> = {};
        for (const line of headerLines) {
          const colon = line.indexOf(":");
          if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
        }
        head = { status: Number(match[1]), statusText: match[2] ?? "", headers };
        bodyStart = end + HEADER_END.length;
        if (head.status === 101) {
          settle();
          // frames may have come in the same chunk as the head
          resolve({ ...head, body: "", ws: new RawWebSocket(socket, buffer.subarray(bodyStart)) });
          return;
        }
      }
      tryBody(false);
    };
    socket.on("data", onData);
    socket.on("end", () => tryBody(true));
    socket.on("error", fail);
    socket.write(options.head === undefined ? lines.join("\r\n") : `${options.head}\r\n\r\n`);
  });
}

function dechunk(data: Buffer): string {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = data.indexOf("\r\n", at);
    const size = Number.parseInt(data.subarray(at, eol).toString("latin1"), 16);
    if (!size) return Buffer.concat(parts).toString("utf8");
    parts.push(data.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
}

/** Encodes one masked client frame (a client must mask, RFC 6455 5.3). */
export function clientFrame(payload: Uint8Array | string, opcode = 0x1): Buffer {
  const data = typeof payload === "string" ? Buffer.from(payload, "utf8") : Buffer.from(payload);
  const mask = Buffer.from(crypto.getRandomValues(new Uint8Array(4)));
  let head: Buffer;
  if (data.length < 126) head = Buffer.from([0x80 | opcode, 0x80 | data.length]);
  else if (data.length < 65536) {
    head = Buffer.alloc(4);
    head[0] = 0x80 | opcode;
    head[1] = 0x80 | 126;
    head.writeUInt16BE(data.length, 2);
  } else {
    head = Buffer.alloc(10);
    head[0] = 0x80 | opcode;
    head[1] = 0x80 | 127;
    head.writeBigUInt64BE(BigInt(data.length), 2);
  }
  const masked = Buffer.alloc(data.length);
  for (let i = 0; i < data.length; i++) masked[i] = (data[i] as number) ^ (mask[i & 3] as number);
  return Buffer.concat([head, mask, masked]);
}

/**
 * The WebSocket side of a raw connection. Every server frame is queued, to be read as JSON text ({@link next})
 * or as frames ({@link nextFrame}, {@link untilClose}). Pings are answered only when told to (so it can play a
 * dead peer), and it can stop reading (the kernel buffers fill and the server's writes back up, as with a
 * stalled mobile client) and resume later to see what the server sent last.
 */
export class RawWebSocket {
  readonly #socket: Socket;
  #buffer: Buffer;
  readonly #frames: ServerFrame[] = [];
  #waiters: Array<() => void> = [];
  #ended = false;
  #closeCode: number | undefined;
  /** Pings received from the server. */
  pings = 0;
  /** Whether to answer pings with pongs (a live peer) or not (a dead one). */
  answerPings = false;
  /** Resolves when the TCP connection is gone, with the close code if the server sent a close frame. */
  readonly closed: Promise<{ code?: number }>;

  /** Takes over a socket right after its 101 head; `initial` holds the bytes that followed the head. */
  constructor(socket: Socket, initial: Buffer) {
    this.#socket = socket;
    this.#buffer = Buffer.from(initial);
    this.closed = new Promise((resolve) => socket.on("close", () => resolve({ code: this.#closeCode })));
    socket.on("data", (chunk: Buffer) => {
      this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
      this.#parse();
    });
    const end = (): void => {
      this.#ended = true;
      this.#wake();
    };
    socket.on("end", end);
    socket.on("close", end);
    socket.on("error", end);
    this.#parse();
  }

  /** Completes a WebSocket handshake on a raw socket; rejects unless the server answers 101. */
  static async connect(port: number, options: RawUpgradeOptions = {}): Promise<RawWebSocket> {
    const response = await rawUpgrade(port, options);
    if (!response.ws) throw new Error(`upgrade refused: ${response.status} ${response.body}`);
    return response.ws;
  }

  /** Sends a text frame, or a frame of any opcode with the given payload bytes. */
  send(payload: Uint8Array | string, opcode = 0x1): void {
    this.#socket.write(clientFrame(payload, opcode));
  }

  /** Sends text frames in one TCP write, so the server reads them together. */
  sendAll(payloads: readonly string[]): void {
    this.#socket.write(Buffer.concat(payloads.map((p) => clientFrame(p))));
  }

  /** Stops reading from the socket: the server's writes back up once the kernel buffers are full. */
  stopReading(): void {
    this.#socket.pause();
  }

  /** Reads again. */
  resumeReading(): void {
    this.#socket.resume();
  }

  /** The next frame of any opcode, or undefined once the connection ended without one. Waits without a timeout. */
  async nextFrame(): Promise<ServerFrame | undefined> {
    for (;;) {
      const frame = this.#frames.shift();
      if (frame) return frame;
      if (this.#ended) return undefined;
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  /**
   * The next text frame, parsed as JSON; other frames before it are dropped.
   * @throws when no text frame comes within `timeout` ms or the connection ends first.
   */
  async next(timeout = FRAME_TIMEOUT_MS): Promise<{ event: string; data: any }> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let timedOut = false;
    const expired = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        timedOut = true;
        resolve();
      }, timeout);
    });
    try {
      for (;;) {
        const frame = this.#frames.shift();
        if (frame) {
          if (frame.opcode === 0x1) return JSON.parse(frame.payload.toString("utf8"));
          continue;
        }
        if (this.#ended) throw new Error("connection ended before a text frame");
        if (timedOut) throw new Error(`no frame within ${timeout} ms`);
        // waits for a wake-up rather than for nextFrame(), which would take a frame even after the timeout
        await Promise.race([new Promise<void>((resolve) => this.#waiters.push(resolve)), expired]);
      }
    } finally {
      clearTimeout(timer);
    }
  }

  /** Reads frames until a close frame; returns its code and reason (undefined code when the TCP connection just ended). */
  async untilClose(): Promise<{ code?: number; reason: string; frames: number }> {
    let frames = 0;
    for (;;) {
      const frame = await this.nextFrame();
      if (!frame) return { reason: "", frames };
      if (frame.opcode === 0x8) {
        const code = frame.payload.length >= 2 ? frame.payload.readUInt16BE(0) : undefined;
        return { code, reason: frame.payload.subarray(2).toString("utf8"), frames };
      }
      frames++;
    }
  }

  /** Drops the TCP connection without a close handshake. */
  destroy(): void {
    this.#socket.destroy();
  }

  #wake(): void {
    for (const waiter of this.#waiters.splice(0)) waiter();
  }

  #parse(): void {
    for (;;) {
      const b = this.#buffer;
      if (b.length < 2) break;
      let length = (b[1] as number) & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (b.length < 4) break;
        length = b.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (b.length < 10) break;
        length = Number(b.readBigUInt64BE(2));
        offset = 10;
      }
      if (b.length < offset + length) break;
      const opcode = (b[0] as number) & 0x0f;
      const payload = b.subarray(offset, offset + length);
      this.#buffer = b.subarray(offset + length);
      this.#frames.push({ opcode, payload });
      // answered as they arrive, not when read, so a peer that never reads still looks alive
      if (opcode === 0x9) {
        this.pings++;
        if (this.answerPings) this.send(payload, 0xa);
      } else if (opcode === 0x8) {
        this.#closeCode = payload.length >= 2 ? payload.readUInt16BE(0) : undefined;
      }
    }
    this.#wake();
  }
}
