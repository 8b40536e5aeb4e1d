import { ConfigError } from "../common/errors.ts";
import { createIpMatcher } from "../common/ip.ts";
import type { RateLimitStore } from "../rate-limit/store.ts";
import { integer, knownFields, stringList } from "./option-checks.ts";

/** Sockeon's RateLimitConfig defaults. */
export const RATE_LIMIT_DEFAULTS = Object.freeze({
  enabled: false,
  maxHttpRequestsPerIp: 1000,
  httpTimeWindow: 60,
  maxWebSocketMessagesPerClient: 2000,
  webSocketTimeWindow: 60,
  burstAllowance: 100,
  whitelist: [] as string[],
  maxConnectionsPerIp: 500,
  maxGlobalConnections: 50000,
  connectionTimeWindow: 60,
  cleanupInterval: 300,
});

/**
 * Sockeon's `rate_limit` option (RateLimitConfig). Windows are in seconds. A limit trips when the hits inside the
 * window reach `max + burstAllowance`. HTTP is counted per client IP, WebSocket messages per client.
 */
export interface RateLimitOptions {
  /** Turns the global HTTP and message limits on; default false (per-handler `@RateLimit` works regardless). */
  enabled?: boolean;
  /** Requests per IP per `httpTimeWindow`; default 1000. */
  maxHttpRequestsPerIp?: number;
  /** Seconds; default 60. */
  httpTimeWindow?: number;
  /** Messages per client per `webSocketTimeWindow`; default 2000. */
  maxWebSocketMessagesPerClient?: number;
  /** Seconds; default 60. */
  webSocketTimeWindow?: number;
  /** Extra hits allowed above the limit; default 100. */
  burstAllowance?: number;
  /** IPs and CIDR ranges (IPv4 and IPv6) that are never limited; default none. */
  whitelist?: string[];
  /** Concurrent connections per IP when `enabled` (with the top-level `maxConnectionsPerIp`: the lower wins); default 500. */
  maxConnectionsPerIp?: number;
  /** Concurrent connections in total when `enabled` (with the top-level `maxConnections`: the lower wins); default 50000. */
  maxGlobalConnections?: number;
  /** Accepted for Sockeon compatibility; unused there too. */
  connectionTimeWindow?: number;
  /** Accepted for Sockeon compatibility; our stores sweep old windows by themselves. */
  cleanupInterval?: number;
  /** Where hits are counted; default an in-memory store. Pass a shared store to limit across nodes. */
  store?: RateLimitStore;
}

/** The HTTP-side options of `createServer`. */
export interface HttpOptions {
  /** A path answering `GET`/`HEAD` with Sockeon's health document; default none. */
  healthCheckPath?: string;
  /** Sockeon's rate limits for HTTP requests and WebSocket messages; default off. */
  rateLimit?: RateLimitOptions;
}

/** {@link HttpOptions} after defaults and checks. */
export interface ResolvedHttpOptions {
  healthCheckPath: string | null;
  /** Null when no `rateLimit` option was given. */
  rateLimit: (Required<Omit<RateLimitOptions, "store">> & { store?: RateLimitStore }) | null;
}

/**
 * Checks and defaults the HTTP-side options (`healthCheckPath`, `rateLimit`); `cors` and `trustProxy` are resolved with the real-time options.
 * @throws ConfigError naming the offending field
 */
export function resolveHttpOptions(options: HttpOptions): ResolvedHttpOptions {
  const path = options.healthCheckPath;
  if (path !== undefined && (typeof path !== "string" || !path.startsWith("/")))
    throw new ConfigError("healthCheckPath", path, 'a path starting with "/"');

  let rateLimit: ResolvedHttpOptions["rateLimit"] = null;
  if (options.rateLimit !== undefined) {
    const r = knownFields("rateLimit", options.rateLimit, [...Object.keys(RATE_LIMIT_DEFAULTS), "store"]);
    if (r.enabled !== undefined && typeof r.enabled !== "boolean")
      throw new ConfigError("rateLimit.enabled", r.enabled, "true or false");
    const store = r.store as { hit?: unknown } | undefined;
    if (store !== undefined && (typeof store !== "object" || store === null || typeof store.hit !== "function"))
      throw new ConfigError("rateLimit.store", store, "an object with a hit(key, windowMs, now, limit) method");
    const whitelist = stringList("rateLimit.whitelist", r.whitelist, []);
    try {
      createIpMatcher(whitelist, "rateLimit.whitelist");
    } catch (error) {
      throw new ConfigError("rateLimit.whitelist", whitelist, `IPs/CIDR ranges (${(error as Error).message})`);
    }
    const d = RATE_LIMIT_DEFAULTS;
    rateLimit = {
      enabled: (r.enabled as boolean | undefined) ?? d.enabled,
      maxHttpRequestsPerIp: integer("rateLimit.maxHttpRequestsPerIp", r.maxHttpRequestsPerIp, d.maxHttpRequestsPerIp, 1),
      httpTimeWindow: integer("rateLimit.httpTimeWindow", r.httpTimeWindow, d.httpTimeWindow, 1),
      maxWebSocketMessagesPerClient: integer(
        "rateLimit.maxWebSocketMessagesPerClient",
        r.maxWebSocketMessagesPerClient,
        d.maxWebSocketMessagesPerClient,
        1,
      ),
      webSocketTimeWindow: integer("rateLimit.webSocketTimeWindow", r.webSocketTimeWindow, d.webSocketTimeWindow, 1),
      burstAllowance: integer("rateLimit.burstAllowance", r.burstAllowance, d.burstAllowance),
      whitelist,
      maxConnectionsPerIp: integer("rateLimit.maxConnectionsPerIp", r.maxConnectionsPerIp, d.maxConnectionsPerIp, 1),
      maxGlobalConnections: integer("rateLimit.maxGlobalConnections", r.maxGlobalConnections, d.maxGlobalConnections, 1),
      connectionTimeWindow: integer("rateLimit.connectionTimeWindow", r.connectionTimeWindow, d.connectionTimeWindow, 1),
      cleanupInterval: integer("rateLimit.cleanupInterval", r.cleanupInterval, d.cleanupInterval, 1),
    };
    if (store) rateLimit.store = store as NonNullable<typeof rateLimit.store>;
  }
  return { healthCheckPath: path ?? null, rateLimit };
}
