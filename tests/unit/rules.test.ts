import * as v from "valibot";
import { rule, rules } from "../../src/validation/rules.ts";
import { describe, expect, test } from "../support/test.ts";

/** [rule string, input, Sockeon's message (null when it passes), sanitised output when it passes] */
type Row = [string, unknown, string | null, unknown?];

// every rule of REFERENCE.md §7, with the message Sockeon's rule class gives ("The X field ...")
const TABLE: Row[] = [
  ["required", "x", null, "x"],
  ["required", "", "The f field is required."],
  ["required", null, "The f field is required."],
  ["required", [], "The f field is required."],
  ["required", undefined, "The f field is required."],
  ["required", 0, null, 0],
  ["string", "  padded  ", null, "padded"],
  ["string", 5, "The f field must be a string."],
  ["string", "", null, ""],
  ["integer", 42, null, 42],
  ["integer", "42", null, 42],
  ["integer", "4.2", "The f field must be an integer."],
  ["integer", 4.5, "The f field must be an integer."],
  ["int", "7", null, 7],
  ["float", "3.5", null, 3.5],
  ["float", "1e3", null, 1000],
  ["float", "abc", "The f field must be a number."],
  ["numeric", " 12 ", null, 12],
  ["numeric", "12abc", "The f field must be a number."],
  ["boolean", true, null, true],
  ["boolean", "false", null, false],
  ["boolean", "1", null, true],
  ["boolean", 0, null, false],
  ["boolean", "yes", "The f field must be a boolean."],
  ["bool", 1, null, true],
  ["array", [1, 2], null, [1, 2]],
  ["array", { a: 1 }, null, { a: 1 }],
  ["array", "x", "The f field must be an array."],
  ["email", "Ada@Example.com", null, "ada@example.com"],
  ["email", "ada@", "The f field must be a valid email address."],
  ["email", "a b@example.com", "The f field must be a valid email address."],
  ["url", "https://example.com/a?b=1", null, "https://example.com/a?b=1"],
  ["url", "example.com", "The f field must be a valid URL."],
  ["url", "http://", "The f field must be a valid URL."],
  ["min:3", "abc", null, "abc"],
  ["min:3", "ab", "The f field must be at least 3."],
  ["min:3", "日本語", null, "日本語"],
  ["min:3", 2, "The f field must be at least 3."],
  ["min:3", "10", null, "10"],
  ["min:2", [1], "The f field must be at least 2."],
  ["max:3", "abcd", "The f field must not exceed 3."],
  ["max:3", 3, null, 3],
  ["max:1", [1, 2], "The f field must not exceed 1."],
  ["between:2,4", "abc", null, "abc"],
  ["between:2,4", 5, "The f field must be between 2 and 4."],
  ["between:2,4", "a", "The f field must be between 2 and 4."],
  ["in:admin,user", "admin", null, "admin"],
  ["in:admin,user", "root", "The f field must be one of: admin, user."],
  ["in:1,2", 1, "The f field must be one of: 1, 2."],
  ["not_in:root,admin", "root", "The f field must not be one of: root, admin."],
  ["not_in:root,admin", "ada", null, "ada"],
  ["regex:/^[a-z]+$/i", "Abc", null, "Abc"],
  ["regex:/^[a-z]+$/", "Abc", "The f field format is invalid."],
  ["regex:#^a|b$#", "b", null, "b"],
  ["alpha", "abcXYZ", null, "abcXYZ"],
  ["alpha", "abc1", "The f field must contain only alphabetic characters."],
  ["alpha_num", "abc123", null, "abc123"],
  ["alpha_num", "abc-123", "The f field must contain only alphanumeric characters."],
  ["json", '{"a":1}', null, { a: 1 }],
  ["json", "{a:1}", "The f field must be valid JSON."],
  // every rule but required passes on an empty value
  ["email|min:3|integer|in:a", "", null, ""],
  // the first failing rule wins; sanitisers run in order once all pass
  ["required|string|min:5", "ab", "The f field must be at least 5."],
  ["string|alpha", "  ab  ", "The f field must contain only alphabetic characters."],
  ["integer|min:18", "21", null, 21],
];

describe("rules(): Sockeon rule strings compiled to valibot", () => {
  for (const [spec, input, message, output] of TABLE) {
    test(`${spec} ${JSON.stringify(input) ?? "undefined"} -> ${message ?? "passes"}`, () => {
      const result = v.safeParse(rule(spec, "f"), input);
      if (message === null) {
        expect(result.success).toBe(true);
        expect(result.output).toEqual(output);
      } else {
        expect(result.success).toBe(false);
        expect(result.issues?.map((i) => i.message)).toEqual([message]);
      }
    });
  }

  test("rules({...}) keys errors by field, keeps only ruled fields, honours messages and fieldNames", () => {
    const schema = rules(
      { name: "required|string", email: ["required", "email"], tags: "array" },
      { messages: { "name.required": "Tell us your {field}" }, fieldNames: { name: "full name", email: "E-mail" } },
    );
    const bad = v.safeParse(schema, { email: "x" });
    expect(bad.success).toBe(false);
    expect(v.flatten(bad.issues as [v.BaseIssue<unknown>]).nested).toEqual({
      name: ["Tell us your full name"],
      email: ["The E-mail field must be a valid email address."],
    });
    const ok = v.parse(schema, { name: " Ada ", email: "A@B.io", extra: 1, tags: ["x"] });
    expect(ok).toEqual({ name: "Ada", email: "a@b.io", tags: ["x"] });
  });

  test("bad rule strings throw at compile time, naming the rule and field", () => {
    expect(() => rule("required|shiny", "name")).toThrow('unknown rule "shiny" for field "name"');
    expect(() => rule("min", "age")).toThrow('rule "min" of field "age" takes 1 parameter(s)');
    expect(() => rule("between:1", "age")).toThrow("takes 2 parameter(s)");
    expect(() => rule("min:abc", "age")).toThrow("takes numbers");
    expect(() => rule("in", "role")).toThrow("needs values");
    expect(() => rule("regex:abc", "code")).toThrow("Invalid regex rule pattern");
    expect(() => rules([] as never)).toThrow("expected an object of field rules");
  });
});
