/**
 * Type-checks every TypeScript sample in README.md and docs/*.md, so the docs cannot drift from the API.
 *
 * Each fenced block whose info string is `ts` is written to artifacts/docs-samples/<page>-<n>.ts and checked
 * with `tsc --noEmit` (the root tsconfig's compiler options; `sockeon-ts` and its subpaths mapped to the
 * sources). Blocks marked `ts deno` are checked with `deno check` instead (Deno's types); blocks marked
 * `ts ignore` are deliberate fragments and are skipped. Every sample is its own module (`export {}` is
 * appended), so samples do not see each other's names.
 *
 * Run: `tsx scripts/check-docs.ts` (part of `npm test`). Exits non-zero when a sample does not compile.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, join, relative } from "node:path";
import process from "node:process";

const root = join(import.meta.dirname, "..");
const out = join(root, "artifacts", "docs-samples");
const bin = (name: string) => join(root, "node_modules", ".bin", name);

/** import specifier -> source file, relative to the project root: deno.json's exports, which point at the sources */
const ENTRIES: Record<string, string> = Object.fromEntries(
  Object.entries((JSON.parse(readFileSync(join(root, "deno.json"), "utf8")) as { exports: Record<string, string> }).exports).map(
    ([key, file]) => [key === "." ? "sockeon-ts" : `sockeon-ts/${key.slice(2)}`, file.replace(/^\.\//, "")],
  ),
);

interface Sample {
  page: string;
  line: number;
  file: string;
  kind: "tsc" | "deno";
}

const pages = [
  join(root, "README.md"),
  ...readdirSync(join(root, "docs"))
    .filter((f) => f.endsWith(".md"))
    .sort()
    .map((f) => join(root, "docs", f)),
];

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const samples: Sample[] = [];
let skipped = 0;
for (const page of pages) {
  const name = basename(page, ".md");
  const lines = readFileSync(page, "utf8").split("\n");
  let n = 0;
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```ts(?:\s+(\w+))?\s*$/.exec(lines[i] ?? "");
    if (!open) continue;
    const indent = open[1] ?? "";
    const tag = open[2];
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^\s*```\s*$/.test(lines[i] ?? ""); i++) body.push((lines[i] ?? "").slice(indent.length));
    if (i >= lines.length) fail(`${relative(root, page)}:${start + 1}: unterminated code block`);
    if (tag === "ignore") {
      skipped++;
      continue;
    }
    if (tag !== undefined && tag !== "deno")
      fail(`${relative(root, page)}:${start + 1}: unknown sample tag "${tag}" (ts, ts deno, ts ignore)`);
    n++;
    const file = join(out, `${name}-${n}.ts`);
    // a header that points back at the page, then the sample itself; `export {}` makes it a module
    writeFileSync(file, `// ${relative(root, page)}:${start + 2}\n${body.join("\n")}\nexport {};\n`);
    samples.push({ page: relative(root, page), line: start + 2, file, kind: tag === "deno" ? "deno" : "tsc" });
  }
}

const toRoot = relative(out, root);
const paths = Object.fromEntries(Object.entries(ENTRIES).map(([spec, file]) => [spec, [join(toRoot, file)]]));
const base = JSON.parse(readFileSync(join(root, "tsconfig.json"), "utf8")) as { compilerOptions: object };
writeFileSync(
  join(out, "tsconfig.json"),
  JSON.stringify(
    {
      compilerOptions: { ...base.compilerOptions, paths },
      include: samples.filter((s) => s.kind === "tsc").map((s) => basename(s.file)),
    },
    null,
    2,
  ),
);

let failed = false;
const tscSamples = samples.filter((s) => s.kind === "tsc");
if (tscSamples.length > 0) {
  const tsc = spawnSync(bin("tsc"), ["--noEmit", "-p", join(out, "tsconfig.json")], { cwd: root, encoding: "utf8" });
  if (tsc.status !== 0) {
    failed = true;
    process.stdout.write(tsc.stdout + tsc.stderr);
  }
}

const denoSamples = samples.filter((s) => s.kind === "deno");
if (denoSamples.length > 0) {
  const rootConfig = JSON.parse(readFileSync(join(root, "deno.json"), "utf8")) as { compilerOptions: object };
  const imports = Object.fromEntries(Object.entries(ENTRIES).map(([spec, file]) => [spec, `${toRoot}/${file}`]));
  writeFileSync(
    join(out, "deno.json"),
    JSON.stringify({ nodeModulesDir: "manual", compilerOptions: rootConfig.compilerOptions, imports }, null, 2),
  );
  const deno = spawnSync(bin("deno"), ["check", "--config", join(out, "deno.json"), ...denoSamples.map((s) => s.file)], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
  if (deno.status !== 0) {
    failed = true;
    process.stdout.write(deno.stdout + deno.stderr);
  }
}

console.log(
  `docs samples: ${tscSamples.length} checked with tsc, ${denoSamples.length} with deno check, ${skipped} marked ignore, ` +
    `from ${pages.length} pages (files in ${relative(root, out)}/)`,
);
if (failed) fail("some docs samples do not compile (each sample file's first line names its page and line)");

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}
