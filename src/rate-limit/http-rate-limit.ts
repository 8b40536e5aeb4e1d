import type { Limited } from "./limiter.ts";

/**
 * Sockeon's 429 answer: JSON `{error, message, retry_after, limit, window[, type]}` with `X-RateLimit-Limit`,
 * `X-RateLimit-Remaining: 0`, `X-RateLimit-Reset` (Unix seconds) and `Retry-After` (seconds until a slot frees,
 * at least 1); route limits add `X-RateLimit-Type: route-specific`.
 */
export function tooManyRequests(limited: Limited, now = Date.now()): Response {
  const route = limited.scope === "rule";
  const body: Record<string, unknown> = {
    error: "Rate limit exceeded",
    message: route
      ? "You have exceeded the rate limit for this route. Please try again later."
      : "You have exceeded the HTTP request rate limit. Please try again later.",
    retry_after: limited.window,
    limit: limited.limit,
    window: limited.window,
  };
  if (route) body.type = "route-specific";
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "x-ratelimit-limit": String(limited.limit),
    "x-ratelimit-remaining": "0",
    "x-ratelimit-reset": String(Math.ceil(limited.resetAt / 1000)),
    "retry-after": String(Math.max(1, Math.ceil((limited.resetAt - now) / 1000))),
  };
  if (route) headers["x-ratelimit-type"] = "route-specific";
  return new Response(JSON.stringify(body), { status: 429, headers });
}
