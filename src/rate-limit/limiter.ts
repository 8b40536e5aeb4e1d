import { createIpMatcher } from "../common/ip.ts";
import type { ResolvedOptions } from "../options/options.ts";
import type { RateLimitRule } from "./decorator.ts";
import { MemoryStore } from "./memory-store.ts";
import type { RateLimitStore } from "./store.ts";

/** Which limit tripped. */
export type LimitScope = "rule" | "global";

/** A tripped limit: what the client is told. */
export interface Limited {
  readonly scope: LimitScope;
  /** The configured maximum (without burst), as Sockeon reports it. */
  readonly limit: number;
  /** Window in seconds. */
  readonly window: number;
  /** Unix ms when a slot frees up. */
  readonly resetAt: number;
}

/** What one check needs: the global numbers of one side (HTTP or WebSocket). */
interface Side {
  readonly max: number;
  readonly window: number;
}

/**
 * Sockeon's rate-limit algorithm over a swappable store: the per-handler rule first (unless the IP is on its
 * whitelist), then the global limit unless the rule bypasses it or the IP is globally whitelisted. A hit over
 * `max + burstAllowance` inside the window is refused and not recorded.
 */
export class Limiter {
  readonly store: RateLimitStore;
  readonly #enabled: boolean;
  readonly #burst: number;
  readonly #whitelisted: (ip: string | null | undefined) => boolean;
  readonly #http: Side;
  readonly #ws: Side;

  constructor(options: ResolvedOptions["rateLimit"]) {
    this.store = options?.store ?? new MemoryStore();
    this.#enabled = options?.enabled ?? false;
    this.#burst = options?.burstAllowance ?? 0;
    this.#whitelisted = createIpMatcher(options?.whitelist ?? [], "rateLimit.whitelist");
    this.#http = { max: options?.maxHttpRequestsPerIp ?? 0, window: options?.httpTimeWindow ?? 60 };
    this.#ws = { max: options?.maxWebSocketMessagesPerClient ?? 0, window: options?.webSocketTimeWindow ?? 60 };
  }

  /** Whether a route or event needs checking at all (so unlimited handlers keep the fast path). */
  applies(rule: RateLimitRule | undefined): boolean {
    return this.#enabled || rule !== undefined;
  }

  /**
   * Counts one hit.
   * @param side `"http"` (keyed by IP) or `"ws"` (keyed by client)
   * @param who the client id or IP the limit is keyed by
   * @param ip the client's address, for whitelists
   * @param name the event or route, for per-rule keys
   * @returns the tripped limit, or undefined when the hit passes
   */
  async check(
    side: "http" | "ws",
    who: string,
    ip: string | null,
    name: string,
    rule: RateLimitRule | undefined,
  ): Promise<Limited | undefined> {
    const now = Date.now();
    if (rule && !rule.isWhitelisted(ip)) {
      const windowMs = rule.timeWindow * 1000;
      const hit = await this.store.hit(`${side}:${name}:${who}`, windowMs, now, rule.maxCount + rule.burstAllowance);
      if (!hit.allowed) return { scope: "rule", limit: rule.maxCount, window: rule.timeWindow, resetAt: hit.resetAt };
    }
    if (!this.#enabled || rule?.bypassGlobal || this.#whitelisted(ip)) return undefined;
    const g = side === "http" ? this.#http : this.#ws;
    const hit = await this.store.hit(`${side}:${who}`, g.window * 1000, now, g.max + this.#burst);
    return hit.allowed ? undefined : { scope: "global", limit: g.max, window: g.window, resetAt: hit.resetAt };
  }
}
