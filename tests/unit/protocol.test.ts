import fc from "fast-check";
import {
  type DecodedFrame,
  type DecodeOptions,
  decodeFrame,
  ERRORS,
  encodeError,
  encodeFrame,
  type RejectedFrame,
  utf8Length,
} from "../../src/protocol/protocol.ts";
import { describe, expect, test } from "../support/test.ts";

const defaults: DecodeOptions = { maxMessageSize: 65536, maxJsonDepth: 512, acks: true };
const decode = (raw: string | ArrayBuffer | ArrayBufferView, options: Partial<DecodeOptions> = {}) =>
  decodeFrame(raw, { ...defaults, ...options });
const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const invalid = (message: string): RejectedFrame => ({ error: `Message validation failed: ${message}` });

/** Nested arrays `[[...]]` `depth` deep. */
const nested = (depth: number): string => "[".repeat(depth) + "]".repeat(depth);

describe("decodeFrame: Sockeon's checks, texts and order", () => {
  test("empty payloads, as a string, an ArrayBuffer or a view", () => {
    expect(decode("")).toEqual({ error: ERRORS.empty });
    expect(decode(new ArrayBuffer(0))).toEqual({ error: ERRORS.empty });
    expect(decode(new Uint8Array(8).subarray(4, 4))).toEqual({ error: ERRORS.empty });
    expect(ERRORS.empty).toBe("Empty message payload");
  });

  test("size is counted in UTF-8 bytes, and checked before the JSON", () => {
    const frame = (pad: string) => `{"event":"e","data":{"p":"${pad}"}}`;
    const base = utf8Length(frame(""));
    // exactly at the limit passes, one byte more is too large: with a 2-byte character and with ASCII
    expect(decode(frame("é".repeat(10)), { maxMessageSize: base + 20 })).toEqual({ event: "e", data: { p: "é".repeat(10) } });
    expect(decode(frame(`${"é".repeat(10)}x`), { maxMessageSize: base + 20 })).toEqual({
      error: ERRORS.tooLarge,
      tooLarge: true,
    });
    // fewer UTF-16 units than the limit, more bytes (the fast path must not skip the count)
    expect(decode(frame("€".repeat(30)), { maxMessageSize: base + 89 })).toEqual({ error: ERRORS.tooLarge, tooLarge: true });
    expect(decode(frame("€".repeat(30)), { maxMessageSize: base + 90 })).toMatchObject({ event: "e" });
    // invalid JSON that is too large reports the size
    expect(decode("{".repeat(100), { maxMessageSize: 99 })).toEqual({ error: ERRORS.tooLarge, tooLarge: true });
    expect(ERRORS.tooLarge).toBe("Message payload too large");
  });

  test("binary frames: size first, then UTF-8, then JSON", () => {
    const tooLargeAndInvalid = new Uint8Array(65).fill(0xff);
    expect(decode(tooLargeAndInvalid, { maxMessageSize: 64 })).toEqual({ error: ERRORS.tooLarge, tooLarge: true });
    expect(decode(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]))).toEqual({ error: ERRORS.utf8 });
    // an encoded surrogate half (CESU-8) and an overlong "/" are not UTF-8
    expect(decode(new Uint8Array([0x22, 0xed, 0xa0, 0x80, 0x22]))).toEqual({ error: ERRORS.utf8 });
    expect(decode(new Uint8Array([0x22, 0xc0, 0xaf, 0x22]))).toEqual({ error: ERRORS.utf8 });
    expect(decode(bytes("{nope"))).toEqual({ error: ERRORS.syntax });
    expect(ERRORS.utf8).toBe("Invalid JSON format: Malformed UTF-8 characters, possibly incorrectly encoded");
  });

  test("binary frames decode as UTF-8 JSON from an ArrayBuffer or any view of one", () => {
    const json = JSON.stringify({ event: "chat.msg", data: { text: "héllo ✓ 😀" } });
    const expected = { event: "chat.msg", data: { text: "héllo ✓ 😀" } };
    expect(decode(bytes(json).buffer as ArrayBuffer)).toEqual(expected);
    // a view into a larger buffer: only the viewed bytes count
    const padded = new Uint8Array(bytes(json).length + 10).fill(0x20);
    padded.set(bytes(json), 5);
    padded[0] = 0xff;
    padded[padded.length - 1] = 0xff;
    expect(decode(padded.subarray(5, 5 + bytes(json).length))).toEqual(expected);
    expect(decode(new DataView(padded.buffer, 5, bytes(json).length))).toEqual(expected);
  });

  test("a byte-order mark is kept, so JSON after it is a syntax error (as PHP's json_decode)", () => {
    expect(decode(new Uint8Array([0xef, 0xbb, 0xbf, ...bytes('{"event":"e","data":{}}')]))).toEqual({ error: ERRORS.syntax });
  });

  test("invalid JSON is one fixed text on every runtime", () => {
    for (const text of ["{nope", '{"event":"e","data":{', "[1,]", "{'a':1}", "NaN", " ", "\u0000", '{"a":1}}']) {
      expect(decode(text)).toEqual({ error: "Invalid JSON format: Syntax error" });
    }
  });

  test("depth: exactly maxJsonDepth is accepted, one deeper is rejected before parsing", () => {
    expect(decode(nested(512))).toEqual(
      invalid("Missing required field: event, Missing required field: data, Message contains unsupported fields: 0"),
    );
    expect(decode(nested(513))).toEqual({ error: ERRORS.depth });
    expect(decode(nested(100_000), { maxMessageSize: 1_000_000 })).toEqual({ error: ERRORS.depth });
    expect(ERRORS.depth).toBe("Invalid JSON format: Maximum stack depth exceeded");
    // the frame's own object is level 1: {..."data":{"a":[[1]]}} is 4 deep
    expect(decode('{"event":"e","data":{"a":[[1]]}}', { maxJsonDepth: 4 })).toEqual({ event: "e", data: { a: [[1]] } });
    expect(decode('{"event":"e","data":{"a":[[[1]]]}}', { maxJsonDepth: 4 })).toEqual({ error: ERRORS.depth });
    // siblings do not add up
    expect(decode('{"event":"e","data":{"a":[[1]],"b":[[2]],"c":{"d":[3]}}}', { maxJsonDepth: 4 })).toMatchObject({ event: "e" });
  });

  test("depth: brackets inside strings and after escaped quotes do not count", () => {
    const options = { maxJsonDepth: 3 };
    expect(decode('{"event":"e","data":{"s":"[[[[[[[[{{{{{{"}}', options)).toEqual({ event: "e", data: { s: "[[[[[[[[{{{{{{" } });
    expect(decode('{"event":"e","data":{"s":"\\"[[[[[[[[[[","t":"\\\\"}}', options)).toMatchObject({ event: "e" });
    // a backslash-escaped quote does not end the string; the brackets after it are still inside
    expect(decode('{"event":"e","data":{"s":"x\\"[[[[[[[[[[\\""}}', options)).toMatchObject({ event: "e" });
    // a closed string is left: later brackets count again
    expect(decode('{"event":"e","data":{"s":"\\\\","t":[[[1]]]}}', options)).toEqual({ error: ERRORS.depth });
  });

  test("a JSON scalar is not a message", () => {
    for (const text of ['"hello"', "42", "true", "null", "-0.5"]) {
      expect(decode(text)).toEqual({ error: "Message must be a JSON object" });
    }
  });

  test("structure errors: each text, joined in Sockeon's order", () => {
    expect(decode('{"data":{}}')).toEqual(invalid("Missing required field: event"));
    expect(decode('{"event":null,"data":{}}')).toEqual(invalid("Missing required field: event"));
    expect(decode('{"event":5,"data":{}}')).toEqual(invalid("Event field must be a string"));
    expect(decode('{"event":"","data":{}}')).toEqual(invalid("Event field cannot be empty"));
    expect(decode('{"event":"a b","data":{}}')).toEqual(
      invalid("Invalid event name format (only alphanumeric, dots, underscores, hyphens allowed)"),
    );
    expect((decode('{"event":"é","data":{}}') as RejectedFrame).error).toContain("Invalid event name format");
    expect(decode('{"event":"e"}')).toEqual(invalid("Missing required field: data"));
    expect(decode('{"event":"e","data":null}')).toEqual(invalid("Missing required field: data"));
    expect(decode('{"event":"e","data":"x"}')).toEqual(invalid("Data field must be an object/array"));
    expect(decode('{"event":"e","data":0}')).toEqual(invalid("Data field must be an object/array"));
    expect(decode('{"event":"e","data":{},"room":"r","namespace":"/"}')).toEqual(
      invalid("Message contains unsupported fields: room, namespace"),
    );
    expect(decode('{"x":1,"event":[],"data":true}')).toEqual(
      invalid("Event field must be a string, Data field must be an object/array, Message contains unsupported fields: x"),
    );
    expect(decode("[1,2]")).toEqual(
      invalid("Missing required field: event, Missing required field: data, Message contains unsupported fields: 0, 1"),
    );
    expect(decode("{}")).toEqual(invalid("Missing required field: event, Missing required field: data"));
  });

  test("a __proto__ key is an ordinary unsupported field; API-like event names decode", () => {
    expect(decode('{"event":"e","data":{},"__proto__":{"x":1}}')).toEqual(
      invalid("Message contains unsupported fields: __proto__"),
    );
    const frame = decode('{"event":"e","data":{"__proto__":{"polluted":1}}}') as DecodedFrame;
    expect(Object.hasOwn(frame.data, "__proto__")).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    for (const event of ["__proto__", "constructor", "toString", "hasOwnProperty"]) {
      expect(decode(JSON.stringify({ event, data: [] }))).toEqual({ event, data: [] });
    }
  });

  test("data may be an object or an array, empty or not", () => {
    expect(decode('{"event":"e","data":[]}')).toEqual({ event: "e", data: [] });
    expect(decode('{"event":"e","data":[1,{"a":2}]}')).toEqual({ event: "e", data: [1, { a: 2 }] });
    expect(decode('{"data":{},"event":"a.b-c_D9"}')).toEqual({ event: "a.b-c_D9", data: {} });
  });

  test("acks on: a valid id is kept; a bad id is a validation error that carries no id", () => {
    expect(decode('{"event":"e","data":{},"id":0}')).toEqual({ event: "e", data: {}, id: 0 });
    expect(decode(`{"event":"e","data":{},"id":${Number.MAX_SAFE_INTEGER}}`)).toMatchObject({ id: Number.MAX_SAFE_INTEGER });
    for (const id of ["-1", "1.5", '"7"', "null", "9007199254740992", "[]"]) {
      expect(decode(`{"event":"e","data":{},"id":${id}}`)).toEqual(invalid("Field id must be a non-negative safe integer"));
    }
    // the id is read even when another check fails, so the error can be matched to the request
    expect(decode('{"event":"e","data":5,"id":3}')).toEqual({ ...invalid("Data field must be an object/array"), id: 3 });
    expect(decode('{"event":"a b","data":{},"id":4,"x":1}')).toEqual({
      ...invalid(
        "Invalid event name format (only alphanumeric, dots, underscores, hyphens allowed), Message contains unsupported fields: x",
      ),
      id: 4,
    });
  });

  test("acks off: id is an unsupported field, as in Sockeon", () => {
    expect(decode('{"event":"e","data":{},"id":1}', { acks: false })).toEqual(invalid("Message contains unsupported fields: id"));
  });
});

describe("utf8Length", () => {
  test("counts as TextEncoder encodes, lone surrogates included", () => {
    const samples = [
      "",
      "a",
      "é",
      "€",
      "😀",
      "\ud800",
      "\udc00",
      "\ud800\u00e9",
      "\ud800\u4e2d",
      "\ud800a",
      "\udc00\ud800",
      "\ud800\ud800\udc00",
      "x\ud83d",
      "\u007f\u0080\u07ff\u0800\uffff",
    ];
    for (const text of samples) expect([text, utf8Length(text)]).toEqual([text, bytes(text).length]);
  });

  test("property: any sequence of UTF-16 code units", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 40 }), (units) => {
        const text = String.fromCharCode(...units);
        return utf8Length(text) === bytes(text).length;
      }),
      { numRuns: 500 },
    );
  });
});

describe("encodeFrame / encodeError", () => {
  test("frames are {event, data}; undefined data is {}", () => {
    expect(encodeFrame("e", { a: 1 })).toBe('{"event":"e","data":{"a":1}}');
    expect(encodeFrame("e", undefined)).toBe('{"event":"e","data":{}}');
    expect(encodeFrame("e", [1])).toBe('{"event":"e","data":[1]}');
  });

  test("error frames carry Sockeon's message and integer Unix seconds, plus extras", () => {
    const frame = JSON.parse(encodeError("Boom", { id: 9 }));
    expect(Object.keys(frame)).toEqual(["event", "data"]);
    expect(frame.event).toBe("error");
    expect(frame.data.message).toBe("Boom");
    expect(frame.data.id).toBe(9);
    expect(Number.isInteger(frame.data.timestamp)).toBe(true);
    expect(Math.abs(frame.data.timestamp - Date.now() / 1000)).toBeLessThan(5);
  });
});
