/// <reference types="bun" />
/**
 * Load-generator clients on Bun's WebSocket: our JSON frames (`{"event","data"}`), or socket.io spoken by
 * hand over engine.io v4 (`0` open -> `40` connect -> `42[event,data]`, ping `2` answered with `3`), since
 * socket.io-client is not installed.
 */

/** Called for each application frame a client receives. */
export type FrameHandler = (event: string, data: any) => void;

/** One benchmark client connection. */
export class BenchClient {
  readonly ws: WebSocket;
  readonly flavour: "json" | "sio";
  /** Application frames go here; replace it per scenario. */
  onFrame: FrameHandler = () => {};

  private constructor(ws: WebSocket, flavour: "json" | "sio") {
    this.ws = ws;
    this.flavour = flavour;
  }

  /** Connects and resolves once the client can send application frames (after `40` for socket.io). */
  static connect(port: number, flavour: "json" | "sio"): Promise<BenchClient> {
    const url =
      flavour === "sio"
        ? `ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket`
        : `ws://127.0.0.1:${port}/?sockeon_recovery=1`;
    const ws = new WebSocket(url);
    const client = new BenchClient(ws, flavour);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`connect to ${url} timed out`)), 15_000);
      ws.onerror = () => {
        clearTimeout(timer);
        reject(new Error(`could not connect to ${url}`));
      };
      if (flavour === "json") {
        ws.onopen = () => {
          clearTimeout(timer);
          resolve(client);
        };
        ws.onmessage = (e) => {
          const m = JSON.parse(e.data as string) as { event: string; data: unknown };
          client.onFrame(m.event, m.data);
        };
        return;
      }
      ws.onmessage = (e) => {
        const text = e.data as string;
        if (text.charCodeAt(0) === 0x34 && text.charCodeAt(1) === 0x32) {
          const [event, data] = JSON.parse(text.slice(2)) as [string, unknown];
          client.onFrame(event, data);
        } else if (text === "2") ws.send("3");
        else if (text.charCodeAt(0) === 0x30) ws.send("40");
        else if (text.startsWith("40")) {
          clearTimeout(timer);
          resolve(client);
        }
      };
    });
  }

  /** Encodes one application frame for this client's protocol. */
  encode(event: string, data: unknown): string {
    return this.flavour === "sio" ? `42${JSON.stringify([event, data])}` : JSON.stringify({ event, data });
  }

  /** Sends one application frame. */
  emit(event: string, data: unknown): void {
    this.ws.send(this.encode(event, data));
  }

  /** Waits for the first frame of `event` (bounded). */
  once(event: string, timeoutMs = 15_000): Promise<any> {
    return new Promise((resolve, reject) => {
      const previous = this.onFrame;
      const timer = setTimeout(() => reject(new Error(`no '${event}' within ${timeoutMs} ms`)), timeoutMs);
      this.onFrame = (name, data) => {
        if (name !== event) return previous(name, data);
        clearTimeout(timer);
        this.onFrame = previous;
        resolve(data);
      };
    });
  }

  /** Closes the socket without waiting. */
  close(): void {
    try {
      this.ws.close();
    } catch {
      // already closed
    }
  }
}

/** Opens `count` clients, `batch` handshakes at a time. */
export async function connectMany(port: number, flavour: "json" | "sio", count: number, batch = 250): Promise<BenchClient[]> {
  const clients: BenchClient[] = [];
  for (let i = 0; i < count; i += batch) {
    const n = Math.min(batch, count - i);
    clients.push(...(await Promise.all(Array.from({ length: n }, () => BenchClient.connect(port, flavour)))));
  }
  return clients;
}
