import { readFileSync } from "node:fs";
import { describe, expect, test } from "../support/test.ts";

const read = (file: string) => JSON.parse(readFileSync(file, "utf8")) as { exports: Record<string, string> };

describe("package entry points", () => {
  test("package.json and deno.json export the same entries", () => {
    expect(read("deno.json").exports).toEqual(read("package.json").exports);
    expect(read("package.json").exports["./client"]).toBe("./client/index.ts");
  });
});
