/**
 * `npm run build` (and `prepack`): emits dist/ for npm from src/, adapters/ and client/.
 *
 * 1. tsc -p tsconfig.build.json: ES2022 ESM .js, .d.ts and source maps with inline sources (src/ is not shipped),
 *    every entry except the Deno adapter.
 * 2. The Deno adapter, compiled on its own against Deno's types (`deno types`), so `sockeon-ts/deno` and `serve()`
 *    work for Deno users who install from npm; only its own files are taken from that pass.
 * 3. Relative `.ts` specifiers left in .d.ts files (tsc rewrites them in .js only) become `.js`.
 * 4. dist/client.browser.js: the client as one minified ESM file for browsers (esbuild); prints its min+gzip size.
 *
 * Run with tsx. Fails (exit 1) on any compiler diagnostic.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const root = join(import.meta.dirname, "..");
const dist = join(root, "dist");
const bin = (name: string) => join(root, "node_modules", ".bin", name);

function run(command: string, args: string[]): { status: number; output: string } {
  const r = spawnSync(command, args, { cwd: root, encoding: "utf8", maxBuffer: 64 << 20 });
  if (r.error) throw r.error;
  return { status: r.status ?? 1, output: `${r.stdout}${r.stderr}` };
}

function fail(message: string): never {
  console.error(`build: ${message}`);
  process.exit(1);
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

rmSync(dist, { recursive: true, force: true });

// 1. everything but the Deno adapter
const main = run(bin("tsc"), ["-p", "tsconfig.build.json"]);
if (main.status !== 0 || main.output.trim() !== "") fail(`tsc -p tsconfig.build.json failed\n${main.output}`);

// 2. the Deno adapter against Deno's own types
const tmp = mkdtempSync(join(tmpdir(), "sockeon-build-"));
try {
  const types = run(bin("deno"), ["types"]);
  if (types.status !== 0) fail(`deno types failed\n${types.output}`);
  // the lib references name Deno's own lib files, which tsc does not have: DOM + ES2023 stand in for them
  const denoTypes = join(tmp, "deno.d.ts");
  writeFileSync(denoTypes, types.output.replace(/^\/\/\/ <reference [^\n]*\n/gm, ""));
  const out = join(tmp, "out");
  const deno = run(bin("tsc"), [
    "--ignoreConfig",
    "adapters/deno.ts",
    denoTypes,
    ...["--outDir", out, "--rootDir", "."],
    ...["--target", "ES2022", "--module", "NodeNext", "--moduleResolution", "NodeNext"],
    ...["--lib", "ES2023,DOM,DOM.Iterable,ESNext.Decorators", "--types", "node", "--useDefineForClassFields"],
    ...["--strict", "--noUncheckedIndexedAccess", "--noImplicitOverride", "--skipLibCheck"],
    ...["--allowImportingTsExtensions", "--rewriteRelativeImportExtensions"],
    ...["--declaration", "--sourceMap", "--inlineSources"],
  ]);
  if (deno.status !== 0 || deno.output.trim() !== "") fail(`tsc (Deno adapter) failed\n${deno.output}`);
  mkdirSync(join(dist, "adapters"), { recursive: true });
  for (const file of ["deno.js", "deno.js.map", "deno.d.ts"])
    copyFileSync(join(out, "adapters", file), join(dist, "adapters", file));
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

// the CLI launcher is plain JS: copied beside the built cli.js
copyFileSync(join(root, "src", "asyncapi", "bin.mjs"), join(dist, "src", "asyncapi", "bin.mjs"));

// 3. declaration files: relative imports end in .js like the code they describe
for (const file of walk(dist).filter((f) => f.endsWith(".d.ts"))) {
  const text = readFileSync(file, "utf8");
  const fixed = text.replace(/((?:from|import)\s*\(?\s*["']\.{1,2}\/[^"']*?)\.ts(["'])/g, "$1.js$2");
  if (fixed !== text) writeFileSync(file, fixed);
}

// 4. the browser client: one minified ESM file, no server code and no node: modules (platform browser fails on them)
const bundle = await build({
  entryPoints: [join(root, "client/index.ts")],
  bundle: true,
  format: "esm",
  platform: "browser",
  target: "es2022",
  minify: true,
  write: false,
  legalComments: "none",
});
const code = bundle.outputFiles[0]?.contents;
if (!code) fail("esbuild produced no client bundle");
writeFileSync(join(dist, "client.browser.js"), code);
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
console.log(`dist/client.browser.js: ${kb(code.length)} minified, ${kb(gzipSync(code, { level: 9 }).length)} min+gzip`);
console.log(`dist/: ${walk(dist).length} files`);
