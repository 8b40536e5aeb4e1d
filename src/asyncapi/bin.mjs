#!/usr/bin/env node
// The `sockeon-ts` command: runs cli.ts, on Node through tsx (which also loads the user's .ts server module),
// on Bun and Deno directly.
const g = globalThis;
if (g.Bun === undefined && g.Deno === undefined) {
  const { register } = await import("tsx/esm/api");
  register();
}
await import("./cli.ts");
