import { reject } from "./handshake.ts";

/** A 16-byte nonce in base64 (RFC 6455 4.1): 22 characters and `==`. */
const KEY = /^[+/0-9A-Za-z]{22}==$/;
/** An HTTP token (RFC 7230 3.2.6), what a subprotocol name must be. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** What {@link checkUpgrade} decided: a rejection, or the subprotocol to answer with (none when undefined). */
export type UpgradeCheck =
  | { readonly response: Response; readonly reason: string }
  | { readonly response?: undefined; readonly protocol?: string };

function refuse(status: number, reason: string, headers?: Record<string, string>): UpgradeCheck {
  return { response: reject(status, reason, headers), reason };
}

/**
 * The subprotocols a client offered (`Sec-WebSocket-Protocol`, in its order), or `null` when the header is
 * malformed (an empty or non-token entry, or a repeated name), as `ws` parses it.
 */
export function offeredProtocols(header: string | null): string[] | null {
  if (header === null) return [];
  const names = header.split(",").map((name) => name.trim());
  if (names.some((name) => !TOKEN.test(name)) || new Set(names).size !== names.length) return null;
  return names;
}

/**
 * Checks a WebSocket upgrade request the same way on every runtime, before any connection slot is taken
 * (RFC 6455 4.2.1): method GET, `Connection: upgrade`, exactly one `Sec-WebSocket-Key` that is 16 bytes in
 * base64, `Sec-WebSocket-Version: 13` (otherwise 426 with `Sec-WebSocket-Version: 13`), and a well-formed
 * `Sec-WebSocket-Protocol`. Picks the subprotocol to echo: the first one offered that `supported` lists, or
 * the first one offered when `supported` is null.
 * @example checkUpgrade(request, null) // { protocol: "sockeon" } for `Sec-WebSocket-Protocol: sockeon, v2`
 */
export function checkUpgrade(request: Request, supported: readonly string[] | null): UpgradeCheck {
  const headers = request.headers;
  if (request.method !== "GET") return refuse(400, "Invalid WebSocket upgrade: method must be GET");
  const connection = headers.get("connection") ?? "";
  if (!connection.split(",").some((token) => token.trim().toLowerCase() === "upgrade"))
    return refuse(400, "Invalid WebSocket upgrade: Connection header must contain upgrade");
  // Headers joins a repeated header with ", ", which the pattern refuses: two keys are one bad key
  if (!KEY.test(headers.get("sec-websocket-key") ?? ""))
    return refuse(400, "Invalid WebSocket upgrade: missing or invalid Sec-WebSocket-Key");
  if (headers.get("sec-websocket-version")?.trim() !== "13")
    return refuse(426, "Unsupported WebSocket version: expected 13", { "sec-websocket-version": "13" });
  const offered = offeredProtocols(headers.get("sec-websocket-protocol"));
  if (offered === null) return refuse(400, "Invalid WebSocket upgrade: malformed Sec-WebSocket-Protocol");
  const protocol = supported === null ? offered[0] : offered.find((name) => supported.includes(name));
  return protocol === undefined ? {} : { protocol };
}
