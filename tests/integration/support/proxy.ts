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
  /** Drops every current connection at the TCP level (no WebSocket close frame either way), as a network blip does. */
  cut(): void;
  /** While true, new connections are dropped at once (the network is still down); current ones are untouched. */
  refuse: boolean;
  /**
   * Resolves once the server sent a WebSocket close frame with `code` on a frozen connection (held back from the
   * client). Some runtimes keep the TCP connection until the peer answers, so this is what a test can see.
   */
  closeFrameFromServer(code: number): Promise<void>;
  /** Closes the relay and every connection through it. */
  close(): Promise<void>;
}

/** Starts a relay to `127.0.0.1:targetPort` on a free port. */
export async function startRelay(targetPort: number): Promise<SilentRelay> {
  const pairs = new Set<{ client: net.Socket; upstream: net.Socket; frozen: boolean }>();
  const state = { refuse: false };
  const held: Buffer[] = [];
  let heldChanged: () => void = () => {};
  const server = net.createServer((client) => {
    if (state.refuse) {
      client.destroy();
      return;
    }
    const upstream = net.connect(targetPort, "127.0.0.1");
    const pair = { client, upstream, frozen: false };
    pairs.add(pair);
    client.on("data", (chunk) => void (pair.frozen || upstream.write(chunk)));
    upstream.on("data", (chunk: Buffer) => {
      if (!pair.frozen) client.write(chunk);
      else {
        held.push(chunk);
        heldChanged();
      }
    });
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
    get refuse() {
      return state.refuse;
    },
    set refuse(value: boolean) {
      state.refuse = value;
    },
    async closeFrameFromServer(code: number) {
      // an unmasked server close frame: FIN + opcode 8, a short length, then the code big-endian
      const wanted = (bytes: Buffer) =>
        bytes.some((b, i) => b === 0x88 && bytes[i + 2] === code >> 8 && bytes[i + 3] === (code & 0xff));
      while (!wanted(Buffer.concat(held))) await new Promise<void>((resolve) => (heldChanged = resolve));
    },
    cut() {
      for (const pair of [...pairs]) {
        pairs.delete(pair);
        pair.client.destroy();
        pair.upstream.destroy();
      }
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
