import { PublishBatch } from "../../src/scale/publish-batch.ts";
import { describe, expect, test } from "../support/test.ts";

const turn = () => new Promise((r) => setTimeout(r, 5));

describe("PublishBatch", () => {
  test("one message per run of the same channel at the end of the turn, in order; a lone envelope as it is", async () => {
    const sent: Array<[string, string]> = [];
    const batch = new PublishBatch((channel, payload) => sent.push([channel, payload]));
    batch.add("bus", '{"a":1}');
    batch.add("bus", '{"a":2}');
    batch.add("room", '{"b":1}');
    batch.add("bus", '{"a":3}');
    expect(sent).toEqual([]);
    expect(batch.size).toBe(4);
    await turn();
    // never merged across another channel's message: the publish order of one connection holds
    expect(sent).toEqual([
      ["bus", '[{"a":1},{"a":2}]'],
      ["room", '{"b":1}'],
      ["bus", '{"a":3}'],
    ]);
    for (const [, payload] of sent) expect(() => JSON.parse(payload)).not.toThrow();
    expect(batch.size).toBe(0);
    batch.add("bus", '{"a":4}');
    batch.flush();
    expect(sent.at(-1)).toEqual(["bus", '{"a":4}']);
  });

  test("a run stops growing at 64 KiB: a flood becomes several bounded messages, all sent", async () => {
    const sent: string[] = [];
    const batch = new PublishBatch((_channel, payload) => sent.push(payload));
    const big = JSON.stringify({ pad: "x".repeat(10_000) });
    for (let i = 0; i < 20; i++) batch.add("bus", big);
    await turn();
    expect(sent.length).toBeGreaterThan(2);
    for (const payload of sent) expect(payload.length).toBeLessThanOrEqual(64 * 1024 + 2);
    expect(sent.reduce((n, payload) => n + (JSON.parse(payload) as unknown[]).length, 0)).toBe(20);
  });
});
