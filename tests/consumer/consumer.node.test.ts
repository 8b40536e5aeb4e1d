/**
 * Consumer tests: the package as users get it. Packs the tarball once (prepack builds dist/), installs it into
 * fresh apps under the OS temp dir (outside the repo, so nothing resolves to our source), and runs:
 * (a) a strict TypeScript app compiled by the app's own tsc (nodenext, skipLibCheck false), on plain node;
 * (b) the same source on bun; (c) on deno from node_modules, through serve();
 * (d) an existing Hono app on Node with a second hono copy, mounting server.app and the WebSocket on one port;
 * (e) `deno publish --dry-run` (JSR, no slow types); (f) publint and arethetypeswrong on the tarball.
 * Each app connects a real client and checks a round trip. Temp apps are removed unless KEEP_CONSUMER_APPS=1.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { after, before, describe, test } from "node:test";
import { promisify, stripVTControlCharacters } from "node:util";

const exec = promisify(execFile);
const repo = realpathSync(join(import.meta.dirname, "../.."));
const fixtures = join(import.meta.dirname, "fixtures");
const bin = (name: string) => join(repo, "node_modules", ".bin", name);
const devVersion = (name: string): string => {
  const pkg = JSON.parse(readFileSync(join(repo, "package.json"), "utf8")) as { devDependencies: Record<string, string> };
  const version = pkg.devDependencies[name];
  if (!version) throw new Error(`${name} is not a devDependency`);
  return version;
};

// a hang guard for child processes, not an assertion: a stuck app fails the test instead of the whole run
const HANG_GUARD_MS = 180_000;

async function run(command: string, args: string[], cwd: string): Promise<string> {
  try {
    const { stdout, stderr } = await exec(command, args, {
      cwd,
      timeout: HANG_GUARD_MS,
      maxBuffer: 32 << 20,
      env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
    });
    return `${stdout}${stderr}`;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${command} ${args.join(" ")} (in ${cwd}) failed: ${e.message}\n${e.stdout ?? ""}${e.stderr ?? ""}`);
  }
}

/** The app's `RESULT {...}` line, parsed. */
function result(output: string): unknown {
  const line = output.split("\n").find((l) => l.startsWith("RESULT "));
  assert.ok(line, `no RESULT line in:\n${output}`);
  return JSON.parse(line.slice("RESULT ".length));
}

function writeJson(path: string, value: unknown): void {
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}

const npmInstall = (cwd: string) => run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund"], cwd);

let work = "";
let tarball = "";
let app = "";

before(async () => {
  work = mkdtempSync(join(tmpdir(), "sockeon-consumer-"));
  await run("npm", ["pack", "--pack-destination", work], repo);
  const name = readdirSync(work).find((f) => f.endsWith(".tgz"));
  assert.ok(name, "npm pack wrote no tarball");
  tarball = join(work, name);

  // one app for (a), (b) and (c): the same source on node (compiled), bun and deno
  app = join(work, "app");
  mkdirSync(join(app, "src"), { recursive: true });
  cpSync(join(fixtures, "app.ts"), join(app, "src", "app.ts"));
  cpSync(join(fixtures, "tsconfig.json"), join(app, "tsconfig.json"));
  writeJson(join(app, "package.json"), {
    name: "consumer-app",
    private: true,
    type: "module",
    dependencies: { "sockeon-ts": `file:${tarball}`, hono: "^4", valibot: "^1", ws: "^8" },
    devDependencies: {
      typescript: devVersion("typescript"),
      "@types/node": devVersion("@types/node"),
    },
  });
  await npmInstall(app);
});

after(() => {
  if (work && process.env.KEEP_CONSUMER_APPS !== "1") rmSync(work, { recursive: true, force: true });
});

const expected = (runtime: string, loaded: string[]) => ({
  runtime,
  echo: { text: "HI", runtime },
  http: { hello: "ada" },
  loaded,
});
const allButBun = ["sockeon-ts/node", "sockeon-ts/hono", "sockeon-ts/deno", "sockeon-ts/redis", "sockeon-ts/extend"];

describe("the packed tarball, installed into fresh apps", () => {
  test("the tarball holds dist/, README.md, LICENSE, CHANGELOG.md and package.json only", async () => {
    const listing = await run("tar", ["-tzf", tarball], work);
    const tops = new Set(
      listing
        .split("\n")
        .filter(Boolean)
        .map((p) => p.replace(/^package\//, "").split("/")[0]),
    );
    assert.deepEqual([...tops].sort(), ["CHANGELOG.md", "LICENSE", "README.md", "dist", "package.json"]);
  });

  test("(a) a strict TypeScript app compiled by its own tsc (nodenext, skipLibCheck false, no @types/bun) runs on node", async () => {
    assert.deepEqual(readdirSync(join(app, "node_modules", "@types")).sort(), ["node", "ws"], "the app must not have @types/bun");
    await run(join(app, "node_modules", ".bin", "tsc"), ["-p", "."], app);
    assert.deepEqual(result(await run("node", ["out/app.js"], app)), expected("node", allButBun));
  });

  test("(b) the same source runs on bun", async () => {
    assert.deepEqual(result(await run(bin("bun"), ["src/app.ts"], app)), expected("bun", [...allButBun, "sockeon-ts/bun"]));
  });

  test("(c) the same source runs on deno from node_modules, serving through serve()", async () => {
    assert.deepEqual(result(await run(bin("deno"), ["run", "-A", "src/app.ts"], app)), expected("deno", allButBun));
  });

  test("(d) an existing Hono app on Node with a second hono copy serves server.app's {param} routes and the WebSocket on one port", async () => {
    const honoApp = join(work, "hono-app");
    mkdirSync(join(honoApp, "src"), { recursive: true });
    cpSync(join(fixtures, "hono-app.ts"), join(honoApp, "src", "app.ts"));
    // hono's and @hono/node-server's own declarations need the DOM lib (skipLibCheck is off)
    cpSync(join(fixtures, "tsconfig.hono-app.json"), join(honoApp, "tsconfig.json"));
    writeJson(join(honoApp, "package.json"), {
      name: "consumer-hono-app",
      private: true,
      type: "module",
      dependencies: {
        "sockeon-ts": `file:${tarball}`,
        hono: "^4",
        valibot: "^1",
        ws: "^8",
        "@hono/node-server": "^1",
        "@hono/node-ws": "^1",
      },
      devDependencies: { "@types/node": devVersion("@types/node") },
    });
    await npmInstall(honoApp);
    // the second copy: sockeon-ts resolves its own hono (as with a file: link, a monorepo, or version skew)
    const nested = join(honoApp, "node_modules", "sockeon-ts", "node_modules", "hono");
    cpSync(join(honoApp, "node_modules", "hono"), nested, { recursive: true });
    const resolveFrom = async (dir: string) =>
      (await run("node", ["--input-type=module", "-e", 'console.log(import.meta.resolve("hono"))'], dir)).trim();
    const userHono = await resolveFrom(honoApp);
    const ourHono = await resolveFrom(join(honoApp, "node_modules", "sockeon-ts"));
    assert.notEqual(userHono, ourHono, "two hono copies");

    await run(join(app, "node_modules", ".bin", "tsc"), ["-p", "."], honoApp);
    assert.deepEqual(result(await run("node", ["out/app.js"], honoApp)), {
      routes: {
        own: { status: 200, body: "the user's own route" },
        param: { status: 200, body: '{"user":"42"}' },
        exact: { status: 200, body: '{"user":"me (exact route)"}' },
      },
      echo: { text: "HI" },
    });
  });

  test("(e) deno publish --dry-run passes without --allow-slow-types", async () => {
    // --allow-dirty: the dry run checks the package, not whether the working tree is committed
    const out = await run(bin("deno"), ["publish", "--dry-run", "--allow-dirty"], repo);
    assert.match(stripVTControlCharacters(out), /Success Dry run complete/);
  });

  test("(f) publint (strict) and arethetypeswrong (esm-only profile) find nothing in the tarball", async () => {
    assert.match(await run(bin("publint"), ["--strict", tarball], work), /All good!/);
    await run(bin("attw"), ["--profile", "esm-only", tarball], work);
  });
});
