/**
 * A TCP forwarder on a loopback port for a backend that comes up later: until `forward()` it accepts and at
 * once drops every connection (counting them, so a test sees a client retry), then it forwards each new
 * connection to the target. Runs on Bun, Deno and Node (node:net).
 */
import { connect, createServer, type Socket } from "node:net";

/** A listening forwarder. */
export interface TcpProxy {
  /** Connections dropped before `forward()` (a client's attempts). */
  readonly refused: number;
  /** From now on forwards every new connection to `target` (`host:port`). */
  forward(target: string): void;
  /** Stops listening and cuts every forwarded connection. */
  close(): Promise<void>;
}

/** Listens on 127.0.0.1:`port`, dropping connections until told where to forward them. */
export async function startTcpProxy(port: number): Promise<TcpProxy> {
  let target: [string, number] | undefined;
  let refused = 0;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    if (!target) {
      refused++;
      client.destroy();
      return;
    }
    const upstream = connect(target[1], target[0]);
    for (const [a, b] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      sockets.add(a);
      a.pipe(b);
      a.on("error", () => b.destroy());
      a.on("close", () => {
        sockets.delete(a);
        b.destroy();
      });
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  return {
    get refused() {
      return refused;
    },
    forward(to) {
      const [host = "127.0.0.1", p = "0"] = to.split(":");
      target = [host, Number(p)];
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
