import type { Context } from "hono";

/** Compares two strings in time independent of where they differ (a token check must not leak a prefix). */
export function sameSecret(given: string, expected: string): boolean {
  let diff = given.length ^ expected.length;
  for (let i = 0; i < expected.length; i++)
    diff |= (given.charCodeAt(i % Math.max(1, given.length)) || 0) ^ expected.charCodeAt(i);
  return diff === 0;
}

/** The bearer token of a request, or null. */
export function bearer(c: Context): string | null {
  const header = c.req.header("authorization") ?? "";
  return header.startsWith("Bearer ") ? header.slice(7) : null;
}
