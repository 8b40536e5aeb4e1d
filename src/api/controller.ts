import { markApiClass, SockeonApi } from "./compat.ts";
import type { SockeonServer } from "./server.ts";
import { ownerOf } from "./server-api.ts";

/**
 * Base class of controllers: decorate methods with `@SocketOn`, `@OnConnect`, `@OnDisconnect`, and call the
 * Sockeon API (`this.emit`, `this.joinRoom`, `await this.getClientCount()`, ...) once the controller is
 * registered with `server.register()`. The API is the server's own (both extend {@link SockeonApi}).
 * @example
 * ```ts
 * class Hello extends SocketController {
 *   @OnConnect greet(clientId: string) { this.emit(clientId, "welcome", { clientId }); }
 * }
 * ```
 */
export abstract class SocketController extends SockeonApi {
  /** The server this controller is registered with. */
  get server(): SockeonServer {
    return ownerOf(this) as SockeonServer;
  }
}

markApiClass(SocketController);
