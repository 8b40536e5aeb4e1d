import { utf8Length } from "./protocol.ts";

/** A control character (C0, DEL, C1) or a lone surrogate. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Why a room, namespace or event name is refused, or undefined when it is fine: it must be a non-empty string of
 * at most `maxBytes` UTF-8 bytes with no control characters and no lone surrogates.
 * @param kind what the name names, for the message
 * @example nameProblem("room", "a\nb", 256) // "Invalid room name: control characters or lone surrogates are not allowed"
 */
export function nameProblem(kind: "room" | "namespace" | "event", name: unknown, maxBytes: number): string | undefined {
  if (typeof name !== "string" || name.length === 0) return `Invalid ${kind} name`;
  if (name.length > maxBytes || utf8Length(name) > maxBytes)
    return `Invalid ${kind} name: longer than ${maxBytes} bytes (maxNameLength)`;
  if (UNPRINTABLE.test(name)) return `Invalid ${kind} name: control characters or lone surrogates are not allowed`;
  return undefined;
}
