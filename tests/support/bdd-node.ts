import { after, afterEach, before, beforeEach, describe as nodeDescribe, test as nodeTest } from "node:test";
import { expect } from "./expect.ts";

/** bun:test's API on node:test, for `node --test`. */
export const describe = (name: string, fn: () => void): void => void nodeDescribe(name, fn);
export const test = (name: string, fn: () => unknown, timeout?: number): void =>
  void nodeTest(name, timeout ? { timeout } : {}, async () => void (await fn()));
export const beforeAll = (fn: () => unknown): void => void before(fn);
export const afterAll = (fn: () => unknown): void => void after(fn);
export { afterEach, beforeEach, expect };
