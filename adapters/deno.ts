/// <reference lib="deno.ns" />
import type { Listener, ListenOptions, Session, SockeonServer } from "../src/index.ts";

/** Deno-specific options; heartbeat through `Deno.upgradeWebSocket`'s `idleTimeout`. */
export interface DenoServeOptions extends ListenOptions {
  /** Seconds without a pong before Deno closes the socket; default 120, 0 disables. */
  idleTimeout?: number;
}

/**
 * Serves a sockeon-ts server with `Deno.serve`: WebSocket upgrades on any path, other requests to `server.app`.
 * Deno has no frame size option, so oversize frames reach JS and get Sockeon's error, then close 1009.
 * @example const listener = serveDeno(createServer().register(new Chat()), { port: 6001 });
 */
export function serveDeno(server: SockeonServer, options: DenoServeOptions = {}): Listener {
  const deno = Deno.serve(
    {
      port: options.port ?? server.options.port,
      hostname: options.hostname ?? server.options.host,
      onListen: () => {},
    },
    async (request, info) => {
      if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") return server.fetch(request);
      const remote = info.remoteAddr as Deno.NetAddr;
      const verdict = await server.handshake(request, { remoteAddress: remote.hostname });
      if (verdict instanceof Response) return verdict;
      const { socket, response } = Deno.upgradeWebSocket(request, { idleTimeout: options.idleTimeout ?? 120 });
      socket.binaryType = "arraybuffer";
      let session: Session | undefined;
      socket.onopen = () => {
        session = server.open(
          {
            send: (frame) => socket.send(frame),
            close: (code, reason) => socket.close(code, reason),
            bufferedAmount: () => socket.bufferedAmount,
            raw: socket,
          },
          verdict,
        );
      };
      socket.onmessage = (event) => session?.message(event.data);
      socket.onclose = (event) => session?.closed(event.code, event.reason);
      return response;
    },
  );
  const addr = deno.addr as Deno.NetAddr;
  // shutdown() closes open WebSockets itself (1001, unflushed), so it runs only once the core closed them; until
  // then the core refuses new upgrades with 503
  server.onShutdown(() => deno.shutdown());
  const listener: Listener = { port: addr.port, hostname: addr.hostname, stop: () => server.close() };
  options.onListen?.(listener);
  return listener;
}
