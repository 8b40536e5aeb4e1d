#!/usr/bin/env node
// The `sockeon-ts` command: runs the CLI (built cli.js from the package, cli.ts in this repository). On Node, a
// user's .ts server module loads through tsx when it is installed; Bun and Deno load .ts themselves.
import { existsSync } from "node:fs";

const g = globalThis;
if (g.Bun === undefined && g.Deno === undefined) {
  try {
    const { register } = await import("tsx/esm/api");
    register();
  } catch {
    // without tsx, Node loads .js server modules only; the CLI says so when a .ts module fails to load
  }
}
const built = new URL("./cli.js", import.meta.url);
await import(existsSync(built) ? built.href : new URL("./cli.ts", import.meta.url).href);
