import * as v from "valibot";
import { describe } from "../common/errors.ts";

/** Any valibot schema, sync or async. */
export type AnySchema =
  | v.BaseSchema<unknown, unknown, v.BaseIssue<unknown>>
  | v.BaseSchemaAsync<unknown, unknown, v.BaseIssue<unknown>>;

/** What a schema produces after validation (and transforms). */
export type Output<S extends AnySchema> = v.InferOutput<S>;

/** Errors keyed by dot path (`"address.city"`, `"tags.0"`; `""` for the payload itself), Sockeon's `{field: [msg]}`. */
export type ValidationErrors = Record<string, string[]>;

/** Sockeon's message for a failed validation, on the WebSocket `error` frame and the HTTP 422 body. */
export const VALIDATION_FAILED = "Validation failed";

/** Sockeon's error payload `{message, timestamp, ...extra}`, as an object (the HTTP 422 body). */
export function encodeFrameData(message: string, extra: Record<string, unknown>): Record<string, unknown> {
  return { message, timestamp: Math.floor(Date.now() / 1000), ...extra };
}

/** The outcome of {@link validate}. */
export type ValidationResult<T> = { ok: true; value: T } | { ok: false; errors: ValidationErrors };

/** Whether a value is a valibot schema. */
export function isSchema(value: unknown): value is AnySchema {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as { kind?: unknown }).kind === "schema" &&
    typeof (value as { "~run"?: unknown })["~run"] === "function"
  );
}

/**
 * Checks that an option holds a valibot schema.
 * @throws TypeError naming the option and the offending value
 */
export function assertSchema(where: string, value: unknown): asserts value is AnySchema {
  if (!isSchema(value)) throw new TypeError(`${where}: expected a valibot schema, got ${describe(value)}`);
}

/**
 * Turns valibot issues into Sockeon's `{ "dot.path": [messages] }`, every issue kept in order.
 * @param issues the issues of a failed parse
 */
export function toErrors(issues: readonly v.BaseIssue<unknown>[]): ValidationErrors {
  const errors: ValidationErrors = Object.create(null);
  for (const issue of issues) {
    const path = v.getDotPath(issue) ?? "";
    (errors[path] ??= []).push(issue.message);
  }
  return errors;
}

/**
 * Validates a value against a schema (sync or async) without throwing.
 * @example const r = await validate(v.object({ name: v.string() }), data); if (!r.ok) console.log(r.errors);
 */
export async function validate<S extends AnySchema>(schema: S, value: unknown): Promise<ValidationResult<Output<S>>> {
  const result = await v.safeParseAsync(schema, value);
  return result.success ? { ok: true, value: result.output as Output<S> } : { ok: false, errors: toErrors(result.issues) };
}
