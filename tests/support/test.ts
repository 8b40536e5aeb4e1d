/**
 * The test API every test file imports: bun:test under `bun test`, the same API on Deno.test under
 * `deno test`, and on node:test under `node --test`, so one test file runs on all three runtimes.
 */
import type * as BunTest from "bun:test";

type Api = Pick<typeof BunTest, "describe" | "test" | "expect" | "beforeAll" | "afterAll" | "beforeEach" | "afterEach">;

const g = globalThis as { Bun?: unknown; Deno?: unknown };
// computed specifiers: tsc has no Deno types, and bun:test only resolves under bun
const denoShim = "./bdd.deno.ts";
const bunTest = "bun:test";
const api: Api =
  g.Bun !== undefined
    ? await import(bunTest)
    : g.Deno !== undefined
      ? await import(denoShim)
      : ((await import("./bdd-node.ts")) as unknown as Api);

export const { describe, test, expect, beforeAll, afterAll, beforeEach, afterEach } = api;

/** Which runtime runs the tests. */
export const runtime: "bun" | "deno" | "node" = g.Bun !== undefined ? "bun" : g.Deno !== undefined ? "deno" : "node";
