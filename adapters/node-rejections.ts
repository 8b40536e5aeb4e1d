import type { IncomingMessage, Server } from "node:http";
import { STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";

/** A rejection ready to be written as raw HTTP: read before the upgrade listener writes. */
interface Pending {
  status: number;
  statusText: string;
  headers: Array<[string, string]>;
  body: Buffer;
}

/**
 * Keeps rejected upgrade responses whole on Node. `@hono/node-ws` answers a rejected upgrade with the status
 * line only (no headers, no body); this hooks the upgrade socket so that, for requests whose rejection was
 * recorded, the full response (`401 Invalid authentication key`, custom headers and JSON bodies) is written
 * instead.
 * @param http the Node HTTP server; call before `injectWebSocket(http)` so this listener runs first
 * @returns `record(incoming, response)`: call it (awaited) with the request's `IncomingMessage` before
 *   returning the rejection from Hono
 */
export function keepRejectionBodies(http: Server): (incoming: IncomingMessage, response: Response) => Promise<void> {
  const pending = new WeakMap<IncomingMessage, Pending>();
  http.on("upgrade", (request: IncomingMessage, socket: Duplex) => {
    const end = socket.end.bind(socket) as (...args: unknown[]) => Duplex;
    socket.end = ((...args: unknown[]) => {
      const rejection = pending.get(request);
      if (!rejection) return end(...args);
      pending.delete(request);
      const head = [`HTTP/1.1 ${rejection.status} ${rejection.statusText}`];
      for (const [name, value] of rejection.headers)
        if (name !== "content-length" && name !== "connection" && name !== "transfer-encoding") head.push(`${name}: ${value}`);
      head.push(`Content-Length: ${rejection.body.length}`, "Connection: close", "", "");
      return end(Buffer.concat([Buffer.from(head.join("\r\n"), "latin1"), rejection.body]));
    }) as Duplex["end"];
  });
  return async (incoming, response) => {
    const body = Buffer.from(await response.clone().arrayBuffer());
    pending.set(incoming, {
      status: response.status,
      statusText: response.statusText || STATUS_CODES[response.status] || "",
      headers: [...response.headers],
      body,
    });
  };
}
