import { ConfigError } from "../common/errors.ts";
import { positiveInt } from "../options/option-checks.ts";
import { type HandshakeContext, type HandshakeStep, reject } from "./handshake.ts";

/** How long an accepted handshake holds its slot while the runtime upgrades the socket. */
const PENDING_TTL_MS = 10_000;

/** The caps, as resolved from the server options. */
export interface ConnectionCaps {
  /** Most connections at once on this server (open plus mid-upgrade). */
  maxConnections: number;
  /** Most connections at once from one client address; `null` for no cap. */
  maxConnectionsPerIp: number | null;
}

/**
 * Counts connections per server and per client address, and turns away upgrades over the caps at the handshake:
 * `503 Connection limit reached` over `maxConnections`, `429 Too many connections from this address` over
 * `maxConnectionsPerIp`. A slot is taken when the whole handshake is accepted (so a burst of concurrent
 * handshakes cannot overshoot the cap while sockets upgrade, and a handshake rejected by a later step holds
 * none) and given back when the client disconnects, or after 10 seconds when the runtime never opened the socket.
 * @example
 * const limits = new ConnectionLimits({ maxConnections: 10000, maxConnectionsPerIp: 50 });
 * const rejected = limits.admit(clientId, "203.0.113.7"); // a Response, or undefined and a slot taken
 */
export class ConnectionLimits {
  readonly #caps: ConnectionCaps;
  #total = 0;
  readonly #perIp = new Map<string, number>();
  /** Slots of accepted handshakes whose socket is not open yet, by client id. */
  readonly #pending = new Map<string, { ip: string | null; timer: ReturnType<typeof setTimeout> }>();
  /** Address of each open connection that holds a slot, by client id. */
  readonly #open = new Map<string, string | null>();

  constructor(caps: ConnectionCaps) {
    this.#caps = caps;
  }

  /** Connections counted now (open plus mid-upgrade). */
  get total(): number {
    return this.#total;
  }

  /** Connections counted now for one address. */
  countFor(ip: string | null): number {
    return ip === null ? 0 : (this.#perIp.get(ip) ?? 0);
  }

  /**
   * Why an upgrade from `ip` is turned away now, or undefined when it fits under both caps. A resume of a session
   * whose old socket is still open (half-open) replaces that socket: `clientId`'s slot is not counted against it.
   */
  verdict(ip: string | null, clientId?: string): Response | undefined {
    const replacing = clientId !== undefined && this.#open.has(clientId);
    const freed = replacing ? 1 : 0;
    if (this.#total - freed >= this.#caps.maxConnections) return reject(503, "Connection limit reached");
    const perIp = this.#caps.maxConnectionsPerIp;
    const freedHere = replacing && this.#open.get(clientId as string) === ip ? 1 : 0;
    if (perIp !== null && ip !== null && this.countFor(ip) - freedHere >= perIp) {
      return reject(429, "Too many connections from this address");
    }
    return undefined;
  }

  /** A first handshake step: turns away upgrades over a cap before any other (costlier) step runs. */
  readonly step: HandshakeStep = (ctx: HandshakeContext) => this.verdict(ctx.ip, ctx.clientId);

  /**
   * Called once every handshake step accepted: checks the caps again (other steps may have awaited meanwhile)
   * and takes a slot for `clientId`.
   * @returns the rejection when a cap was reached meanwhile
   */
  admit(clientId: string, ip: string | null): Response | undefined {
    const rejected = this.verdict(ip, clientId);
    if (rejected) return rejected;
    this.#take(ip);
    const timer = setTimeout(() => {
      if (this.#pending.delete(clientId)) this.#give(ip);
    }, PENDING_TTL_MS);
    // a pending slot must not keep a process alive that is otherwise done
    (timer as { unref?: () => void }).unref?.();
    this.#pending.set(clientId, { ip, timer });
    return undefined;
  }

  /** The socket of an accepted handshake is open: its slot now lasts until {@link ConnectionLimits.closed}. */
  opened(clientId: string, ip: string | null): void {
    const pending = this.#pending.get(clientId);
    if (pending) {
      clearTimeout(pending.timer);
      this.#pending.delete(clientId);
      this.#open.set(clientId, pending.ip);
    } else if (!this.#open.has(clientId)) {
      // opened after its pending slot expired: count it again so the release below stays balanced
      this.#take(ip);
      this.#open.set(clientId, ip);
    }
  }

  /** The runtime never opened the socket of an accepted handshake: give its pending slot back now. */
  abandoned(clientId: string): void {
    const pending = this.#pending.get(clientId);
    if (!pending) return;
    clearTimeout(pending.timer);
    this.#pending.delete(clientId);
    this.#give(pending.ip);
  }

  /** The client is gone: give its slot back. */
  closed(clientId: string): void {
    if (!this.#open.has(clientId)) return;
    const ip = this.#open.get(clientId) ?? null;
    this.#open.delete(clientId);
    this.#give(ip);
  }

  #take(ip: string | null): void {
    this.#total++;
    if (ip !== null) this.#perIp.set(ip, (this.#perIp.get(ip) ?? 0) + 1);
  }

  #give(ip: string | null): void {
    this.#total--;
    if (ip === null) return;
    const left = (this.#perIp.get(ip) ?? 1) - 1;
    if (left <= 0) this.#perIp.delete(ip);
    else this.#perIp.set(ip, left);
  }
}

/** The server options this module reads; see {@link ServerOptions}. */
export interface ConnectionLimitOptions {
  /** Most WebSocket connections at once; default 10000. Over it upgrades get `503 Connection limit reached`. */
  maxConnections?: number;
  /** Most connections at once from one client address; default `null` (no cap). Over it upgrades get 429. */
  maxConnectionsPerIp?: number | null;
}

/** {@link ConnectionLimitOptions} after defaults and checks. */
export interface ResolvedConnectionLimits extends ConnectionCaps {}

/** Sockeon's connection caps under `rateLimit` (RateLimitConfig), as resolved with the HTTP options. */
export interface RateLimitCaps {
  readonly enabled: boolean;
  readonly maxConnectionsPerIp: number;
  readonly maxGlobalConnections: number;
}

/**
 * Applies defaults (`maxConnections` 10000, no per-address cap) and checks the values; `trustProxy` is resolved
 * with the real-time options. With `rateLimit.enabled`, Sockeon's `rateLimit.maxGlobalConnections` and
 * `rateLimit.maxConnectionsPerIp` are enforced too, as aliases: the lower of each pair wins.
 * @throws ConfigError naming the offending option and value
 */
export function resolveConnectionLimits(
  options: ConnectionLimitOptions,
  rateLimit: RateLimitCaps | null = null,
): ResolvedConnectionLimits {
  let maxConnections = positiveInt("maxConnections", options.maxConnections, 10_000);
  let { maxConnectionsPerIp = null } = options;
  if (
    maxConnectionsPerIp !== null &&
    (typeof maxConnectionsPerIp !== "number" || !Number.isSafeInteger(maxConnectionsPerIp) || maxConnectionsPerIp <= 0)
  )
    throw new ConfigError("maxConnectionsPerIp", maxConnectionsPerIp, "a positive integer or null");
  if (rateLimit?.enabled) {
    maxConnections = Math.min(maxConnections, rateLimit.maxGlobalConnections);
    maxConnectionsPerIp = Math.min(maxConnectionsPerIp ?? Number.POSITIVE_INFINITY, rateLimit.maxConnectionsPerIp);
  }
  return { maxConnections, maxConnectionsPerIp };
}
