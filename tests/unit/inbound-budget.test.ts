import type { IncomingData } from "../../src/engine/connection.ts";
import { InboundBudget } from "../../src/engine/inbound-budget.ts";
import { describe, expect, test } from "../support/test.ts";

const nextTurn = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

function budget(maxFramesPerTurn: number, maxQueuedFrames = 100, maxQueuedBytes = 1 << 20) {
  const dispatched: IncomingData[] = [];
  let overflowed = 0;
  const b = new InboundBudget(
    { maxFramesPerTurn, maxQueuedFrames, maxQueuedBytes },
    (data) => dispatched.push(data),
    () => overflowed++,
  );
  // what Inbound does: dispatch at once when admitted
  const push = (data: IncomingData) => b.admit(data) && dispatched.push(data);
  return { b, push, dispatched, overflows: () => overflowed };
}

describe("InboundBudget: fairness per connection", () => {
  test("a batch per turn is admitted at once; the rest waits and is dispatched in order over later turns", async () => {
    const { b, push, dispatched } = budget(3);
    for (let i = 0; i < 10; i++) push(String(i));
    expect(dispatched).toEqual(["0", "1", "2"]);
    expect(b.queued).toBe(7);
    while (b.queued > 0) await nextTurn();
    expect(dispatched).toEqual(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]);
    // nothing waits any more: a new frame in a new turn goes straight through
    await nextTurn();
    push("10");
    expect(dispatched.at(-1)).toBe("10");
  });

  test("over maxQueuedFrames or maxQueuedBytes the connection overflows once and later frames are dropped", async () => {
    const frames = budget(1, 5);
    for (let i = 0; i < 20; i++) frames.push("x");
    expect(frames.overflows()).toBe(1);
    expect(frames.b.queued).toBe(0);
    await nextTurn();
    expect(frames.dispatched.length).toBe(1);
    const bytes = budget(1, 100, 10);
    bytes.push("a");
    bytes.push("123456");
    expect(bytes.overflows()).toBe(0);
    bytes.push(new Uint8Array(5));
    expect(bytes.overflows()).toBe(1);
  });

  test("stop() drops what waits", async () => {
    const { b, push, dispatched } = budget(1);
    push("a");
    push("b");
    b.stop();
    await nextTurn();
    expect(dispatched).toEqual(["a"]);
  });
});
