import { isDeepStrictEqual } from "node:util";

/** A subset of bun:test's `expect`, for running the same test files under `node --test` and `deno test`. */
type Matchers = Record<string, (...args: any[]) => any>;

function fail(message: string): never {
  throw new Error(message);
}

function show(value: unknown): string {
  try {
    return typeof value === "string" ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  } catch {
    return String(value);
  }
}

function plain(value: unknown): unknown {
  // bun's toEqual ignores prototypes (null-prototype records equal object literals) and undefined properties
  if (Array.isArray(value)) return value.map(plain);
  if (
    value &&
    typeof value === "object" &&
    !(value instanceof Date) &&
    !(value instanceof RegExp) &&
    !ArrayBuffer.isView(value)
  ) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = plain(v);
    return out;
  }
  return value;
}

function matchesObject(actual: unknown, expected: unknown): boolean {
  if (expected && typeof expected === "object" && !Array.isArray(expected)) {
    if (!actual || typeof actual !== "object") return false;
    return Object.entries(expected).every(([k, v]) => matchesObject((actual as Record<string, unknown>)[k], v));
  }
  return isDeepStrictEqual(plain(actual), plain(expected));
}

function build(actual: unknown, negate: boolean): Matchers {
  const check = (ok: boolean, message: string): void => {
    if (ok === negate) fail(negate ? `expected not: ${message}` : message);
  };
  const m: Matchers = {
    toBe: (e: unknown) => check(Object.is(actual, e), `expected ${show(actual)} to be ${show(e)}`),
    toEqual: (e: unknown) => check(isDeepStrictEqual(plain(actual), plain(e)), `expected ${show(actual)} to equal ${show(e)}`),
    toStrictEqual: (e: unknown) => check(isDeepStrictEqual(actual, e), `expected ${show(actual)} to strictly equal ${show(e)}`),
    toMatchObject: (e: unknown) => check(matchesObject(actual, e), `expected ${show(actual)} to match ${show(e)}`),
    toBeNull: () => check(actual === null, `expected ${show(actual)} to be null`),
    toBeUndefined: () => check(actual === undefined, `expected ${show(actual)} to be undefined`),
    toBeDefined: () => check(actual !== undefined, "expected a defined value"),
    toBeTruthy: () => check(!!actual, `expected ${show(actual)} to be truthy`),
    toBeFalsy: () => check(!actual, `expected ${show(actual)} to be falsy`),
    toBeTypeOf: (t: string) => check(typeof actual === t, `expected typeof ${show(actual)} to be ${t}`),
    toBeInstanceOf: (c: new (...a: never[]) => unknown) =>
      check(actual instanceof c, `expected ${show(actual)} to be a ${c.name}`),
    toBeGreaterThan: (n: number) => check((actual as number) > n, `expected ${show(actual)} > ${n}`),
    toBeGreaterThanOrEqual: (n: number) => check((actual as number) >= n, `expected ${show(actual)} >= ${n}`),
    toBeLessThan: (n: number) => check((actual as number) < n, `expected ${show(actual)} < ${n}`),
    toBeLessThanOrEqual: (n: number) => check((actual as number) <= n, `expected ${show(actual)} <= ${n}`),
    toHaveLength: (n: number) => check((actual as { length: number }).length === n, `expected length ${n}, got ${show(actual)}`),
    toHaveProperty: (k: string, v?: unknown) =>
      check(
        actual != null &&
          k in Object(actual) &&
          (v === undefined || isDeepStrictEqual(plain((actual as Record<string, unknown>)[k]), plain(v))),
        `expected ${show(actual)} to have property ${k}`,
      ),
    toContain: (e: unknown) =>
      check(
        typeof actual === "string" ? actual.includes(e as string) : (actual as unknown[]).some((x) => Object.is(x, e)),
        `expected ${show(actual)} to contain ${show(e)}`,
      ),
    toContainEqual: (e: unknown) =>
      check(
        (actual as unknown[]).some((x) => isDeepStrictEqual(plain(x), plain(e))),
        `expected ${show(actual)} to contain ${show(e)}`,
      ),
    toMatch: (re: RegExp | string) =>
      check(
        typeof actual === "string" && (typeof re === "string" ? actual.includes(re) : re.test(actual)),
        `expected ${show(actual)} to match ${re}`,
      ),
    toThrow: (e?: string | RegExp | (new (...a: never[]) => Error)) => {
      let thrown: unknown;
      let threw = false;
      try {
        (actual as () => unknown)();
      } catch (error) {
        threw = true;
        thrown = error;
      }
      check(
        threw && errorMatches(thrown, e),
        `expected function to throw ${e ?? ""}, got ${threw ? String(thrown) : "no error"}`,
      );
    },
  };
  return m;
}

function errorMatches(thrown: unknown, e?: string | RegExp | (new (...a: never[]) => Error)): boolean {
  if (e === undefined) return true;
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  if (typeof e === "string") return message.includes(e);
  if (e instanceof RegExp) return e.test(message);
  return thrown instanceof e;
}

/** bun:test-compatible `expect` (the subset above, plus `.not`, `.resolves`, `.rejects`). */
export function expect(actual: unknown): any {
  const base = build(actual, false) as any;
  base.not = build(actual, true);
  base.resolves = new Proxy(
    {},
    {
      get:
        (_t, name: string) =>
        async (...args: unknown[]) =>
          (build(await (actual as Promise<unknown>), false)[name] as any)(...args),
    },
  );
  base.rejects = new Proxy(
    {},
    {
      get:
        (_t, name: string) =>
        async (...args: unknown[]) => {
          let error: unknown;
          try {
            await (actual as Promise<unknown>);
          } catch (e) {
            error = e;
            if (name === "toThrow")
              return (
                build(() => {
                  throw e;
                }, false).toThrow as (...a: unknown[]) => void
              )(...args);
            return (build(e, false)[name] as any)(...args);
          }
          fail(`expected promise to reject, it resolved${error === undefined ? "" : ""}`);
        },
    },
  );
  return base;
}
