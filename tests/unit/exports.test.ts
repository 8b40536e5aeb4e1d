/** The package's entry points: npm (package.json) and JSR/Deno (deno.json) export the same files. */
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, test } from "../support/test.ts";

const root = new URL("../../", import.meta.url);
const readJson = (name: string) => JSON.parse(readFileSync(new URL(name, root), "utf8"));

/** The source file an npm dist target is built from: `./dist/src/index.js` -> `./src/index.ts`. */
const sourceOf = (target: string) => target.replace(/^\.\/dist\//, "./").replace(/\.js$/, ".ts");

describe("package entry points", () => {
  const pkg = readJson("package.json");
  const deno = readJson("deno.json");
  const npmExports = pkg.exports as Record<string, { types: string; import: string }>;

  test("package.json and deno.json export the same keys; each npm dist target is built from deno.json's source", () => {
    expect(Object.keys(npmExports)).toEqual(Object.keys(deno.exports));
    for (const [key, target] of Object.entries(npmExports)) {
      expect([key, Object.keys(target)]).toEqual([key, ["types", "import"]]);
      expect([key, sourceOf(target.import)]).toEqual([key, deno.exports[key]]);
      expect([key, target.types]).toEqual([key, target.import.replace(/\.js$/, ".d.ts")]);
    }
  });

  test("every runtime has its entry, and every deno.json entry points at an existing source file", () => {
    for (const key of [".", "./bun", "./deno", "./hono", "./node", "./serve", "./client", "./extend", "./redis"])
      expect(Object.keys(npmExports)).toContain(key);
    for (const [key, target] of Object.entries(deno.exports as Record<string, string>)) {
      expect([key, existsSync(new URL(target, root))]).toEqual([key, true]);
    }
  });

  test("ESM only, named sockeon-ts; npm ships dist/ and the docs only, built on prepack", () => {
    expect(pkg.name).toBe("sockeon-ts");
    expect(pkg.type).toBe("module");
    expect(pkg.files).toEqual(["dist/", "README.md", "LICENSE", "CHANGELOG.md"]);
    expect(pkg.scripts.prepack).toBe("npm run build");
    expect(pkg.version).toBe(deno.version);
  });

  test("hono and valibot are peers (and dev dependencies for our tests); the Node adapter's helpers are dependencies", () => {
    for (const name of ["bun", "deno", "tsx", "typescript", "@types/bun", "hono", "valibot"])
      expect(Object.keys(pkg.devDependencies)).toContain(name);
    expect(pkg.devDependencies.typescript).toMatch(/^7\./);
    expect({ hono: pkg.peerDependencies.hono, valibot: pkg.peerDependencies.valibot }).toEqual({ hono: "^4", valibot: "^1" });
    // any other peer is an optional add-on (the AsyncAPI renderer): a plain install never needs it
    for (const name of Object.keys(pkg.peerDependencies).filter((n) => n !== "hono" && n !== "valibot"))
      expect({ name, optional: pkg.peerDependenciesMeta?.[name]?.optional }).toEqual({ name, optional: true });
    for (const name of ["@hono/node-server", "ws"]) expect(Object.keys(pkg.dependencies)).toContain(name);
    for (const name of Object.keys(pkg.peerDependencies)) expect(Object.keys(pkg.dependencies)).not.toContain(name);
  });

  test("runtime dependencies take caret ranges (users' apps share copies); dev dependencies are pinned exactly", () => {
    for (const [name, version] of Object.entries(pkg.dependencies as Record<string, string>)) {
      expect([name, /^\^\d+\.\d+\.\d+$/.test(version)]).toEqual([name, true]);
    }
    for (const [name, version] of Object.entries(pkg.devDependencies as Record<string, string>)) {
      expect([name, /^\d+\.\d+\.\d+$/.test(version)]).toEqual([name, true]);
    }
  });
});
