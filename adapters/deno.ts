import { type Connection, hostOf, type SocketHandle, type Ticket } from "../src/extend.ts";
import type { Listener, ListenOptions, SockeonServer } from "../src/index.ts";

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
  const host = hostOf(server);
  const idleTimeout = options.idleTimeout ?? host.options.idleTimeout;
  const deno = Deno.serve(
    {
      port: options.port ?? host.options.port,
      hostname: options.hostname ?? host.options.host,
      ...(options.tls && { cert: options.tls.cert, key: options.tls.key }),
      onListen: () => {},
    },
    async (request, info) => {
      const accepted = await host.accept(request, { remoteAddress: (info.remoteAddr as Deno.NetAddr).hostname });
      if (accepted.response) return accepted.response;
      // the handlers' shared scope must not keep the ticket (and its handshake data) alive with the socket
      let ticket: Ticket | null = accepted.ticket;
      let upgraded: Deno.WebSocketUpgrade;
      try {
        upgraded = Deno.upgradeWebSocket(request, { idleTimeout, protocol: ticket.protocol });
      } catch {
        return host.abandon(ticket);
      }
      const { socket, response } = upgraded;
      socket.binaryType = "arraybuffer";
      let handle: SocketHandle | undefined;
      socket.onopen = () => {
        handle = host.open(new DenoConnection(socket), ticket as Ticket);
        ticket = null;
        socket.onopen = null;
      };
      socket.onmessage = (event) => handle?.message(event.data);
      // closed before it opened: the slot is given back at once
      socket.onclose = (event) => (handle ? handle.closed(event.code, event.reason) : ticket && host.abandon(ticket));
      return response;
    },
  );
  const addr = deno.addr as Deno.NetAddr;
  // shutdown() closes open WebSockets itself (1001, unflushed), so it runs only once the core closed them; until
  // then the core refuses new upgrades with 503
  host.listening({ closeAll: () => deno.shutdown() });
  const listener: Listener = { port: addr.port, hostname: addr.hostname, stop: () => host.close() };
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
