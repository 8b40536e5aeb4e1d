import { type Connection, hostOf, type SocketHandle, type Ticket } from "../src/extend.ts";
import type { Listener, ListenOptions, SockeonServer } from "../src/index.ts";

/** Deno-specific options; heartbeat through `Deno.upgradeWebSocket`'s `idleTimeout`. */
export interface DenoServeOptions extends ListenOptions {
  /** Seconds without a pong before Deno closes the socket; default the server's `idleTimeout` (120), 0 disables. */
  idleTimeout?: number;
}

// the ticket until open, then the socket's handle in its place (the handshake data is not kept)
const SLOT = Symbol("sockeon-ts.session");
type Wired = WebSocket & { [SLOT]: Ticket | SocketHandle };
const GONE: SocketHandle = { message: () => {}, closed: () => {} };
const opened = (slot: Ticket | SocketHandle): slot is SocketHandle => typeof (slot as SocketHandle).closed === "function";

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
      let upgraded: Deno.WebSocketUpgrade;
      try {
        upgraded = Deno.upgradeWebSocket(request, { idleTimeout, protocol: accepted.ticket.protocol });
      } catch {
        return host.abandon(accepted.ticket);
      }
      const socket = upgraded.socket as Wired;
      socket.binaryType = "arraybuffer";
      socket[SLOT] = accepted.ticket;
      socket.addEventListener("open", onOpen, { once: true });
      socket.addEventListener("message", onMessage);
      socket.addEventListener("close", onClose);
      return upgraded.response;
    },
  );
  // shared by every socket (`this` is the socket): no closures, scope or `on*` wrappers kept per socket
  function onOpen(this: WebSocket): void {
    const socket = this as Wired;
    socket[SLOT] = host.open(new DenoConnection(socket), socket[SLOT] as Ticket);
  }
  function onMessage(this: WebSocket, event: MessageEvent): void {
    const slot = (this as Wired)[SLOT];
    if (opened(slot)) slot.message(event.data);
  }
  function onClose(this: WebSocket, event: CloseEvent): void {
    const socket = this as Wired;
    const slot = socket[SLOT];
    if (opened(slot)) slot.closed(event.code, event.reason);
    else {
      // closed before it opened: the slot is given back at once, and only once
      socket[SLOT] = GONE;
      host.abandon(slot);
    }
  }
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
