/** The package's entry points: npm (package.json) and JSR/Deno (deno.json) export the same files. */
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, test } from "../support/test.ts";

const root = new URL("../../", import.meta.url);
const readJson = (name: string) => JSON.parse(readFileSync(new URL(name, root), "utf8"));

describe("package entry points", () => {
  const pkg = readJson("package.json");
  const deno = readJson("deno.json");

  test("package.json and deno.json exports are identical", () => {
    expect(deno.exports).toEqual(pkg.exports);
    expect(Object.keys(deno.exports)).toEqual(Object.keys(pkg.exports));
  });

  test("every runtime has its entry, and every entry points at an existing file", () => {
    for (const key of [".", "./bun", "./deno", "./hono", "./node", "./serve"]) expect(Object.keys(pkg.exports)).toContain(key);
    for (const [key, target] of Object.entries(pkg.exports as Record<string, string>)) {
      expect([key, existsSync(new URL(target, root))]).toEqual([key, true]);
    }
  });

  test("ESM only, named sockeon-ts", () => {
    expect(pkg.name).toBe("sockeon-ts");
    expect(pkg.type).toBe("module");
  });

  test("runtimes and tools are dev dependencies; Hono, its Node helpers and ws (serveNode upgrades with it) are dependencies", () => {
    for (const name of ["bun", "deno", "tsx", "typescript", "@types/bun"])
      expect(Object.keys(pkg.devDependencies)).toContain(name);
    expect(pkg.devDependencies.typescript).toMatch(/^7\./);
    for (const name of ["hono", "@hono/node-server", "@hono/node-ws", "ws"])
      expect(Object.keys(pkg.dependencies)).toContain(name);
  });

  test("dependencies are pinned exactly", () => {
    for (const [name, version] of Object.entries({ ...pkg.dependencies, ...pkg.devDependencies } as Record<string, string>)) {
      expect([name, /^\d+\.\d+\.\d+$/.test(version)]).toEqual([name, true]);
    }
  });
});
