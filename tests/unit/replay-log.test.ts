import fc from "fast-check";
import { ReplayLog } from "../../src/engine/replay-log.ts";
import { describe, expect, test } from "../support/test.ts";

const frames = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `f${from + i}`);

describe("ReplayLog", () => {
  test("numbers frames from 1 and gives back what follows an offset, in order", () => {
    const log = new ReplayLog({ maxFrames: 10, maxBytes: 1000 });
    for (const f of frames(1, 5)) expect(log.add(f)).toBe(true);
    expect(log.offset).toBe(5);
    expect(log.since(5)).toEqual([]);
    expect(log.since(2)).toEqual(frames(3, 5));
    expect(log.since(0)).toEqual(frames(1, 5));
    expect(log.since(6)).toBeUndefined();
    expect(log.since(-1)).toBeUndefined();
    expect(log.since(Number.NaN)).toBeUndefined();
    expect(log.since(1.5)).toBeUndefined();
  });

  test("live, it is a ring: over a cap (frames or bytes) the oldest frames go", () => {
    const log = new ReplayLog({ maxFrames: 3, maxBytes: 1000 });
    for (const f of frames(1, 5)) expect(log.add(f)).toBe(true);
    expect(log.size).toBe(3);
    expect(log.covers(1)).toBe(false);
    expect(log.since(2)).toEqual(frames(3, 5));
    const bytes = new ReplayLog({ maxFrames: 100, maxBytes: 6 });
    for (const f of frames(1, 5)) bytes.add(f); // 2 units each
    expect(bytes.bytes).toBe(6);
    expect(bytes.since(2)).toEqual(frames(3, 5));
  });

  test("suspended, dropping a frame sent after the suspension gives recovery up; older ones may go", () => {
    const log = new ReplayLog({ maxFrames: 3, maxBytes: 1000 });
    for (const f of frames(1, 3)) log.add(f);
    log.suspend();
    expect(log.suspended).toBe(true);
    expect(log.add("f4")).toBe(true); // drops f1, sent before the suspension
    expect(log.add("f5")).toBe(true);
    expect(log.add("f6")).toBe(true);
    expect(log.add("f7")).toBe(false); // would drop f4
  });

  test("resumed: frames the client has are dropped and the log is live again", () => {
    const log = new ReplayLog({ maxFrames: 10, maxBytes: 1000 });
    for (const f of frames(1, 6)) log.add(f);
    log.suspend();
    log.resumed(4);
    expect(log.suspended).toBe(false);
    expect(log.size).toBe(2);
    expect(log.since(4)).toEqual(frames(5, 6));
    log.add("f7");
    expect(log.since(4)).toEqual(frames(5, 7));
  });

  test("any sequence of adds: since(offset) is exactly the retained tail, within the caps", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 0, max: 400 }),
        (max, n, at) => {
          const log = new ReplayLog({ maxFrames: max, maxBytes: 1 << 20 });
          const all = frames(1, n);
          for (const f of all) log.add(f);
          expect(log.size).toBe(Math.min(max, n));
          const offset = Math.min(at, n);
          const tail = log.since(offset);
          if (offset >= n - Math.min(max, n)) expect(tail).toEqual(all.slice(offset));
          else expect(tail).toBeUndefined();
        },
      ),
    );
  });
});
