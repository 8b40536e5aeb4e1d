import { ConfigError } from "../common/errors.ts";
import { createIpMatcher, type TrustProxy } from "../common/ip.ts";
import { bool, stringList } from "./option-checks.ts";

/**
 * Sockeon's CorsConfig, camel-cased. `allowedOrigins` also gates the WebSocket handshake (as in Sockeon); the
 * HTTP side uses the rest.
 */
export interface CorsOptions {
  /** Origins allowed to connect and to call HTTP routes; `"*"` allows all. Default `["*"]`. */
  allowedOrigins?: readonly string[];
  /** Default `GET, POST, PUT, DELETE, OPTIONS, PATCH, HEAD`. */
  allowedMethods?: readonly string[];
  /** Default `Content-Type, X-Requested-With, Authorization`. */
  allowedHeaders?: readonly string[];
  /** Default false. */
  allowCredentials?: boolean;
  /** Seconds a preflight may be cached; default 86400. */
  maxAge?: number;
}

/** {@link CorsOptions} after defaults. */
export interface ResolvedCors {
  readonly allowedOrigins: readonly string[];
  readonly allowedMethods: readonly string[];
  readonly allowedHeaders: readonly string[];
  readonly allowCredentials: boolean;
  readonly maxAge: number;
}

/** Server options of the real-time side: handshake policy, client addresses and heartbeat. */
export interface RealtimeOptions {
  /** When set, clients must connect with `?key=<authKey>`, else `401 Invalid authentication key`. Default null. */
  authKey?: string | null;
  /** CORS, Sockeon-style; the WebSocket handshake checks `allowedOrigins` (`403 Origin not allowed`). */
  cors?: CorsOptions;
  /**
   * Peers whose `X-Forwarded-For`/`X-Real-IP` decide the client address: `false` (default, none), `true` (all:
   * only behind a proxy you control) or a list of addresses and CIDR ranges.
   */
  trustProxy?: TrustProxy;
  /**
   * Heartbeat: seconds after which a peer that stopped answering pings is closed and cleaned up; default 120,
   * 0 disables. Each runtime's own mechanism enforces it (Bun `idleTimeout` + `sendPings`, which rounds 1-7 up
   * to 8; Deno `upgradeWebSocket({ idleTimeout })`; `ws` ping/pong on Node). At most 960 (Bun's limit).
   */
  idleTimeout?: number;
}

/** {@link RealtimeOptions} after defaults and checks. */
export interface ResolvedRealtimeOptions {
  authKey: string | null;
  cors: ResolvedCors;
  trustProxy: TrustProxy;
  /** Whether a peer address is a trusted proxy, compiled from `trustProxy`. */
  isTrustedProxy: (ip: string | null | undefined) => boolean;
  idleTimeout: number;
}

/** The option names this module owns, for the unknown-option check. */
export const REALTIME_OPTION_KEYS: readonly string[] = ["authKey", "cors", "trustProxy", "idleTimeout"];

const CORS_KEYS = new Set(["allowedOrigins", "allowedMethods", "allowedHeaders", "allowCredentials", "maxAge"]);

const frozenList = (name: string, value: unknown, fallback: readonly string[]): readonly string[] =>
  Object.freeze(stringList(name, value, fallback));

function resolveCors(value: unknown): ResolvedCors {
  if (value !== undefined && (typeof value !== "object" || value === null || Array.isArray(value)))
    throw new ConfigError("cors", value, "an object such as { allowedOrigins: [...] }");
  const cors = (value ?? {}) as CorsOptions;
  for (const key of Object.keys(cors))
    if (!CORS_KEYS.has(key))
      throw new ConfigError(`cors.${key}`, (cors as Record<string, unknown>)[key], `one of ${[...CORS_KEYS].join(", ")}`);
  const allowCredentials = bool("cors.allowCredentials", cors.allowCredentials, false);
  const maxAge = cors.maxAge ?? 86400;
  if (typeof maxAge !== "number" || !Number.isSafeInteger(maxAge) || maxAge < 0)
    throw new ConfigError("cors.maxAge", maxAge, "a non-negative integer of seconds");
  return Object.freeze({
    allowedOrigins: frozenList("cors.allowedOrigins", cors.allowedOrigins, ["*"]),
    allowedMethods: frozenList("cors.allowedMethods", cors.allowedMethods, [
      "GET",
      "POST",
      "PUT",
      "DELETE",
      "OPTIONS",
      "PATCH",
      "HEAD",
    ]),
    allowedHeaders: frozenList("cors.allowedHeaders", cors.allowedHeaders, ["Content-Type", "X-Requested-With", "Authorization"]),
    allowCredentials,
    maxAge,
  });
}

function resolveTrustProxy(value: unknown): Pick<ResolvedRealtimeOptions, "trustProxy" | "isTrustedProxy"> {
  if (value === undefined || typeof value === "boolean") {
    const all = value === true;
    return { trustProxy: all, isTrustedProxy: () => all };
  }
  if (!Array.isArray(value)) throw new ConfigError("trustProxy", value, "true, false, or a list of IPs/CIDR ranges");
  try {
    return { trustProxy: Object.freeze([...value]), isTrustedProxy: createIpMatcher(value, "trustProxy") };
  } catch (cause) {
    throw new ConfigError("trustProxy", value, `a list of IPs/CIDR ranges (${(cause as Error).message})`);
  }
}

/**
 * Applies defaults to the real-time options and checks them.
 * @throws ConfigError naming the offending option and value
 * @example resolveRealtimeOptions({ authKey: "secret", cors: { allowedOrigins: ["https://app.example"] } })
 */
export function resolveRealtimeOptions(options: RealtimeOptions): ResolvedRealtimeOptions {
  const authKey = options.authKey ?? null;
  if (authKey !== null && (typeof authKey !== "string" || authKey.length === 0))
    throw new ConfigError("authKey", authKey, "a non-empty string or null");
  const idleTimeout = options.idleTimeout ?? 120;
  if (typeof idleTimeout !== "number" || !Number.isInteger(idleTimeout) || idleTimeout < 0 || idleTimeout > 960)
    throw new ConfigError("idleTimeout", idleTimeout, "an integer of seconds from 0 (off) to 960");
  return { authKey, cors: resolveCors(options.cors), ...resolveTrustProxy(options.trustProxy), idleTimeout };
}
