/**
 * Payload schemas as JSON Schema (draft-07, the base of AsyncAPI 3.0's schema format and valid in OpenAPI 3.1):
 * valibot through `@valibot/to-json-schema`, other Standard Schema libraries through their own
 * `~standard.jsonSchema` converter when they have one.
 */
import { toJsonSchema } from "@valibot/to-json-schema";
import type * as v from "valibot";
import { isSchema } from "../validation/schema.ts";

/** A JSON Schema object (draft-07). */
export type JsonSchema = { [keyword: string]: unknown };

/** What a frame's `data` may be when nothing narrows it: Sockeon accepts a JSON object or array. */
export const OPEN_DATA: JsonSchema = Object.freeze({ type: ["object", "array"] }) as JsonSchema;

interface StandardJsonSchema {
  "~standard": { jsonSchema?: { input?: (options: { target: string }) => unknown } };
}

function strip(schema: JsonSchema): JsonSchema {
  const { $schema: _ignored, ...rest } = schema;
  return rest;
}

/**
 * Converts a payload schema to JSON Schema, describing what travels on the wire (the schema's input side).
 * Parts JSON Schema cannot express (transforms, custom checks such as Sockeon `rules()`) are left out, so the
 * result may be wider than the schema, never narrower.
 * @param schema a valibot schema, a Standard Schema with a JSON Schema converter, or anything else
 * @returns the JSON Schema, or undefined when `schema` is not a schema (e.g. a `type<T>()` marker)
 * @example toSchema(v.object({ room: v.string() })) // { type: "object", properties: { room: { type: "string" } }, ... }
 */
export function toSchema(schema: unknown): JsonSchema | undefined {
  if (isSchema(schema)) {
    const converted = toJsonSchema(schema as v.GenericSchema, { target: "draft-07", typeMode: "input", errorMode: "ignore" });
    return strip(converted as JsonSchema);
  }
  const converter = (schema as StandardJsonSchema | null | undefined)?.["~standard"]?.jsonSchema?.input;
  if (typeof converter === "function") {
    const converted = converter({ target: "draft-07" });
    if (typeof converted === "object" && converted !== null) return strip(converted as JsonSchema);
  }
  return undefined;
}
