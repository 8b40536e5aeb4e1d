import { type IncomingMessage, STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";

/**
 * The web-standard Request of a Node upgrade request, or `undefined` when its target or Host header do not make
 * a valid URL (e.g. `*`, `Host: [`), so a malformed request gets a 400 instead of an exception.
 */
export function requestOf(req: IncomingMessage): Request | undefined {
  try {
    // Node already joined repeated headers (set-cookie, the one list, cannot appear in an upgrade request), so
    // the parsed record goes in as is: one Headers object per upgrade instead of two
    return new Request(`http://${req.headers.host ?? "localhost"}${req.url ?? "/"}`, {
      method: req.method,
      headers: req.headers as Record<string, string>,
    });
  } catch {
    return undefined;
  }
}

/** Writes a whole response (status, headers, body) on a raw upgrade socket and closes it. */
export async function writeResponse(socket: Duplex, response: Response): Promise<void> {
  const body = Buffer.from(await response.arrayBuffer());
  let head = `HTTP/1.1 ${response.status} ${response.statusText || STATUS_CODES[response.status] || ""}\r\n`;
  response.headers.forEach((value, name) => {
    if (name !== "content-length" && name !== "connection") head += `${name}: ${value}\r\n`;
  });
  socket.end(Buffer.concat([Buffer.from(`${head}content-length: ${body.length}\r\nconnection: close\r\n\r\n`, "latin1"), body]));
}
