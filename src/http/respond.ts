import type { Context } from "hono";

/** Sockeon's body for a 500: the error itself is logged, never sent. */
export const HTTP_ERROR_TEXT = "An error occurred while processing your request.";

/**
 * Maps a handler's return value to a response as Sockeon does: a `Response` as is, null/undefined as 404
 * `{"error":"Not Found"}`, a string or other scalar as text, anything else as JSON.
 * @throws whatever `JSON.stringify` throws for a value it cannot serialise (the caller turns it into a 500)
 */
export function toResponse(c: Context, value: unknown): Response {
  if (value instanceof Response) return value;
  if (value === null || value === undefined) return c.json({ error: "Not Found" }, 404);
  if (typeof value === "string") return c.text(value);
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return c.text(String(value));
  return c.json(value as object);
}

/** The 500 answer for a failed handler or middleware. */
export function errorResponse(): Response {
  return new Response(HTTP_ERROR_TEXT, { status: 500, headers: { "content-type": "text/plain; charset=utf-8" } });
}
