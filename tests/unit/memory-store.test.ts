import { MemoryStore } from "../../src/rate-limit/memory-store.ts";
import { describe, expect, test } from "../support/test.ts";

describe("MemoryStore", () => {
  test("sliding window: hits within the window count; over the limit is refused and not recorded", async () => {
    const store = new MemoryStore();
    const t = 1_000_000;
    expect(await store.hit("k", 1000, t, 2)).toEqual({ allowed: true, count: 1, resetAt: t + 1000 });
    expect(await store.hit("k", 1000, t + 100, 2)).toEqual({ allowed: true, count: 2, resetAt: t + 1000 });
    expect(await store.hit("k", 1000, t + 200, 2)).toEqual({ allowed: false, count: 2, resetAt: t + 1000 });
    // a hit exactly window ms old still counts (Sockeon keeps age <= window)
    expect((await store.hit("k", 1000, t + 1000, 2)).allowed).toBe(false);
    // once the first hit left the window a slot frees; refused hits did not extend it
    expect(await store.hit("k", 1000, t + 1001, 2)).toEqual({ allowed: true, count: 2, resetAt: t + 1100 });
    expect((await store.hit("other", 1000, t + 1001, 2)).count).toBe(1);
  });

  test("without a limit every hit is recorded", async () => {
    const store = new MemoryStore();
    for (let i = 0; i < 5; i++) await store.hit("k", 1000, 10 + i);
    expect((await store.hit("k", 1000, 20)).count).toBe(6);
  });

  test("memory stays bounded: idle keys are swept, long logs compacted", async () => {
    const store = new MemoryStore({ sweepIntervalMs: 500 });
    for (let i = 0; i < 1000; i++) store.hitSync(`client-${i}`, 100, 1000, 10);
    expect(store.size).toBe(1000);
    store.hitSync("late", 100, 1600, 10);
    expect(store.size).toBe(1);
    for (let i = 0; i < 10_000; i++) store.hitSync("busy", 50, 2000 + i, 100);
    expect(store.hitSync("busy", 50, 12_000, 100).count).toBeLessThanOrEqual(52);
    await store.clear();
    expect(store.size).toBe(0);
  });
});
