import { ConfigError } from "../../src/common/errors.ts";
import { ResumeTokens } from "../../src/engine/resume-token.ts";
import { resolveOptions } from "../../src/options/options.ts";
import { describe, expect, test } from "../support/test.ts";

describe("ResumeTokens", () => {
  test("a token is unguessable, single-use, and replaced by a new one", () => {
    const tokens = new ResumeTokens<object>();
    const owner = {};
    const first = tokens.issue(owner);
    expect(first).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const second = tokens.issue(owner);
    expect(second).not.toBe(first);
    expect(tokens.take(first)).toBeUndefined();
    expect(tokens.take(second)).toBe(owner);
    expect(tokens.take(second)).toBeUndefined();
    expect(tokens.size).toBe(0);
  });

  test("restore puts a taken token back once; revoke removes it", () => {
    const tokens = new ResumeTokens<object>();
    const owner = {};
    const token = tokens.issue(owner);
    tokens.take(token);
    tokens.restore(token, owner);
    expect(tokens.take(token)).toBe(owner);
    const next = tokens.issue(owner);
    tokens.revoke(owner);
    expect(tokens.take(next)).toBeUndefined();
  });
});

describe("connectionStateRecovery option", () => {
  test("off by default; true takes the defaults; fields are checked", () => {
    expect(resolveOptions({}).recovery).toBeUndefined();
    expect(resolveOptions({ connectionStateRecovery: true }).recovery).toEqual({
      maxDisconnectionDuration: 120_000,
      maxFrames: 1000,
      maxBytes: 1 << 20,
    });
    expect(
      resolveOptions({ connectionStateRecovery: { maxDisconnectionDuration: 5000 } }).recovery?.maxDisconnectionDuration,
    ).toBe(5000);
    for (const bad of [
      { maxDisconnectionDuration: 0 },
      { maxDisconnectionDuration: "1s" },
      { maxBufferedFrames: -1 },
      { maxBufferedBytes: 1.5 },
      { window: 1 },
      "on",
      null,
      { maxDisconnectionDuration: 2 ** 31 },
    ]) {
      expect(() => resolveOptions({ connectionStateRecovery: bad as never })).toThrow(ConfigError);
    }
    expect(() => resolveOptions({ connectionStateRecovery: { maxDisconnectionDuration: -5 } })).toThrow(
      "Invalid server option connectionStateRecovery.maxDisconnectionDuration: -5 (expected a positive integer)",
    );
  });
});
