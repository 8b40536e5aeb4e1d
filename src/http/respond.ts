import type { Context } from "hono";

/** Sockeon's body for a 500: the error itself is logged, never sent. */
export const HTTP_ERROR_TEXT = "An error occurred while processing your request.";

/**
 * Whether a value is a Response. Checked by tag as well as `instanceof`: on Node, `@hono/node-server` swaps the
 * global Response for a lighter class, and `Response.json()` still returns the native one.
 */
export function isResponse(value: unknown): value is Response {
  return value instanceof Response || Object.prototype.toString.call(value) === "[object Response]";
}

/**
 * Maps a handler's return value to a response as Sockeon does: a `Response` as is, null/undefined as 404
 * `{"error":"Not Found"}`, a string or other scalar as text, anything else as JSON.
 * @throws whatever `JSON.stringify` throws for a value it cannot serialise (the caller turns it into a 500)
 */
export function toResponse(c: Context, value: unknown): Response {
  if (isResponse(value)) return value;
  if (value === null || value === undefined) return c.json({ error: "Not Found" }, 404);
  if (typeof value === "string") return c.text(value, 200);
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return c.text(String(value), 200);
  return c.json(value as object);
}

/** The 500 answer for a failed handler or middleware. */
export function errorResponse(): Response {
  return new Response(HTTP_ERROR_TEXT, { status: 500, headers: { "content-type": "text/plain; charset=utf-8" } });
}
