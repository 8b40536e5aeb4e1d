import { randomId } from "../../src/engine/client-id.ts";
import { describe, expect, test } from "../support/test.ts";

/** The bytes a base64url id without padding encodes. */
function decode(id: string): number[] {
  const binary = atob(`${id.replace(/-/g, "+").replace(/_/g, "/")}==`);
  return Array.from(binary, (ch) => ch.charCodeAt(0));
}

describe("randomId", () => {
  test("is 16 random bytes as base64url without padding, the same text btoa gives", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const id = randomId();
      expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
      const bytes = decode(id);
      expect(bytes.length).toBe(16);
      const again = btoa(String.fromCharCode(...bytes))
        .replace(/\+/g, "-")
        .replace(/\//g, "_")
        .replace(/=+$/, "");
      expect(again).toBe(id);
      seen.add(id);
    }
    expect(seen.size).toBe(500);
  });
});
