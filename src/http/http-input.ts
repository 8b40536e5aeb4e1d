import type { Context } from "hono";
import { encodeFrameData, VALIDATION_FAILED, type ValidationErrors, validate } from "../validation/schema.ts";
import type { HttpInput, HttpRouteOptions } from "./route-decorator.ts";

/** The request body as Sockeon's `Request::getBody` reads it: JSON, form fields (urlencoded or multipart), or text. */
export async function readBody(c: Context): Promise<{ ok: true; value: unknown } | { ok: false }> {
  const type = c.req.header("content-type") ?? "";
  if (type.includes("multipart/form-data")) {
    try {
      return { ok: true, value: { ...(await c.req.parseBody()) } };
    } catch {
      return { ok: false };
    }
  }
  const text = await c.req.text();
  if (text === "") return { ok: true, value: undefined };
  if (type.includes("application/json")) {
    try {
      return { ok: true, value: JSON.parse(text) };
    } catch {
      return { ok: false };
    }
  }
  if (type.includes("application/x-www-form-urlencoded"))
    return { ok: true, value: Object.fromEntries(new URLSearchParams(text)) };
  return { ok: true, value: text };
}

/**
 * Reads and validates a route's input (`body` stays undefined without a body schema). Resolves with the input, or a 400 (unparseable JSON) / 422 (schema)
 * response in Sockeon's validation shape.
 */
export async function routeInput(c: Context, options: HttpRouteOptions, routeName: string): Promise<HttpInput | Response> {
  // the body is read only for a body schema, so routes without one can stream or parse it themselves
  const body = options.body ? await readBody(c) : { ok: true as const, value: undefined };
  if (!body.ok) return c.json({ error: "Invalid request body" }, 400);
  const input: Record<"body" | "query" | "params", unknown> = {
    body: body.value,
    query: c.req.query(),
    params: c.req.param(),
  };
  let errors: ValidationErrors | undefined;
  for (const key of ["params", "query", "body"] as const) {
    const schema = options[key];
    if (!schema) continue;
    const result = await validate(schema, input[key]);
    if (result.ok) input[key] = result.value;
    else {
      errors ??= Object.create(null) as ValidationErrors;
      for (const [path, messages] of Object.entries(result.errors)) errors[path ? `${key}.${path}` : key] = messages;
    }
  }
  if (errors) return c.json(encodeFrameData(VALIDATION_FAILED, { errors, event: routeName }), 422);
  return input as HttpInput;
}
