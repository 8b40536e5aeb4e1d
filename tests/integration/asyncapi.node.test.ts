/**
 * The AsyncAPI document end to end: the `sockeon-ts asyncapi` CLI on the examples (under node via the package's
 * bin, bun and deno), each document validated by the official @asyncapi/parser and compared with its reviewed
 * snapshot in tests/integration/snapshots/ (UPDATE_SNAPSHOTS=1 rewrites them; review the diff), and the served
 * JSON/YAML over a real HTTP request.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createServer as createNetServer, type Server as NetServer } from "node:net";
import { Parser } from "@asyncapi/parser";
import { parse as parseYaml } from "yaml";
import { serve } from "../../adapters/serve.ts";
import { createChatServer } from "../../examples/chat/app.ts";
import type { Listener } from "../../src/index.ts";
import { afterAll, describe, expect, test } from "../support/test.ts";
import { recordLogs } from "./support/servers.ts";

const EXAMPLES: Array<[name: string, file: string]> = [
  ["connection-management", "examples/connection-management.ts"],
  ["chat", "examples/chat/server.ts"],
  ["validation", "examples/validation.ts"],
];
const CLI: Array<[runtime: string, command: string[]]> = [
  ["node", ["node", "src/asyncapi/bin.mjs"]],
  ["bun", ["node_modules/.bin/bun", "src/asyncapi/cli.ts"]],
  ["deno", ["node_modules/.bin/deno", "run", "-A", "src/asyncapi/cli.ts"]],
];
/**
 * The parser's diagnostics allowed on our documents, each documented in docs/asyncapi.md: only the hint that a
 * newer AsyncAPI (3.1.0) exists; we emit 3.0.0, the version tools support most widely.
 */
const DOCUMENTED = ["asyncapi-latest-version"];

const parser = new Parser();

/** Validates a document (JSON or YAML text); returns the diagnostic codes, errors first. */
async function diagnostics(text: string): Promise<Array<{ code: string; severity: number; message: string }>> {
  const found = await parser.validate(text);
  return found.map((d) => ({ code: String(d.code), severity: d.severity, message: d.message }));
}

/** A port that is taken for the whole file: a CLI that tried to listen on it would fail with EADDRINUSE. */
let busy: NetServer | undefined;
async function busyPort(): Promise<number> {
  if (!busy) {
    busy = createNetServer();
    busy.listen(0, "127.0.0.1");
    await once(busy, "listening");
  }
  return (busy.address() as { port: number }).port;
}

let listener: Listener | undefined;
afterAll(async () => {
  busy?.close();
  await listener?.stop();
});

/** Runs the CLI to completion (the process must exit by itself) and returns its exit code and output. */
async function cli(command: string[], args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const [bin, ...rest] = command as [string, ...string[]];
  const child = spawn(bin, [...rest, ...args], {
    env: { ...process.env, PORT: String(await busyPort()), HOST: "127.0.0.1", NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const [code] = (await once(child, "exit")) as [number | null];
  return { code, stdout, stderr };
}

const SNAPSHOT_ARGS = ["--host", "127.0.0.1:6001", "--title", "sockeon-ts example"];

function snapshot(name: string, actual: string): void {
  const file = `tests/integration/snapshots/asyncapi-${name}.yaml`;
  if (process.env.UPDATE_SNAPSHOTS === "1" || !existsSync(file)) writeFileSync(file, actual);
  expect(actual).toBe(readFileSync(file, "utf8"));
}

describe("sockeon-ts asyncapi <module>", () => {
  for (const [name, file] of EXAMPLES) {
    test(`${name}: a valid AsyncAPI 3.0 document equal to its reviewed snapshot, the same on node, bun and deno`, async () => {
      const outputs: string[] = [];
      for (const [runtime, command] of CLI) {
        const run = await cli(command, ["asyncapi", file, ...SNAPSHOT_ARGS]);
        if (run.code !== 0) throw new Error(`${runtime} exited ${run.code}:\n${run.stderr}`);
        outputs.push(run.stdout);
      }
      const [yaml, ...others] = outputs as [string, ...string[]];
      for (const other of others) expect(other).toBe(yaml);
      // the module's own console output (e.g. "listening on ...") went to stderr, not into the document
      const doc = parseYaml(yaml) as { asyncapi: string; operations: Record<string, unknown> };
      expect(doc.asyncapi).toBe("3.0.0");
      expect((await diagnostics(yaml)).map((d) => d.code)).toEqual(DOCUMENTED);
      snapshot(name, yaml);
    });
  }

  test("the events of each example are in its document", async () => {
    const ops = (name: string) =>
      Object.keys(
        (parseYaml(readFileSync(`tests/integration/snapshots/asyncapi-${name}.yaml`, "utf8")) as { operations: object })
          .operations,
      );
    expect(ops("connection-management")).toContain("receive_room.join");
    for (const op of ["receive_chat.say", "send_chat.message"]) expect(ops("chat")).toContain(op);
    for (const op of ["receive_user.update", "receive_user.register"]) expect(ops("validation")).toContain(op);
  });

  test("docs/asyncapi.md shows the chat demo's current document", () => {
    const page = readFileSync("docs/asyncapi.md", "utf8");
    const shown = /<!-- asyncapi-chat:start -->\n```yaml\n([\s\S]*?)```\n<!-- asyncapi-chat:end -->/.exec(page)?.[1];
    expect(shown).toBe(readFileSync("tests/integration/snapshots/asyncapi-chat.yaml", "utf8"));
  });

  test("--format json prints the same document as JSON; --openapi prints the HTTP routes", async () => {
    const node = CLI[0]?.[1] as string[];
    const json = await cli(node, ["asyncapi", "examples/validation.ts", "--format", "json", ...SNAPSHOT_ARGS]);
    expect(json.code).toBe(0);
    const yaml = readFileSync("tests/integration/snapshots/asyncapi-validation.yaml", "utf8");
    expect(JSON.parse(json.stdout)).toEqual(parseYaml(yaml));
    const openapi = await cli(node, ["asyncapi", "examples/validation.ts", "--openapi", "--format", "json"]);
    const doc = JSON.parse(openapi.stdout) as { openapi: string; paths: Record<string, any> };
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.paths["/profiles"].post.requestBody.content["application/json"].schema.required).toEqual(["name", "email"]);
  });

  test("a module that default-exports its server; a module without one fails with a reason", async () => {
    const node = CLI[0]?.[1] as string[];
    const ok = await cli(node, ["asyncapi", "tests/integration/fixtures/asyncapi-default-export.ts"]);
    expect(ok.code).toBe(0);
    const doc = parseYaml(ok.stdout) as { operations: Record<string, unknown> };
    expect(Object.keys(doc.operations).sort()).toEqual([
      "receive_greet",
      "receive_sockeon.ping",
      "send_error",
      "send_greeting",
      "send_sockeon.pong",
    ]);
    expect((await diagnostics(ok.stdout)).map((d) => d.code)).toEqual(DOCUMENTED);
    const bad = await cli(node, ["asyncapi", "tests/integration/fixtures/asyncapi-no-server.ts"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("neither default-exports a server nor calls serve(server)");
    const usage = await cli(node, ["asyncapi"]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("missing <server-module>");
  });
});

describe("asyncapi: true over a real HTTP request", () => {
  test("the chat demo serves its document as JSON and YAML, valid and equal", async () => {
    const server = createChatServer({ port: 0, host: "127.0.0.1", asyncapi: true, logger: recordLogs().logger });
    listener = await serve(server);
    const base = `http://127.0.0.1:${listener.port}/asyncapi`;
    const jsonResponse = await fetch(`${base}/asyncapi.json`);
    expect(jsonResponse.status).toBe(200);
    const jsonText = await jsonResponse.text();
    const json = JSON.parse(jsonText) as { servers: Record<string, unknown>; operations: Record<string, unknown> };
    expect(json.servers).toEqual({ default: { host: `127.0.0.1:${listener.port}`, protocol: "ws", pathname: "/" } });
    expect(Object.keys(json.operations)).toContain("send_chat.message");
    const yamlResponse = await fetch(`${base}/asyncapi.yaml`);
    expect(yamlResponse.headers.get("content-type")).toBe("application/yaml; charset=utf-8");
    const yamlText = await yamlResponse.text();
    expect(parseYaml(yamlText)).toEqual(json);
    expect((await diagnostics(jsonText)).map((d) => d.code)).toEqual(DOCUMENTED);
    expect((await diagnostics(yamlText)).map((d) => d.code)).toEqual(DOCUMENTED);
    const page = await fetch(base);
    expect(await page.text()).toContain("AsyncApiStandalone.render");
  });
});
