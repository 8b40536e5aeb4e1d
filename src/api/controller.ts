import type { SockeonServer } from "./server.ts";

/** Server methods a controller exposes as its own, under the same names. */
export const SERVER_API = [
  "emit",
  "sendRaw",
  "broadcast",
  "broadcastToRoomClients",
  "broadcastToRoom",
  "broadcastToNamespaceClients",
  "broadcastToNamespace",
  "broadcastTo",
  "broadcastExcept",
  "broadcastToTarget",
  "to",
  "in",
  "except",
  "joinRoom",
  "leaveRoom",
  "leaveAllRooms",
  "moveClientToNamespace",
  "joinNamespace",
  "leaveNamespace",
  "setClientData",
  "putData",
  "forgetData",
  "disconnect",
  "getClientData",
  "data",
  "allData",
  "hasData",
  "getAllClients",
  "getClientIds",
  "getClientCount",
  "isClientConnected",
  "isConnected",
  "getClientType",
  "getClientIp",
  "getClientNamespace",
  "getClientsInRoom",
  "getClientsInNamespace",
  "getRooms",
  "getClientRooms",
  "getUptime",
  "getServerStats",
] as const satisfies ReadonlyArray<keyof SockeonServer>;

type ServerApi = Pick<SockeonServer, (typeof SERVER_API)[number]>;

const SERVER: unique symbol = Symbol("sockeon-ts.server");

/**
 * Base class of controllers: decorate methods with `@SocketOn`, `@OnConnect`, `@OnDisconnect`, and call the
 * Sockeon API (`this.emit`, `this.joinRoom`, `await this.getClientCount()`, ...) which the server implements.
 * @example
 * ```ts
 * class Hello extends SocketController {
 *   @OnConnect greet(clientId: string) { this.emit(clientId, "welcome", { clientId }); }
 * }
 * ```
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the API methods are installed on the prototype below
export abstract class SocketController {
  declare [SERVER]?: SockeonServer;

  /** The server this controller is registered with. */
  get server(): SockeonServer {
    const server = this[SERVER];
    if (!server)
      throw new Error(`${this.constructor.name} is not registered with a server: call server.register(controller) first`);
    return server;
  }
}

export interface SocketController extends ServerApi {}

// the builder entry points take any number of rooms or client ids: trailing undefineds would be names
const VARIADIC: ReadonlySet<string> = new Set(["to", "except"]);

for (const name of SERVER_API) {
  Object.defineProperty(SocketController.prototype, name, {
    configurable: true,
    writable: true,
    value: VARIADIC.has(name)
      ? function (this: SocketController, ...args: unknown[]) {
          const server = this.server;
          return (server[name] as (...args: unknown[]) => unknown).apply(server, args);
        }
      : // fixed arity (API methods take at most 6 arguments; missing ones arrive as undefined, so defaults
        // apply): no rest array per call on the hot emit/broadcast path
        function (this: SocketController, a: unknown, b: unknown, c: unknown, d: unknown, e: unknown, f: unknown) {
          const server = this.server;
          return (server[name] as (...args: unknown[]) => unknown).call(server, a, b, c, d, e, f);
        },
  });
}

/** Every member name of the controller base class: handlers may not reuse them. */
export const CONTROLLER_API: readonly string[] = [...SERVER_API, "server", "constructor"];

/** @internal Binds a controller to its server; called by `server.register()`. */
export function attachServer(controller: SocketController, server: SockeonServer): void {
  controller[SERVER] = server;
}
