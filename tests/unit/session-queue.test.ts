import type { Connection } from "../../src/engine/connection.ts";
import { Session, type SessionHost } from "../../src/engine/session.ts";
import { describe, expect, test } from "../support/test.ts";

/** A connection that records what reached the "socket", and whether it was inside a cork. */
function fakeConnection(result: number | undefined = undefined, backlog = 0) {
  const log: string[] = [];
  let corked = false;
  const connection: Connection = {
    send(frame) {
      log.push(corked ? `corked:${frame}` : frame);
      return result;
    },
    close: (code) => log.push(`close:${code}`),
    bufferedAmount: () => backlog,
    cork(writes) {
      corked = true;
      writes();
      corked = false;
    },
    raw: null,
  };
  return { connection, log };
}

function fakeHost(onReceive: (session: Session) => void = () => {}) {
  const calls = { flushes: [] as unknown[], overflows: 0, released: 0, watched: 0 };
  const host: SessionHost = {
    dispatcher: { dispatch: (session) => onReceive(session as Session) },
    socketClosed() {},
    release: () => void calls.released++,
    scheduleFlush: (session) => void calls.flushes.push(session),
    watchDrain: () => void calls.watched++,
    overflow: (session) => {
      calls.overflows++;
      session.close(1008);
    },
  };
  // a frame from the client, as the adapter delivers it: the session is the socket's handle
  const message = (session: Session, raw: string): void => session.message(raw);
  return { host, calls, message };
}

describe("Session outbound queue", () => {
  test("hold: frames (the direct reply too) wait until the promise settles, then go out in order; close writes them", async () => {
    const { connection, log } = fakeConnection();
    const { host, calls } = fakeHost((session) => {
      session.send("ack");
    });
    const session = new Session(host, connection, "id", null, 1024);
    let release: () => void = () => {};
    session.hold(new Promise<void>((resolve) => (release = resolve)));
    session.message('{"event":"x","data":{}}');
    session.send("b");
    session.flush();
    expect(log).toEqual([]);
    const flushesBefore = calls.flushes.length;
    release();
    await new Promise((r) => setTimeout(r, 0));
    expect(calls.flushes.length).toBe(flushesBefore + 1);
    session.flush();
    expect(log).toEqual(["corked:ack", "corked:b"]);
    // a hold that never settles does not keep frames from a close
    session.hold(new Promise<void>(() => {}));
    session.send("last");
    session.close(1000);
    expect(log).toEqual(["corked:ack", "corked:b", "last", "close:1000"]);
  });

  test("frames are queued until flush, then written in order inside one cork; a lone frame is not corked", () => {
    const { connection, log } = fakeConnection();
    const { host, calls } = fakeHost();
    const session = new Session(host, connection, "id", null, 1024);
    session.send("a");
    session.send("b");
    session.send("c");
    expect(log).toEqual([]);
    expect(calls.flushes.length).toBe(1);
    session.flush();
    expect(log).toEqual(["corked:a", "corked:b", "corked:c"]);
    session.send("d");
    session.flush();
    expect(log.at(-1)).toBe("d");
    expect(session.queued).toBe(0);
  });

  test("the first reply to the socket being handled is written at once; later frames queue behind it", () => {
    const { connection, log } = fakeConnection();
    const { host, message } = fakeHost((s) => {
      s.send("reply");
      s.send("second");
    });
    const session = new Session(host, connection, "id", null, 1024);
    message(session, "{}");
    expect(log).toEqual(["reply"]);
    expect(session.queued).toBe(1);
    session.flush();
    expect(log).toEqual(["reply", "second"]);
  });

  test("a frame that waited for a later turn (over maxFramesPerTurn) has its reply queued for the corked flush", async () => {
    const { connection, log } = fakeConnection();
    let n = 0;
    const { host, calls } = fakeHost((s) => s.send(`reply ${n++}`));
    const limited: SessionHost = { ...host, options: { maxFramesPerTurn: 1, maxQueuedFrames: 10, maxQueuedBytes: 1 << 20 } };
    const session = new Session(limited, connection, "id", null, 1024);
    session.message("{}");
    session.message("{}");
    // the first frame's reply is written at once, inside the runtime's read; the second frame waits
    expect(log).toEqual(["reply 0"]);
    // the waiting frame is dispatched in an immediate scheduled before this one
    await new Promise((resolve) => setImmediate(resolve));
    expect([log, session.queued, calls.flushes.length]).toEqual([["reply 0"], 1, 1]);
    session.flush();
    expect(log).toEqual(["reply 0", "reply 1"]);
  });

  test("a reply never overtakes frames already queued for that socket", () => {
    const { connection, log } = fakeConnection();
    const { host, message } = fakeHost((s) => s.send("reply"));
    const session = new Session(host, connection, "id", null, 1024);
    session.send("earlier");
    message(session, "{}");
    expect(log).toEqual([]);
    session.flush();
    expect(log).toEqual(["corked:earlier", "corked:reply"]);
  });

  test("a refused write (Bun returns 0) is kept, not dropped: the session stays open and watches its backlog", () => {
    const { connection, log } = fakeConnection(0);
    const { host, calls } = fakeHost();
    const session = new Session(host, connection, "id", null, 1024);
    session.send("x");
    session.send("y");
    session.flush();
    // the refused frame and everything after it wait, in order
    expect([log, session.queued, calls.watched, calls.overflows]).toEqual([["corked:x"], 2, 1, 0]);
    expect(session.state).toBe("open");
  });

  test("a backlog over 4x the limit closes the session, whether the runtime says -1 or nothing", () => {
    for (const result of [-1, undefined]) {
      const { connection, log } = fakeConnection(result, 4097);
      const { host, calls } = fakeHost();
      const session = new Session(host, connection, "id", null, 1024);
      session.send("x");
      session.flush();
      expect([calls.overflows, log.at(-1)]).toEqual([1, "close:1008"]);
    }
    // over the limit but within the burst cap: watched, not closed
    const over = fakeConnection(-1, 2048);
    const watching = fakeHost();
    const kept = new Session(watching.host, over.connection, "id", null, 1024);
    kept.send("x");
    kept.flush();
    expect([watching.calls.overflows, watching.calls.watched]).toEqual([0, 1]);
    // bytes reported written mean no backlog: the limit is not even asked
    const { connection } = fakeConnection(10, 8192);
    const { host, calls } = fakeHost();
    const session = new Session(host, connection, "id", null, 1024);
    session.send("x");
    session.flush();
    expect(calls.overflows).toBe(0);
  });

  test("close flushes what is queued before the close frame", () => {
    const { connection, log } = fakeConnection();
    const { host, calls } = fakeHost();
    const session = new Session(host, connection, "id", null, 1024);
    session.send("1");
    session.send("2");
    session.close(4000);
    expect(log).toEqual(["corked:1", "corked:2", "close:4000"]);
    expect(calls.released).toBe(1);
  });
});
