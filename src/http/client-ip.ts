import type { Context } from "hono";
import { createIpMatcher, resolveClientIp, type TrustProxy } from "../common/ip.ts";
import type { PeerInfo } from "../engine/connection.ts";

/**
 * Key under which `server.fetch(request, peer)` passes the peer in Hono's `env`, and the Hono middleware sets it
 * on the context. A string, not a symbol: it must work across two copies of hono in one app.
 */
export const PEER_KEY = "sockeon-ts.peer";
const IP_KEY = "sockeon-ts.ip";

/** Hono's per-request variables, keyed by plain strings (this module's keys are not in the app's typed Variables). */
type Vars = { get(key: string): unknown; set(key: string, value: unknown): void };
const vars = (c: Context): Vars => c as unknown as Vars;

/** Records the peer of a request on a Hono context, for `server.app`'s routes mounted in the same app. */
export function setPeer(c: Context, peer: PeerInfo): void {
  vars(c).set(PEER_KEY, peer);
}

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
  return fromEnv ?? (vars(c).get(PEER_KEY) as PeerInfo | undefined);
}

/**
 * The client's address for an HTTP request: the socket peer, or a forwarded address when the peer is a trusted
 * proxy (`trustProxy`), so clients cannot spoof it. `null` when the adapter gave no peer.
 * @example const ip = requestIp(c);
 */
export function requestIp(c: Context): string | null {
  const cached = vars(c).get(IP_KEY) as string | null | undefined;
  return cached === undefined ? null : cached;
}

/** @internal Computes and caches the request's client address (the server's first HTTP step). */
export function assignRequestIp(c: Context, trust: ReturnType<typeof trustMatcher>): string | null {
  const ip = resolveClientIp(peerOf(c)?.remoteAddress, c.req.raw.headers, trust);
  vars(c).set(IP_KEY, ip);
  return ip;
}
