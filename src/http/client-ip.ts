import type { Context } from "hono";
import { createIpMatcher, resolveClientIp, type TrustProxy } from "../common/ip.ts";
import type { PeerInfo } from "../engine/connection.ts";

/** Key under which `server.fetch(request, peer)` passes the peer in Hono's `env`, and adapters set it on `c`. */
export const PEER_KEY = "sockeonPeer";
const IP_KEY = "sockeonIp";

/**
 * Turns `trustProxy` into a matcher for {@link resolveClientIp}.
 * @param trust the option value
 */
export function trustMatcher(trust: TrustProxy): boolean | ((ip: string | null | undefined) => boolean) {
  return typeof trust === "boolean" ? trust : createIpMatcher(trust, "trustProxy");
}

/** The peer the adapter reported for this request, if any. */
export function peerOf(c: Context): PeerInfo | undefined {
  const fromEnv = (c.env as Record<string, unknown> | undefined)?.[PEER_KEY] as PeerInfo | undefined;
  return fromEnv ?? (c.get(PEER_KEY as never) as PeerInfo | undefined);
}

/**
 * The client's address for an HTTP request: the socket peer, or a forwarded address when the peer is a trusted
 * proxy (`trustProxy`), so clients cannot spoof it. `null` when the adapter gave no peer.
 * @example const ip = requestIp(c);
 */
export function requestIp(c: Context): string | null {
  const cached = c.get(IP_KEY as never) as string | null | undefined;
  return cached === undefined ? null : cached;
}

/** @internal Computes and caches the request's client address (the server's first HTTP step). */
export function assignRequestIp(c: Context, trust: ReturnType<typeof trustMatcher>): string | null {
  const ip = resolveClientIp(peerOf(c)?.remoteAddress, c.req.raw.headers, trust);
  c.set(IP_KEY as never, ip as never);
  return ip;
}
