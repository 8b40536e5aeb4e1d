import { ConfigError } from "../common/errors.ts";
import { knownFields } from "../options/option-checks.ts";
import type { TracingHooks } from "./tracing.ts";

/** `metrics` as an object: where `/metrics` is served and whether it needs a bearer token. */
export interface MetricsOptions {
  /** Default `/metrics`. */
  path?: string;
  /** When set, a scrape must send `Authorization: Bearer <token>` (else 401). */
  token?: string;
}

/** Who may open the admin dashboard: HTTP Basic credentials, or a bearer token. */
export type AdminAuth = { username: string; password: string } | { token: string };

/** The admin dashboard (`admin` option). */
export interface AdminOptions {
  /** Default `/admin`. */
  path?: string;
  /** Required: the dashboard is never served without authentication. */
  auth: AdminAuth;
}

/** The observability options of `createServer`: metrics, the admin dashboard, tracing and probe paths. */
export interface ObservabilityOptions {
  /** Serve Prometheus metrics (`true`: at `/metrics`, unprotected); default off, and off counts nothing. */
  metrics?: boolean | MetricsOptions;
  /** Serve the admin dashboard; default off. */
  admin?: AdminOptions;
  /** Tracing hooks (`otelTracing()` from `sockeon-ts/otel`, or your own); default none. */
  tracing?: TracingHooks;
  /** A liveness probe path: `200 ok` while the process serves HTTP; default none. */
  livenessPath?: string;
  /** A readiness probe path: 200 when ready, 503 when shutting down or the backplane is down; default none. */
  readinessPath?: string;
}

/** {@link ObservabilityOptions} after defaults and checks. */
export interface ResolvedObservability {
  metrics: { path: string; token: string | null } | null;
  admin: { path: string; auth: AdminAuth } | null;
  tracing: TracingHooks | undefined;
  livenessPath: string | null;
  readinessPath: string | null;
}

/** Option names {@link resolveObservability} reads. */
export const OBSERVABILITY_OPTION_KEYS = ["metrics", "admin", "tracing", "livenessPath", "readinessPath"] as const;

function path(name: string, value: unknown, fallback: string | null): string | null {
  if (value === undefined) return fallback;
  if (typeof value !== "string" || !value.startsWith("/") || value.length < 2)
    throw new ConfigError(name, value, 'a path starting with "/" (not "/" alone)');
  return value;
}

function secret(name: string, value: unknown): string {
  if (typeof value !== "string" || value.length === 0) throw new ConfigError(name, value, "a non-empty string");
  return value;
}

/** Checks and defaults the observability options. @throws ConfigError naming the offending field */
export function resolveObservability(options: ObservabilityOptions): ResolvedObservability {
  let metrics: ResolvedObservability["metrics"] = null;
  const m = options.metrics;
  if (m === true) metrics = { path: "/metrics", token: null };
  else if (m !== undefined && m !== false) {
    const o = knownFields("metrics", m, ["path", "token"]);
    metrics = {
      path: path("metrics.path", o.path, "/metrics") as string,
      token: o.token === undefined ? null : secret("metrics.token", o.token),
    };
  }
  let admin: ResolvedObservability["admin"] = null;
  if (options.admin !== undefined) {
    const o = knownFields("admin", options.admin, ["path", "auth"]);
    const a = knownFields("admin.auth", o.auth, ["username", "password", "token"]);
    let auth: AdminAuth;
    if (a.token !== undefined && a.username === undefined && a.password === undefined)
      auth = { token: secret("admin.auth.token", a.token) };
    else if (a.token === undefined)
      auth = { username: secret("admin.auth.username", a.username), password: secret("admin.auth.password", a.password) };
    else throw new ConfigError("admin.auth", o.auth, "{ username, password } or { token }, not both");
    admin = { path: path("admin.path", o.path, "/admin") as string, auth };
  }
  const tracing = options.tracing;
  if (tracing !== undefined && (typeof tracing !== "object" || tracing === null))
    throw new ConfigError("tracing", tracing, "an object of tracing hooks (otelTracing() from sockeon-ts/otel)");
  for (const key of ["handshake", "handler", "broadcast"] as const)
    if (tracing?.[key] !== undefined && typeof tracing[key] !== "function")
      throw new ConfigError(`tracing.${key}`, tracing[key], "a function");
  return {
    metrics,
    admin,
    tracing,
    livenessPath: path("livenessPath", options.livenessPath, null),
    readinessPath: path("readinessPath", options.readinessPath, null),
  };
}
