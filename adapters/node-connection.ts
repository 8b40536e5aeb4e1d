import type { WebSocket } from "ws";
import type { Connection } from "../src/extend.ts";

/** The parts of `ws`'s private state the fast path relies on; pinned by tests/unit/node-connection.node.test.ts. */
export interface WsInternals {
  _socket: { cork(): void; uncork(): void; write(chunk: Uint8Array): boolean } | null;
  _sender: { _state: number; _queue: unknown[]; _firstFragment: boolean } | null;
}

// A broadcast hands the same string to every recipient's queue; each string is framed once per event-loop
// turn and the bytes are shared (server frames are unmasked, so they are identical for every socket).
let framed = new Map<string, Uint8Array>();
let clearScheduled = false;
const clearFramed = (): void => {
  framed = new Map();
  clearScheduled = false;
};

/**
 * One unfragmented, unmasked text frame (FIN + opcode 1) holding `text`, as RFC 6455 section 5.2 lays it out.
 * @param text the payload
 */
export function textFrame(text: string): Uint8Array {
  const length = Buffer.byteLength(text);
  const header = length < 126 ? 2 : length < 65536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(header + length);
  frame[0] = 0x81;
  if (header === 2) frame[1] = length;
  else if (header === 4) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
    frame.writeUInt32BE(length >>> 0, 6);
  }
  frame.write(text, header, "utf8");
  return frame;
}

function sharedFrame(text: string): Uint8Array {
  let frame = framed.get(text);
  if (frame === undefined) {
    framed.set(text, (frame = textFrame(text)));
    if (!clearScheduled) {
      clearScheduled = true;
      setImmediate(clearFramed);
    }
  }
  return frame;
}

/**
 * Adapts a `ws` socket to the core's {@link Connection}. Frames are written pre-framed straight to the net
 * socket, and a flush is one corked `writev`, whenever `ws`'s own sender is idle (no compression or blob in
 * flight); otherwise it falls back to `ws.send`, so frames never overtake each other.
 * @example server.open(nodeConnection(ws), ticket)
 */
export function nodeConnection(ws: WebSocket): Connection {
  return new NodeConnection(ws);
}

// a class, so each socket costs one small object instead of a handful of closures
class NodeConnection implements Connection {
  readonly raw: WebSocket;

  constructor(ws: WebSocket) {
    this.raw = ws;
  }

  send(frame: string): void {
    const ws = this.raw;
    // a closing socket drops frames quietly, as ws.send would; the session is released on the close event
    if (ws.readyState !== 1) return;
    const internals = ws as unknown as WsInternals;
    const sender = internals._sender;
    const socket = internals._socket;
    if (socket && sender && sender._state === 0 && sender._queue.length === 0 && sender._firstFragment) {
      socket.write(sharedFrame(frame));
    } else ws.send(frame);
  }

  close(code?: number, reason?: string): void {
    this.raw.close(code, reason);
  }

  bufferedAmount(): number {
    return this.raw.bufferedAmount;
  }

  cork(writes: () => void): void {
    const socket = (this.raw as unknown as WsInternals)._socket;
    if (!socket) {
      writes();
      return;
    }
    socket.cork();
    try {
      writes();
    } finally {
      socket.uncork();
    }
  }
}
