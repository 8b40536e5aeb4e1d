import { describe } from "../common/errors.ts";
import type { ResolvedRealtimeOptions } from "../options/realtime-options.ts";
import { type HandshakeContext, type HandshakeStep, reject } from "./handshake.ts";

/** A custom rejection a handshake middleware may return (Sockeon's `{status, statusText, headers, body}`). */
export interface HandshakeRejection {
  /** HTTP status, 400-599; default 403. */
  status?: number;
  statusText?: string;
  headers?: Record<string, string>;
  /** A string is sent as text; anything else as JSON. Default `Access denied`. */
  body?: unknown;
}

/**
 * What a handshake middleware returns: `true`, nothing, or `next()`'s result to continue; `false` to reject with
 * `403 Access denied`; a `Response` or a {@link HandshakeRejection} to reject with it.
 */
export type HandshakeVerdict = boolean | Response | HandshakeRejection | undefined | void;

/**
 * Handshake middleware (Sockeon's `HandshakeMiddleware`), run after the built-in origin and auth-key checks and
 * before any client exists. Store data for the new client in `ctx.data`. Calling `next()` is optional: it runs
 * the rest of the chain and resolves with its rejection, if any.
 * @example
 * ```ts
 * server.addHandshakeMiddleware(async (ctx) => {
 *   const user = await verify(ctx.url.searchParams.get("token"));
 *   if (!user) return { status: 401, body: { error: "bad token" } };
 *   ctx.data.userId = user.id;
 * });
 * ```
 */
export type HandshakeMiddleware = (
  ctx: HandshakeContext,
  next: () => Promise<Response | undefined>,
) => HandshakeVerdict | Promise<HandshakeVerdict>;

/** Compares two strings in time that depends only on their lengths, so a wrong key leaks no prefix. */
export function constantTimeEqual(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  let diff = x.length ^ y.length;
  const length = Math.max(x.length, y.length);
  for (let i = 0; i < length; i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}

/** Sockeon's origin check: a present `Origin` header must be listed, unless the list holds `*`. */
export function originStep(allowedOrigins: readonly string[]): HandshakeStep {
  const any = allowedOrigins.includes("*");
  const allowed = new Set(allowedOrigins);
  return (ctx) => {
    if (any) return undefined;
    const origin = ctx.request.headers.get("origin");
    if (origin !== null && !allowed.has(origin)) return reject(403, "Origin not allowed");
    return undefined;
  };
}

/** Sockeon's auth key: `?key=` must equal the configured key. */
export function authKeyStep(authKey: string): HandshakeStep {
  return (ctx) => {
    const key = ctx.url.searchParams.get("key");
    if (key === null || !constantTimeEqual(key, authKey)) return reject(401, "Invalid authentication key");
    return undefined;
  };
}

function toResponse(verdict: HandshakeRejection): Response {
  const status = verdict.status ?? 403;
  if (!Number.isInteger(status) || status < 400 || status > 599)
    throw new TypeError(`handshake middleware: rejection status must be 400-599, got ${describe(status)}`);
  const headers = new Headers(verdict.headers ?? {});
  const body = verdict.body ?? "Access denied";
  let text: string;
  if (typeof body === "string") {
    text = body;
    if (!headers.has("content-type")) headers.set("content-type", "text/plain; charset=utf-8");
  } else {
    text = JSON.stringify(body);
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
  }
  return new Response(text, { status, statusText: verdict.statusText, headers });
}

function isRejection(value: unknown): value is HandshakeRejection {
  return typeof value === "object" && value !== null && ("status" in value || "body" in value || "headers" in value);
}

/** Runs user handshake middleware in order as one step; see {@link HandshakeMiddleware} for the verdicts. */
export function middlewareStep(middlewares: readonly HandshakeMiddleware[]): HandshakeStep {
  return (ctx) => {
    const run = async (index: number): Promise<Response | undefined> => {
      const middleware = middlewares[index];
      if (!middleware) return undefined;
      let nextResult: Promise<Response | undefined> | undefined;
      const verdict = await middleware(ctx, () => (nextResult ??= run(index + 1)));
      if (verdict === false) return reject(403, "Access denied");
      if (verdict instanceof Response) return verdict;
      if (isRejection(verdict)) return toResponse(verdict);
      if (verdict !== undefined && verdict !== true)
        throw new TypeError(
          `handshake middleware ${middleware.name || "(anonymous)"} returned ${describe(verdict)}; ` +
            "expected true/undefined, false, a Response or { status, headers, body }",
        );
      return await (nextResult ?? run(index + 1));
    };
    return run(0);
  };
}

/**
 * The built-in handshake policy, identical on every runtime: origin (`403 Origin not allowed`), then auth key
 * (`401 Invalid authentication key`), Sockeon's order; then the user's handshake middleware, so user code never
 * sees a request the configuration already refuses.
 * @param options the resolved options
 * @param middlewares the server's live handshake middleware list (later additions apply)
 */
export function handshakePolicy(
  options: Pick<ResolvedRealtimeOptions, "authKey" | "cors">,
  middlewares: readonly HandshakeMiddleware[],
): HandshakeStep[] {
  const steps: HandshakeStep[] = [originStep(options.cors.allowedOrigins)];
  if (options.authKey !== null) steps.push(authKeyStep(options.authKey));
  steps.push(middlewareStep(middlewares));
  return steps;
}
