/**
 * A raw TCP client for what the WebSocket API hides: the HTTP status of a rejected upgrade, frames the API would
 * refuse to send (invalid UTF-8 in a text frame), and a client that completes the handshake and then stops
 * reading. Uses `node:net`, which Bun, Deno and Node all provide.
 */
import { Buffer } from "node:buffer";
import net from "node:net";

/** The head (and body, when the server sent one with a length) of an HTTP response. */
export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const KEY = "dGhlIHNhbXBsZSBub25jZQ==";

function requestHead(port: number, path: string, headers: Record<string, string>): string {
  const lines = [
    `GET ${path} HTTP/1.1`,
    `Host: 127.0.0.1:${port}`,
    "Upgrade: websocket",
    "Connection: Upgrade",
    `Sec-WebSocket-Key: ${KEY}`,
    "Sec-WebSocket-Version: 13",
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ];
  return `${lines.join("\r\n")}\r\n\r\n`;
}

function parseHead(text: string): { status: number; headers: Record<string, string> } {
  const [statusLine = "", ...rest] = text.split("\r\n");
  const headers: Record<string, string> = {};
  for (const line of rest) {
    const i = line.indexOf(":");
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return { status: Number(statusLine.split(" ")[1]), headers };
}

/**
 * Sends an upgrade request and resolves with the response once its head (and body, for a rejection) arrived.
 * For a 101 the socket is returned open, with any bytes that followed the head.
 */
export function rawUpgrade(
  port: number,
  headers: Record<string, string> = {},
  path = "/",
): Promise<RawResponse & { socket: net.Socket; rest: Buffer }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    let buffered = Buffer.alloc(0);
    let done = false;
    const finish = (value: RawResponse & { socket: net.Socket; rest: Buffer }) => {
      if (done) return;
      done = true;
      socket.off("data", onData);
      resolve(value);
    };
    const tryParse = (ended: boolean) => {
      const end = buffered.indexOf("\r\n\r\n");
      if (end < 0) {
        if (ended) reject(new Error(`connection closed before a response head: ${JSON.stringify(buffered.toString())}`));
        return;
      }
      const head = parseHead(buffered.subarray(0, end).toString("latin1"));
      const after = buffered.subarray(end + 4);
      if (head.status === 101) return finish({ ...head, body: "", socket, rest: after });
      const length = head.headers["content-length"];
      if (length !== undefined && after.length >= Number(length)) {
        socket.destroy();
        return finish({ ...head, body: after.subarray(0, Number(length)).toString("utf8"), socket, rest: Buffer.alloc(0) });
      }
      if (ended || (length === undefined && head.headers["transfer-encoding"] === undefined)) {
        socket.destroy();
        finish({ ...head, body: after.toString("utf8"), socket, rest: Buffer.alloc(0) });
      }
    };
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      tryParse(false);
    };
    socket.on("data", onData);
    socket.on("end", () => tryParse(true));
    socket.on("error", (error) => {
      if (!done) reject(error);
    });
    socket.write(requestHead(port, path, headers));
  });
}

/** Encodes one masked client frame (a client must mask, RFC 6455 5.3). */
export function clientFrame(payload: Uint8Array | string, opcode = 0x1): Buffer {
  const data = typeof payload === "string" ? Buffer.from(payload, "utf8") : Buffer.from(payload);
  const mask = Buffer.from([0x12, 0x34, 0x56, 0x78]);
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

/** One server frame: its opcode and payload. */
export interface ServerFrame {
  opcode: number;
  payload: Buffer;
}

/**
 * A WebSocket client on a raw TCP socket. It can stop reading (the kernel buffers fill and the server's writes
 * back up, as with a stalled mobile client) and resume later to see what the server sent last.
 */
export class RawWebSocket {
  readonly socket: net.Socket;
  #buffer: Buffer;
  #frames: ServerFrame[] = [];
  #waiters: Array<() => void> = [];
  #ended = false;
  /** Payload bytes of every frame received so far. */
  bytesReceived = 0;

  private constructor(socket: net.Socket, rest: Buffer) {
    this.socket = socket;
    this.#buffer = rest;
    socket.on("data", (chunk: Buffer) => {
      this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
      this.#parse();
    });
    const end = () => {
      this.#ended = true;
      this.#wake();
    };
    socket.on("end", end);
    socket.on("close", end);
    socket.on("error", end);
    this.#parse();
  }

  /** Completes a WebSocket handshake on a raw socket; rejects unless the server answers 101. */
  static async connect(port: number, headers: Record<string, string> = {}): Promise<RawWebSocket> {
    const response = await rawUpgrade(port, headers);
    if (response.status !== 101) throw new Error(`upgrade refused: ${response.status} ${response.body}`);
    return new RawWebSocket(response.socket, response.rest);
  }

  /** Sends a text frame (or any opcode) with the given payload bytes. */
  send(payload: Uint8Array | string, opcode = 0x1): void {
    this.socket.write(clientFrame(payload, opcode));
  }

  /** Stops reading from the socket: the server's writes back up once the kernel buffers are full. */
  stopReading(): void {
    this.socket.pause();
  }

  /** Reads again. */
  resumeReading(): void {
    this.socket.resume();
  }

  /** The next frame, or undefined once the connection ended without one. */
  async next(): Promise<ServerFrame | undefined> {
    for (;;) {
      const frame = this.#frames.shift();
      if (frame) return frame;
      if (this.#ended) return undefined;
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  /** Reads frames until a close frame; returns its code and reason (undefined code when the TCP connection just ended). */
  async untilClose(): Promise<{ code?: number; reason: string; frames: number }> {
    let frames = 0;
    for (;;) {
      const frame = await this.next();
      if (!frame) return { reason: "", frames };
      if (frame.opcode === 0x8) {
        const code = frame.payload.length >= 2 ? frame.payload.readUInt16BE(0) : undefined;
        return { code, reason: frame.payload.subarray(2).toString("utf8"), frames };
      }
      frames++;
    }
  }

  /** Destroys the TCP connection. */
  destroy(): void {
    this.socket.destroy();
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
      this.#frames.push({ opcode, payload: b.subarray(offset, offset + length) });
      this.bytesReceived += length;
      this.#buffer = b.subarray(offset + length);
    }
    this.#wake();
  }
}
