import type { IncomingData } from "../engine/connection.ts";

/** Sockeon's event-name pattern: letters, digits, dots, underscores and hyphens. */
export const EVENT_NAME_PATTERN: RegExp = /^[a-zA-Z0-9._-]+$/;

/** Payload of a frame: a JSON object or array, as Sockeon's PHP arrays cover both. */
export type FrameData = Record<string, unknown> | unknown[];

/** A client frame that passed every structural check. */
export interface DecodedFrame {
  event: string;
  data: FrameData;
  /** Acknowledgement id, present only when the client sent one and acks are on. */
  id?: number;
}

/** A client frame that failed a check: the Sockeon error text, and the ack id when one could be read. */
export interface RejectedFrame {
  error: string;
  id?: number;
  /** True when the payload exceeded `maxMessageSize`; the server then closes with 1009. */
  tooLarge?: true;
}

/** Limits and switches that shape decoding. */
export interface DecodeOptions {
  maxMessageSize: number;
  maxJsonDepth: number;
  acks: boolean;
  /** Longest event name in bytes (event names are ASCII); default 256. */
  maxNameLength?: number;
}

/** Sockeon's error texts, fixed strings on every runtime. */
export const ERRORS = {
  empty: "Empty message payload",
  tooLarge: "Message payload too large",
  syntax: "Invalid JSON format: Syntax error",
  depth: "Invalid JSON format: Maximum stack depth exceeded",
  utf8: "Invalid JSON format: Malformed UTF-8 characters, possibly incorrectly encoded",
  notObject: "Message must be a JSON object",
  internal: "Internal server error processing message",
} as const;

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const hasOwn = Object.prototype.hasOwnProperty;

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/**
 * Byte length of a string in UTF-8, as PHP's `strlen` counts it (and as `TextEncoder` encodes it: a lone
 * surrogate becomes U+FFFD, 3 bytes).
 * @param text the string to measure
 */
export function utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) bytes += 1;
    else if (c >= 0xd800 && c <= 0xdbff && isLowSurrogate(text.charCodeAt(i + 1))) {
      // a surrogate pair is 2 UTF-16 units and 4 UTF-8 bytes
      bytes += 2;
      i++;
    } else bytes += 2; // BMP character, or a lone surrogate (encoded as U+FFFD, 3 bytes)
  }
  return bytes;
}

/**
 * Deepest nesting of arrays and objects in a JSON text, stopping as soon as it passes `limit`.
 * Scanning first keeps a hostile document from reaching the runtime's recursive parser.
 */
function exceedsDepth(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

function isFrameData(value: unknown): value is FrameData {
  return typeof value === "object" && value !== null;
}

/**
 * Decodes and checks one client frame with Sockeon's checks, in Sockeon's order.
 * @param raw the frame as the runtime delivered it
 * @param options size and depth limits, and whether the `id` ack field is allowed
 * @returns the frame, or the error text to send back
 */
export function decodeFrame(raw: IncomingData, options: DecodeOptions): DecodedFrame | RejectedFrame {
  let text: string;
  if (typeof raw === "string") {
    if (raw.length === 0) return { error: ERRORS.empty };
    // a string of n UTF-16 units is at least n and at most 3n UTF-8 bytes: skip counting when that settles it
    if (raw.length > options.maxMessageSize) return { error: ERRORS.tooLarge, tooLarge: true };
    if (raw.length * 3 > options.maxMessageSize && utf8Length(raw) > options.maxMessageSize) {
      return { error: ERRORS.tooLarge, tooLarge: true };
    }
    text = raw;
  } else {
    const bytes = raw instanceof ArrayBuffer ? new Uint8Array(raw) : new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
    if (bytes.byteLength === 0) return { error: ERRORS.empty };
    if (bytes.byteLength > options.maxMessageSize) return { error: ERRORS.tooLarge, tooLarge: true };
    try {
      text = utf8.decode(bytes);
    } catch {
      return { error: ERRORS.utf8 };
    }
  }

  // a document deeper than the limit needs at least twice as many characters
  if (text.length > options.maxJsonDepth * 2 && exceedsDepth(text, options.maxJsonDepth)) {
    return { error: ERRORS.depth };
  }
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return { error: ERRORS.syntax };
  }
  if (!isFrameData(message)) return { error: ERRORS.notObject };
  return checkStructure(message, options.acks, options.maxNameLength ?? 256);
}

// names that already passed the pattern; bounded, so hostile clients cannot grow it
const knownNames = new Set<string>();

function validName(event: string, maxLength: number): boolean {
  if (event.length > maxLength) return false;
  if (knownNames.has(event)) return true;
  if (!EVENT_NAME_PATTERN.test(event)) return false;
  if (knownNames.size < 512) knownNames.add(event);
  return true;
}

/**
 * Sockeon's structural checks. The common well-formed frame is accepted without allocating: the parsed object
 * itself is the decoded frame. Anything else takes the path that lists every problem.
 */
function checkStructure(message: FrameData, acks: boolean, maxName: number): DecodedFrame | RejectedFrame {
  if (!Array.isArray(message)) {
    const fields = message as Record<string, unknown>;
    const event = fields.event;
    const data = fields.data;
    if (typeof event === "string" && event.length > 0 && typeof data === "object" && data !== null && validName(event, maxName)) {
      let keys = 0;
      for (const key in fields) if (hasOwn.call(fields, key)) keys++;
      if (keys === 2) return fields as unknown as DecodedFrame;
      const id = fields.id;
      if (keys === 3 && acks && typeof id === "number" && Number.isSafeInteger(id) && id >= 0 && hasOwn.call(fields, "id")) {
        return fields as unknown as DecodedFrame;
      }
    }
  }
  return listProblems(message, acks, maxName);
}

function listProblems(message: FrameData, acks: boolean, maxName: number): DecodedFrame | RejectedFrame {
  const errors: string[] = [];
  const fields = message as Record<string, unknown>;
  const isList = Array.isArray(message);
  const event = isList ? undefined : fields.event;
  const data = isList ? undefined : fields.data;
  const rawId = isList ? undefined : fields.id;

  if (event === undefined || event === null) errors.push("Missing required field: event");
  else if (typeof event !== "string") errors.push("Event field must be a string");
  else if (event.length === 0) errors.push("Event field cannot be empty");
  else if (event.length > maxName) errors.push(`Event name longer than ${maxName} bytes (maxNameLength)`);
  else if (!validName(event, maxName)) {
    errors.push("Invalid event name format (only alphanumeric, dots, underscores, hyphens allowed)");
  }

  // PHP's isset: null counts as missing
  if (data === undefined || data === null) errors.push("Missing required field: data");
  else if (!isFrameData(data)) errors.push("Data field must be an object/array");

  let id: number | undefined;
  const idPresent = acks && !isList && hasOwn.call(fields, "id");
  if (idPresent) {
    if (typeof rawId === "number" && Number.isSafeInteger(rawId) && rawId >= 0) id = rawId;
    else errors.push("Field id must be a non-negative safe integer");
  }

  const extra: string[] = [];
  for (const key of Object.keys(message)) {
    if (isList || (key !== "event" && key !== "data" && !(idPresent && key === "id"))) extra.push(key);
  }
  if (extra.length > 0) errors.push(`Message contains unsupported fields: ${extra.join(", ")}`);

  if (errors.length > 0) {
    const rejected: RejectedFrame = { error: `Message validation failed: ${errors.join(", ")}` };
    if (id !== undefined) rejected.id = id;
    return rejected;
  }
  const frame: DecodedFrame = { event: event as string, data: data as FrameData };
  if (id !== undefined) frame.id = id;
  return frame;
}

/**
 * Serialises one outbound frame `{"event","data"}`.
 * @param event the event name
 * @param data the payload; `undefined` is sent as `{}`
 */
export function encodeFrame(event: string, data: unknown): string {
  return JSON.stringify({ event, data: data === undefined ? {} : data });
}

/** Current time as integer Unix seconds, as PHP's `time()`. */
export function unixTime(): number {
  return Math.floor(Date.now() / 1000);
}

/**
 * Serialises Sockeon's error frame `{"event":"error","data":{"message","timestamp"}}`.
 * @param message the error text
 * @param extra more fields for `data`, such as the ack `id`
 */
export function encodeError(message: string, extra?: Record<string, unknown>): string {
  return JSON.stringify({ event: "error", data: { message, timestamp: unixTime(), ...extra } });
}
