/**
 * The frames of the wire protocol as JSON Schema, for the AsyncAPI document: the `{event, data, id?}` envelope,
 * the system events' payloads, the `error` frame and its fixed texts, and message objects.
 */
import type { JsonSchema } from "./json-schema.ts";

/** The fixed texts of `error` frames, as sent by the decoder, the dispatcher and the system events. */
export const ERROR_MESSAGES: readonly string[] = [
  "Empty message payload",
  "Message payload too large",
  "Invalid JSON format: Syntax error",
  "Invalid JSON format: Maximum stack depth exceeded",
  "Invalid JSON format: Malformed UTF-8 characters, possibly incorrectly encoded",
  "Message must be a JSON object",
  "Message validation failed: <reasons>",
  "Event '<event>' does not exist",
  "Validation failed",
  "Internal server error processing message",
  "Invalid room name",
  "Invalid namespace",
];

export const ID_SCHEMA: JsonSchema = { type: "integer", minimum: 0, maximum: Number.MAX_SAFE_INTEGER };
export const TIMESTAMP: JsonSchema = { type: "integer", description: "Unix time in whole seconds" };
export const ROOM_REQUEST: JsonSchema = {
  type: "object",
  required: ["room"],
  properties: {
    room: { type: "string", minLength: 1 },
    namespace: { type: "string", minLength: 1, default: "/" },
  },
};
export const ROOM_EVENT: JsonSchema = {
  type: "object",
  required: ["room", "namespace", "timestamp"],
  properties: { room: { type: "string" }, namespace: { type: "string" }, timestamp: TIMESTAMP },
};
export const ERROR_DATA: JsonSchema = {
  type: "object",
  required: ["message", "timestamp"],
  properties: {
    message: { type: "string", examples: [...ERROR_MESSAGES] },
    timestamp: TIMESTAMP,
    id: { ...ID_SCHEMA, description: "The `id` of the client frame this error answers" },
    event: { type: "string", description: "The event that failed validation" },
    errors: {
      type: "object",
      description: "Validation errors by dot path",
      additionalProperties: { type: "array", items: { type: "string" } },
    },
  },
};
export const RATE_LIMIT_DATA: JsonSchema = {
  type: "object",
  required: ["error", "message", "original_event", "retry_after", "limit", "window", "type"],
  properties: {
    error: { type: "string", const: "Rate limit exceeded" },
    message: { type: "string" },
    original_event: { type: "string" },
    retry_after: { type: "integer", description: "Seconds" },
    limit: { type: "integer" },
    window: { type: "integer", description: "Seconds" },
    type: { type: "string", enum: ["event-specific", "global"] },
    id: ID_SCHEMA,
  },
};

/** A whole frame `{event, data, id?}` as the payload of one message. */
export function frame(event: string, data: JsonSchema, withId: boolean): JsonSchema {
  const properties: Record<string, JsonSchema> = { event: { type: "string", const: event }, data };
  if (withId) properties.id = { ...ID_SCHEMA, description: "Asks for exactly one `ack` or `error` reply carrying this id" };
  return { type: "object", required: ["event", "data"], additionalProperties: false, properties };
}

export interface Message {
  name: string;
  title: string;
  summary?: string;
  contentType: "application/json";
  payload: JsonSchema;
}

export const message = (name: string, title: string, payload: JsonSchema, summary?: string): Message => ({
  name,
  title,
  ...(summary ? { summary } : {}),
  contentType: "application/json",
  payload,
});
