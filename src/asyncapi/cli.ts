/**
 * `sockeon-ts asyncapi <server-module>`: loads a server module and prints its AsyncAPI (or OpenAPI) document
 * without starting a listener, for CI pipelines that diff the contract. The module either default-exports its
 * server, or calls `serve(server)` from `sockeon-ts/serve`: while the CLI loads it, `serve()` hands the server
 * here and returns a listener that never bound a port. Runs on Node (`.ts` modules through tsx), Bun and Deno:
 * `npx sockeon-ts asyncapi src/server.ts > asyncapi.yaml`, `bun .../cli.ts asyncapi ...`, `deno run -A .../cli.ts ...`.
 */
import type { SockeonServer } from "../api/server.ts";
import type { AsyncApiInfo } from "./asyncapi.ts";
import { toYaml } from "./yaml.ts";

interface Proc {
  argv: string[];
  cwd(): string;
  exit(code?: number): never;
  stdout: { write(text: string, done?: () => void): boolean };
  stderr: { write(text: string, done?: () => void): boolean };
}
// Node, Bun and Deno 2 all have the `process` global; src/ names no runtime module
const proc = (globalThis as unknown as { process: Proc }).process;

const USAGE = `Usage: sockeon-ts asyncapi <server-module> [options]

Prints the AsyncAPI 3.0 document of the server a module creates, without starting a listener.
The module default-exports its server, or serves it with serve() from sockeon-ts/serve.

Options:
  --format yaml|json   output format (default yaml)
  --openapi            print the OpenAPI 3.1 document of the HTTP routes instead
  --title TEXT         info.title
  --version TEXT       info.version
  --host HOST          public host[:port] for the servers entry (default the server's host:port)
  --protocol ws|wss    protocol of that entry (default ws)
  -h, --help           this text
`;

/** A parsed command line, or an error text. */
export interface CliArgs {
  module: string;
  format: "yaml" | "json";
  openapi: boolean;
  info: AsyncApiInfo;
}

/**
 * Parses `asyncapi <module> [options]`.
 * @returns the arguments, or a string saying what is wrong
 * @example parseArgs(["asyncapi", "server.ts", "--format", "json"])
 */
export function parseArgs(args: readonly string[]): CliArgs | string {
  const [command, ...rest] = args;
  if (command !== "asyncapi") return command === undefined ? "missing command" : `unknown command ${JSON.stringify(command)}`;
  let module: string | undefined;
  let format: "yaml" | "json" = "yaml";
  let openapi = false;
  const info: AsyncApiInfo = {};
  let host: string | undefined;
  let protocol: "ws" | "wss" = "ws";
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] as string;
    const value = (): string | undefined => rest[++i];
    if (arg === "--openapi") openapi = true;
    else if (arg === "--format") {
      const f = value();
      if (f !== "yaml" && f !== "json") return `--format takes yaml or json, got ${JSON.stringify(f)}`;
      format = f;
    } else if (arg === "--title" || arg === "--version" || arg === "--host") {
      const v = value();
      if (v === undefined || v === "") return `${arg} takes a value`;
      if (arg === "--host") host = v;
      else info[arg === "--title" ? "title" : "version"] = v;
    } else if (arg === "--protocol") {
      const p = value();
      if (p !== "ws" && p !== "wss") return `--protocol takes ws or wss, got ${JSON.stringify(p)}`;
      protocol = p;
    } else if (arg.startsWith("-")) return `unknown option ${arg}`;
    else if (module === undefined) module = arg;
    else return `unexpected argument ${JSON.stringify(arg)}`;
  }
  if (module === undefined) return "missing <server-module>";
  if (host !== undefined) info.servers = { default: { host, protocol } };
  return { module, format, openapi, info };
}

const isServer = (value: unknown): value is SockeonServer =>
  typeof value === "object" &&
  value !== null &&
  typeof (value as SockeonServer).asyncapi === "function" &&
  typeof (value as SockeonServer).openapi === "function";

/** Imports the module with `serve()` captured and console output sent to stderr; returns its server. */
async function loadServer(modulePath: string): Promise<SockeonServer> {
  const captured: SockeonServer[] = [];
  const key = Symbol.for("sockeon-ts.serve-capture");
  (globalThis as Record<symbol, unknown>)[key] = (server: SockeonServer, options: { port?: number; hostname?: string }) => {
    captured.push(server);
    return {
      port: options.port ?? server.options.port,
      hostname: options.hostname ?? server.options.host,
      stop: async () => {},
    };
  };
  // stdout carries the document only: the module's own logging goes to stderr
  for (const level of ["log", "info", "debug"] as const) console[level] = (...items: unknown[]) => console.error(...items);
  const cwd = proc.cwd();
  const url = new URL(modulePath, `file://${cwd.endsWith("/") ? cwd : `${cwd}/`}`).href;
  const mod = (await import(url)) as { default?: unknown };
  const server = isServer(mod.default) ? mod.default : captured[0];
  if (!server)
    throw new Error(`${modulePath} neither default-exports a server nor calls serve(server) from sockeon-ts/serve while loading`);
  return server;
}

/** Runs the CLI on `process.argv`. */
async function main(): Promise<void> {
  const args = proc.argv.slice(2);
  if (args.includes("-h") || args.includes("--help")) {
    proc.stdout.write(USAGE);
    return;
  }
  const parsed = parseArgs(args);
  if (typeof parsed === "string") {
    proc.stderr.write(`sockeon-ts: ${parsed}\n\n${USAGE}`, () => proc.exit(2));
    return;
  }
  let server: SockeonServer;
  try {
    server = await loadServer(parsed.module);
  } catch (error) {
    proc.stderr.write(`sockeon-ts: cannot load ${parsed.module}: ${(error as Error)?.stack ?? error}\n`, () => proc.exit(1));
    return;
  }
  const doc = parsed.openapi ? server.openapi(parsed.info) : server.asyncapi(parsed.info);
  const text = parsed.format === "json" ? `${JSON.stringify(doc, null, 2)}\n` : toYaml(doc);
  // exit once written: the module may hold timers or handles that would keep the process alive
  proc.stdout.write(text, () => proc.exit(0));
}

await main();
