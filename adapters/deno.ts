/// <reference lib="deno.ns" />
import type { Connection, Listener, ListenOptions, Session, SockeonServer, Ticket } from "../src/index.ts";

/** Deno-specific options; heartbeat through `Deno.upgradeWebSocket`'s `idleTimeout`. */
export interface DenoServeOptions extends ListenOptions {
  /** Seconds without a pong before Deno closes the socket; default the server's `idleTimeout` (120), 0 disables. */
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
      const peer = { remoteAddress: (info.remoteAddr as Deno.NetAddr).hostname };
      if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") return server.fetch(request, peer);
      const verdict = await server.handshake(request, peer);
      if (verdict instanceof Response) return verdict;
      const { socket, response } = Deno.upgradeWebSocket(request, {
        idleTimeout: options.idleTimeout ?? server.options.idleTimeout,
      });
      socket.binaryType = "arraybuffer";
      // the handlers' shared scope must not keep the ticket (and its handshake data) alive with the socket
      let ticket: Ticket | null = verdict;
      let session: Session | undefined;
      socket.onopen = () => {
        session = server.open(new DenoConnection(socket), ticket as Ticket);
        ticket = null;
        socket.onopen = null;
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

/** The core's view of a Deno socket; a class, so each socket costs one small object instead of four closures. */
class DenoConnection implements Connection {
  readonly raw: WebSocket;

  constructor(socket: WebSocket) {
    this.raw = socket;
  }

  send(frame: string): void {
    this.raw.send(frame);
  }

  close(code?: number, reason?: string): void {
    this.raw.close(code, reason);
  }

  bufferedAmount(): number {
    return this.raw.bufferedAmount;
  }
}
