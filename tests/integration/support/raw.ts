/**
 * A raw TCP WebSocket client (node:net, on Bun, Deno and Node) for what the WebSocket API hides: the status,
 * headers and body of a rejected handshake, request headers such as `X-Forwarded-For`, and a peer that never
 * answers pings (heartbeat tests).
 */
import { connect, type Socket } from "node:net";
import { FRAME_TIMEOUT_MS } from "./client.ts";

/** The server's answer to an upgrade request. */
export interface RawResponse {
  status: number;
  statusText: string;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  body: string;
  /** The open WebSocket when the status was 101. */
  ws?: RawWebSocket;
}

/** Options of {@link rawUpgrade}. */
export interface RawUpgradeOptions {
  path?: string;
  headers?: Record<string, string>;
}

const HEADER_END = Buffer.from("\r\n\r\n");

/**
 * Sends an HTTP upgrade request over a plain socket and reads the answer.
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
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete handshake answer within ${FRAME_TIMEOUT_MS} ms: ${buffer.toString("latin1")}`));
    }, FRAME_TIMEOUT_MS);
    const finish = (body: string): void => {
      clearTimeout(timer);
      socket.removeAllListeners("data");
      socket.destroy();
      resolve({ ...(head as Omit<RawResponse, "body">), body });
    };
    const tryBody = (ended: boolean): void => {
      if (!head) return;
      const rest = buffer.subarray(bodyStart);
      const length = head.headers["content-length"];
      if (length !== undefined) {
        if (rest.length >= Number(length)) finish(rest.subarray(0, Number(length)).toString("utf8"));
      } else if (head.headers["transfer-encoding"] === "chunked") {
        if (rest.includes(Buffer.from("0\r\n\r\n"))) finish(dechunk(rest));
      } else if (ended) finish(rest.toString("utf8"));
    };
    socket.on("data", (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (!head) {
        const end = buffer.indexOf(HEADER_END);
        if (end < 0) return;
        const [statusLine = "", ...headerLines] = buffer.subarray(0, end).toString("latin1").split("\r\n");
        const match = /^HTTP\/1\.1 (\d{3}) ?(.*)$/.exec(statusLine);
        if (!match) {
          clearTimeout(timer);
          socket.destroy();
          reject(new Error(`not an HTTP answer: ${statusLine}`));
          return;
        }
        const headers: Record<string, string> = {};
        for (const line of headerLines) {
          const colon = line.indexOf(":");
          headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
        }
        head = { status: Number(match[1]), statusText: match[2] ?? "", headers };
        bodyStart = end + HEADER_END.length;
        if (head.status === 101) {
          clearTimeout(timer);
          socket.removeAllListeners("data");
          resolve({ ...head, body: "", ws: new RawWebSocket(socket, buffer.subarray(bodyStart)) });
          return;
        }
      }
      tryBody(false);
    });
    socket.on("end", () => tryBody(true));
    socket.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.write(lines.join("\r\n"));
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

/**
 * The WebSocket side of a raw connection: reads server frames, sends masked text frames, and answers pings
 * only when told to (so it can play a dead peer).
 */
export class RawWebSocket {
  readonly #socket: Socket;
  #buffer: Buffer;
  readonly #texts: string[] = [];
  readonly #waiters: Array<(text: string) => void> = [];
  /** Pings received from the server. */
  pings = 0;
  /** Whether to answer pings with pongs (a live peer) or not (a dead one). */
  answerPings = false;
  /** Resolves when the TCP connection is gone, with the close code if the server sent a close frame. */
  readonly closed: Promise<{ code?: number }>;
  #closeCode: number | undefined;

  constructor(socket: Socket, initial: Buffer) {
    this.#socket = socket;
    this.#buffer = Buffer.from(initial);
    this.closed = new Promise((resolve) => socket.on("close", () => resolve({ code: this.#closeCode })));
    socket.on("data", (chunk: Buffer) => {
      this.#buffer = Buffer.concat([this.#buffer, chunk]);
      this.#parse();
    });
    this.#parse();
  }

  #parse(): void {
    for (;;) {
      const b = this.#buffer;
      if (b.length < 2) return;
      const opcode = (b[0] as number) & 0x0f;
      let length = (b[1] as number) & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (b.length < 4) return;
        length = b.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (b.length < 10) return;
        length = Number(b.readBigUInt64BE(2));
        offset = 10;
      }
      if (b.length < offset + length) return;
      const payload = b.subarray(offset, offset + length);
      this.#buffer = b.subarray(offset + length);
      if (opcode === 1) {
        const text = payload.toString("utf8");
        const waiter = this.#waiters.shift();
        if (waiter) waiter(text);
        else this.#texts.push(text);
      } else if (opcode === 9) {
        this.pings++;
        if (this.answerPings) this.#write(0xa, payload);
      } else if (opcode === 8) {
        this.#closeCode = payload.length >= 2 ? payload.readUInt16BE(0) : undefined;
      }
    }
  }

  #write(opcode: number, payload: Buffer): void {
    const mask = Buffer.from(crypto.getRandomValues(new Uint8Array(4)));
    const header =
      payload.length < 126
        ? Buffer.from([0x80 | opcode, 0x80 | payload.length])
        : Buffer.from([0x80 | opcode, 0x80 | 126, payload.length >> 8, payload.length & 0xff]);
    const masked = Buffer.from(payload.map((byte, i) => byte ^ (mask[i % 4] as number)));
    this.#socket.write(Buffer.concat([header, mask, masked]));
  }

  /** Sends one text frame. */
  send(text: string): void {
    this.#write(1, Buffer.from(text, "utf8"));
  }

  /** The next text frame, parsed as JSON. */
  next(timeout = FRAME_TIMEOUT_MS): Promise<{ event: string; data: any }> {
    const queued = this.#texts.shift();
    if (queued !== undefined) return Promise.resolve(JSON.parse(queued));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no frame within ${timeout} ms`)), timeout);
      this.#waiters.push((text) => {
        clearTimeout(timer);
        resolve(JSON.parse(text));
      });
    });
  }

  /** Drops the TCP connection without a close handshake. */
  destroy(): void {
    this.#socket.destroy();
  }
}
