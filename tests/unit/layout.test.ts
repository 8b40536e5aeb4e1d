/** The layout rules of docs/architecture.md: small source files, adapters that only translate. */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { describe, expect, test } from "../support/test.ts";

const root = new URL("../../", import.meta.url);

function sources(dir: string): string[] {
  return readdirSync(new URL(dir, root)).flatMap((name) => {
    const path = `${dir}/${name}`;
    if (statSync(new URL(path, root)).isDirectory()) return sources(path);
    return name.endsWith(".ts") ? [path] : [];
  });
}

const lines = (path: string): number => readFileSync(new URL(path, root), "utf8").split("\n").length;

describe("layout", () => {
  test("no source file under src/ is over 350 lines", () => {
    for (const file of sources("src")) expect({ file, over: lines(file) > 350 }).toEqual({ file, over: false });
  });

  test("each adapter is under 130 lines", () => {
    for (const file of sources("adapters")) expect({ file, over: lines(file) >= 130 }).toEqual({ file, over: false });
  });

  test("src/ names no runtime: no Bun., Deno. or node: imports", () => {
    for (const file of sources("src")) {
      const code = readFileSync(new URL(file, root), "utf8")
        .split("\n")
        .filter((line) => !/^\s*(\*|\/\/|\/\*)/.test(line))
        .join("\n");
      const runtime = /(^|[^.\w])(Bun|Deno)\.[a-zA-Z]|from ["']node:/.test(code);
      expect({ file, runtime }).toEqual({ file, runtime: false });
    }
  });
});
