import type { Connection } from "../../src/engine/connection.ts";
import { FlushQueue } from "../../src/engine/flush-queue.ts";
import { BURST_FACTOR, type Outbound, STALL_MS } from "../../src/engine/outbound.ts";
import { Session, type SessionHost } from "../../src/engine/session.ts";
import { describe, expect, test } from "../support/test.ts";

const LIMIT = 100;

/**
 * A socket whose runtime buffer the test drives: every frame written adds to `buffered` (the peer has not read
 * it yet); `read()` is the peer reading everything; `refuse` makes `send` answer 0 as Bun does when full.
 */
function socket() {
  const s = {
    sent: [] as string[],
    closes: [] as number[],
    buffered: 0,
    refuse: false,
    read: () => void (s.buffered = 0),
  };
  const connection: Connection = {
    send(frame) {
      if (s.refuse) return 0;
      s.sent.push(frame);
      s.buffered += frame.length;
      return -1;
    },
    close: (code) => void s.closes.push(code ?? 1005),
    bufferedAmount: () => s.buffered,
    raw: null,
  };
  return { s, connection };
}

function setup() {
  const { s, connection } = socket();
  const cuts: Array<{ bytes: number; why: string | undefined }> = [];
  let watched = 0;
  const host: SessionHost = {
    dispatcher: { dispatch() {} },
    socketClosed() {},
    release() {},
    scheduleFlush() {},
    watchDrain: () => void watched++,
    overflow(session: Outbound, bytes: number, why?: string) {
      cuts.push({ bytes, why });
      session.close(1008, "Outbound buffer limit exceeded");
    },
  };
  const session = new Session(host, connection, "c1", null, LIMIT);
  return { s, session, cuts, watched: () => watched };
}

/** `count` frames `f0`, `f1`, ... padded to `size` characters. */
const frames = (count: number, size: number): string[] => Array.from({ length: count }, (_, i) => `f${i}`.padEnd(size, "."));

describe("Outbound backlog: bursts to a reading client, cuts for a stalled one", () => {
  test("a turn over the limit writes up to the limit, holds the rest in order, and writes it as the socket drains", () => {
    const { s, session, cuts, watched } = setup();
    const all = frames(10, 30);
    for (const f of all) session.send(f);
    session.flush();
    // 4 x 30 bytes: the first chunk that reaches the limit; the other 6 wait
    expect([s.sent.length, session.queued, watched()]).toEqual([4, 6, 1]);
    const t0 = Date.now();
    s.read();
    expect(session.drain(t0 + 10)).toBe(true);
    expect(s.sent.length).toBe(8);
    s.read();
    // the last 2 written and 60 bytes left in the runtime: within the limit, nothing more to watch
    expect(session.drain(t0 + 20)).toBe(false);
    expect(s.sent).toEqual(all);
    expect([cuts, s.closes, session.state]).toEqual([[], [], "open"]);
  });

  test(`a socket that writes nothing out for ${STALL_MS} ms while over the limit is cut, its backlog dropped`, () => {
    const { s, session, cuts } = setup();
    for (const f of frames(10, 30)) session.send(f);
    session.flush();
    const t0 = Date.now();
    expect(session.drain(t0 + STALL_MS - 100)).toBe(true);
    expect(session.drain(t0 + STALL_MS + 100)).toBe(false);
    expect(cuts).toEqual([{ bytes: 6 * 30 + 120, why: `nothing written for ${STALL_MS} ms` }]);
    // the held frames were dropped, not written before the close frame
    expect([s.sent.length, s.closes, session.state]).toEqual([4, [1008], "closed"]);
  });

  test("any bytes written out restart the stall clock", () => {
    const { s, session, cuts } = setup();
    for (const f of frames(10, 30)) session.send(f);
    session.flush();
    const t0 = Date.now();
    s.buffered -= 1;
    expect(session.drain(t0 + STALL_MS - 100)).toBe(true);
    expect(session.drain(t0 + STALL_MS + 100)).toBe(true);
    expect(cuts).toEqual([]);
    expect(session.drain(t0 + 2 * STALL_MS)).toBe(false);
    expect(cuts.map((c) => c.why)).toEqual([`nothing written for ${STALL_MS} ms`]);
  });

  test(`more than ${BURST_FACTOR}x the limit unsent (queued plus the runtime's buffer) is cut at once, without writing`, () => {
    const { s, session, cuts } = setup();
    for (const f of frames(13, 30)) session.send(f);
    expect(cuts).toEqual([]);
    session.send("x".repeat(30));
    expect(cuts).toEqual([{ bytes: 14 * 30, why: "over the burst cap" }]);
    expect([s.sent, s.closes]).toEqual([[], [1008]]);
  });

  test("a frame the runtime refuses (Bun's 0) is kept with every later frame, in order, and retried on drain", () => {
    const { s, session, cuts, watched } = setup();
    session.send("a");
    session.flush();
    s.refuse = true;
    session.send("b");
    session.send("c");
    session.flush();
    expect([s.sent, session.queued, watched()]).toEqual([["a"], 2, 1]);
    s.refuse = false;
    s.read();
    expect(session.drain(Date.now())).toBe(false);
    expect([s.sent, cuts]).toEqual([["a", "b", "c"], []]);
  });

  test("a refused reply to the socket being handled is kept too, and later frames queue behind it", () => {
    const { s, connection } = socket();
    let watched = 0;
    const host: SessionHost = {
      dispatcher: { dispatch: (session) => (session as Session).send("reply") },
      socketClosed() {},
      release() {},
      scheduleFlush() {},
      watchDrain: () => void watched++,
      overflow() {},
    };
    const session = new Session(host, connection, "c1", null, LIMIT);
    s.refuse = true;
    session.message("{}");
    session.send("later");
    expect([s.sent, session.queued, watched]).toEqual([[], 2, 1]);
    s.refuse = false;
    session.drain(Date.now());
    expect(s.sent).toEqual(["reply", "later"]);
  });

  test("close() hands every held frame to the runtime before the close frame", () => {
    const { s, session } = setup();
    const all = frames(6, 30);
    for (const f of all) session.send(f);
    session.flush();
    expect(session.queued).toBe(2);
    session.close(1001, "server shutting down");
    expect([s.sent, s.closes]).toEqual([all, [1001]]);
    expect(session.drain(Date.now())).toBe(false);
  });
});

describe("FlushQueue: the backlog timer", () => {
  test("calls drain on watched sessions until each returns false", async () => {
    const queue = new FlushQueue();
    const calls: string[] = [];
    let done: () => void = () => {};
    const finished = new Promise<void>((resolve) => (done = resolve));
    let left = 3;
    const session = {
      flush() {},
      drain: (now: number) => {
        calls.push(typeof now);
        if (--left > 0) return true;
        done();
        return false;
      },
    };
    queue.watch(session);
    queue.watch(session);
    // the queue's timer does not keep a process alive (the sockets do): this bound does, and fails a hang
    let guard: ReturnType<typeof setTimeout> | undefined;
    const hung = new Promise<void>((_, reject) => {
      guard = setTimeout(() => reject(new Error("drain was not called 3 times")), 2000);
    });
    try {
      await Promise.race([finished, hung]);
    } finally {
      clearTimeout(guard);
    }
    expect(calls).toEqual(["number", "number", "number"]);
  });
});
