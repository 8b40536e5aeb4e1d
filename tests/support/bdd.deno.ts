/// <reference lib="deno.ns" />
import { expect } from "./expect.ts";

/** bun:test's API on Deno.test: one Deno test per `test()`, so `deno test` counts tests, not suites. */
type Hook = () => unknown;
interface Suite {
  name: string;
  parent?: Suite;
  beforeAll: Hook[];
  afterAll: Hook[];
  beforeEach: Hook[];
  afterEach: Hook[];
  tests: number;
  run: number;
  started: boolean;
}
const root: Suite = { name: "", beforeAll: [], afterAll: [], beforeEach: [], afterEach: [], tests: 0, run: 0, started: false };
let current = root;

function chain(s: Suite): Suite[] {
  const out: Suite[] = [];
  for (let x: Suite | undefined = s; x; x = x.parent) out.unshift(x);
  return out;
}

export function describe(name: string, fn: () => void): void {
  const suite: Suite = {
    name,
    parent: current,
    beforeAll: [],
    afterAll: [],
    beforeEach: [],
    afterEach: [],
    tests: 0,
    run: 0,
    started: false,
  };
  current = suite;
  try {
    fn();
  } finally {
    current = suite.parent ?? root;
  }
}

export function test(name: string, fn: () => unknown, timeout?: number): void {
  const suite = current;
  const suites = chain(suite);
  for (const s of suites) s.tests++;
  const fullName = [...suites.map((s) => s.name).filter(Boolean), name].join(" > ");
  Deno.test({
    name: fullName,
    sanitizeOps: false,
    sanitizeResources: false,
    sanitizeExit: false,
    async fn() {
      for (const s of suites) {
        if (!s.started) {
          s.started = true;
          for (const h of s.beforeAll) await h();
        }
      }
      try {
        for (const s of suites) for (const h of s.beforeEach) await h();
        const run = Promise.resolve(fn());
        if (timeout) {
          let timer: ReturnType<typeof setTimeout> | undefined;
          await Promise.race([
            run,
            new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${timeout} ms`)), timeout))),
          ]).finally(() => clearTimeout(timer));
        } else await run;
      } finally {
        for (const s of [...suites].reverse()) for (const h of s.afterEach) await h();
        for (const s of [...suites].reverse()) {
          if (++s.run === s.tests) for (const h of s.afterAll) await h();
        }
      }
    },
  });
}

export const beforeAll = (fn: Hook): void => void current.beforeAll.push(fn);
export const afterAll = (fn: Hook): void => void current.afterAll.push(fn);
export const beforeEach = (fn: Hook): void => void current.beforeEach.push(fn);
export const afterEach = (fn: Hook): void => void current.afterEach.push(fn);
export { expect };
