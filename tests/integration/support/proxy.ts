/**
 * A TCP relay between a client and a real server that can go silent: `freeze()` stops forwarding on every
 * current connection while keeping its sockets open, which is what a dead server or a dropped NAT mapping looks
 * like to a client (no close, no error, just silence). New connections are relayed normally.
 */
import net from "node:net";

/** A running relay. */
export interface SilentRelay {
  /** The relay's port on 127.0.0.1. */
  readonly port: number;
  /** Stops forwarding on every current connection, leaving the sockets open. */
  freeze(): void;
  /** Closes the relay and every connection through it. */
  close(): Promise<void>;
}

/** Starts a relay to `127.0.0.1:targetPort` on a free port. */
export async function startRelay(targetPort: number): Promise<SilentRelay> {
  const pairs = new Set<{ client: net.Socket; upstream: net.Socket; frozen: boolean }>();
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, "127.0.0.1");
    const pair = { client, upstream, frozen: false };
    pairs.add(pair);
    client.on("data", (chunk) => void (pair.frozen || upstream.write(chunk)));
    upstream.on("data", (chunk) => void (pair.frozen || client.write(chunk)));
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on("close", end).on("error", end);
    upstream.on("close", () => void (pair.frozen || end())).on("error", end);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    freeze() {
      for (const pair of pairs) pair.frozen = true;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const { client, upstream } of pairs) {
          client.destroy();
          upstream.destroy();
        }
        pairs.clear();
        server.close(() => resolve());
      }),
  };
}
