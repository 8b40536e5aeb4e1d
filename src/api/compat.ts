import { DEFAULT_NAMESPACE } from "../engine/namespaces.ts";
import { ServerApi } from "./server-api.ts";

/**
 * Sockeon v3's names for the same operations, with v3's argument order, so code ported from Sockeon PHP keeps
 * working. Each is the named method of {@link ServerApi}; nothing else lives here. The docs page's names
 * (`broadcastToRoomClients`, `setClientData`, `isClientConnected`, ...) are the primary API.
 */
export abstract class SockeonApi extends ServerApi {
  /** Sockeon v3 name of {@link ServerApi.broadcastToRoomClients}, namespace before room. */
  broadcastToRoom(event: string, data: unknown, namespace: string, room: string): void {
    this.broadcastToRoomClients(event, data, room, namespace);
  }

  /** Sockeon v3 name of {@link ServerApi.broadcastToNamespaceClients}. */
  broadcastToNamespace(event: string, data: unknown, namespace: string): void {
    this.broadcastToNamespaceClients(event, data, namespace);
  }

  /** Sockeon v3 name of {@link ServerApi.moveClientToNamespace}. */
  joinNamespace(clientId: string, namespace: string = DEFAULT_NAMESPACE): void {
    this.moveClientToNamespace(clientId, namespace);
  }

  /** Sockeon v3 name of {@link ServerApi.setClientData}. */
  putData(clientId: string, key: string, value: unknown): void {
    this.setClientData(clientId, key, value);
  }

  /** Sockeon v3 name of {@link ServerApi.getClientData} with a key: one value, `null` when unset. */
  async data(clientId: string, key: string): Promise<unknown> {
    return this.getClientData(clientId, key);
  }

  /** Sockeon v3 name of {@link ServerApi.getClientData} without a key: all data, `null` for an unknown client. */
  async allData(clientId: string): Promise<Record<string, unknown> | null> {
    return (await this.getClientData(clientId)) as Record<string, unknown> | null;
  }

  /** Sockeon v3 name of {@link ServerApi.isClientConnected}. */
  async isConnected(clientId: string): Promise<boolean> {
    return this.isClientConnected(clientId);
  }
}

const API_CLASS = Symbol("sockeon-ts.apiClass");

/** Marks a framework class whose members (and its ancestors') decorated handlers may not shadow. */
export function markApiClass(cls: abstract new (...args: never[]) => unknown): void {
  Object.defineProperty(cls.prototype, API_CLASS, { value: true });
}

markApiClass(SockeonApi);

/**
 * The member names a controller's decorated handlers may not reuse: every method and accessor of the framework
 * classes it extends (SocketController and the API), so `this.joinRoom(...)` in a handler never calls itself.
 * Empty for a controller that does not extend them.
 */
export function reservedNames(controller: object): ReadonlySet<string> {
  const names = new Set<string>();
  let framework = false;
  for (let proto = Object.getPrototypeOf(controller); proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    if (!framework && Object.hasOwn(proto, API_CLASS)) framework = true;
    if (framework) for (const name of Object.getOwnPropertyNames(proto)) names.add(name);
  }
  return names;
}
