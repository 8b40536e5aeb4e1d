import type { IncomingData } from "../../src/engine/connection.ts";
import { Session, type SessionHost } from "../../src/engine/session.ts";
import { FakeConnection, type FakeConnectionOptions } from "../support/fake-connection.ts";
import { describe, expect, test } from "../support/test.ts";

class FakeHost implements SessionHost {
  readonly received: IncomingData[] = [];
  readonly released: Array<[number, string]> = [];
  readonly scheduled: Session[] = [];
  readonly overflows: number[] = [];
  readonly watched: Session[] = [];
  /** What the connection had written when release ran. */
  writtenAtRelease = -1;
  connection?: FakeConnection;
  // frames from the client go to the dispatcher: this one records them
  readonly dispatcher = { dispatch: (_session: Session, raw: IncomingData): void => void this.received.push(raw) };
  socketClosed(): void {}
  release(_session: Session, code: number, reason: string): void {
    this.released.push([code, reason]);
    this.writtenAtRelease = this.connection?.sent.length ?? -1;
  }
  scheduleFlush(session: Session): void {
    this.scheduled.push(session);
  }
  watchDrain(session: Session): void {
    this.watched.push(session);
  }
  overflow(_session: Session, bufferedBytes: number): void {
    this.overflows.push(bufferedBytes);
  }
}

function setup(options: FakeConnectionOptions = {}, maxBuffered = 1000) {
  const host = new FakeHost();
  const connection = new FakeConnection(options);
  host.connection = connection;
  const session = new Session(host, connection, "id-1", "127.0.0.1", maxBuffered);
  // the adapter holds the session itself as its handle
  return { host, connection, session, handle: session };
}

describe("Session: one outbound queue per connection", () => {
  test("sends queue until the host flushes them, in order; one flush is scheduled per batch", () => {
    const { host, connection, session } = setup();
    session.send("a");
    session.send("b");
    session.send("c");
    expect(connection.sent).toEqual([]);
    expect(session.queued).toBe(3);
    expect(host.scheduled).toEqual([session]);
    session.flush();
    expect(connection.sent).toEqual(["a", "b", "c"]);
    expect(session.queued).toBe(0);
    session.send("d");
    expect(host.scheduled).toHaveLength(2);
    session.flush();
    session.flush();
    expect(connection.sent).toEqual(["a", "b", "c", "d"]);
  });

  test("a flush writes the whole batch inside one cork where the runtime offers it", () => {
    const { connection, session } = setup({ cork: true });
    for (const frame of ["1", "2", "3"]) session.send(frame);
    session.flush();
    expect(connection.corks).toEqual([3]);
    session.flush();
    expect(connection.corks).toEqual([3]);
  });

  test("close() flushes what is queued, then closes, then releases once; later sends are dropped", () => {
    const { host, connection, session, handle } = setup();
    session.send("last words");
    session.close(4000, "bye");
    expect(connection.sent).toEqual(["last words"]);
    expect(connection.closes).toEqual([{ code: 4000, reason: "bye" }]);
    expect(host.released).toEqual([[4000, "bye"]]);
    expect(host.writtenAtRelease).toBe(1);
    expect(session.state).toBe("closed");
    session.send("too late");
    session.flush();
    session.close();
    handle.closed(1000, "peer answered");
    expect(connection.sent).toEqual(["last words"]);
    expect(connection.closes).toHaveLength(1);
    expect(host.released).toHaveLength(1);
  });

  test("close() defaults to 1000 and still releases when the socket is already gone", () => {
    const { host, connection, session } = setup();
    connection.failClose = true;
    session.close();
    expect(connection.closes).toEqual([{ code: 1000, reason: "" }]);
    expect(host.released).toEqual([[1000, ""]]);
  });

  test("closed() from the adapter drops the queue (the socket is gone) and releases with the peer's code", () => {
    const { host, connection, session, handle } = setup();
    session.send("never written");
    handle.closed(1001, "going away");
    session.flush();
    expect(connection.sent).toEqual([]);
    expect(connection.closes).toEqual([]);
    expect(host.released).toEqual([[1001, "going away"]]);
    const other = setup();
    other.handle.closed();
    expect(other.host.released).toEqual([[1005, ""]]);
  });

  test("frames arriving after the close are ignored", () => {
    const { host, handle } = setup();
    handle.message("one");
    handle.closed(1000);
    handle.message("two");
    expect(host.received).toEqual(["one"]);
  });

  test("a refused write (Bun returns 0) is kept for a retry; a buffer over the limit is watched; over 4x the limit is cut", () => {
    const refused = setup({ sendResult: 0 });
    refused.session.send("x");
    refused.session.flush();
    expect([refused.host.overflows, refused.session.queued, refused.host.watched.length]).toEqual([[], 1, 1]);

    const queued = setup({ sendResult: -1, bufferedAmount: 1000 }, 1000);
    queued.session.send("x");
    queued.session.flush();
    expect([queued.host.overflows, queued.host.watched.length]).toEqual([[], 0]);

    const over = setup({ bufferedAmount: 1001 }, 1000);
    over.session.send("x");
    over.session.flush();
    expect([over.host.overflows, over.host.watched.length]).toEqual([[], 1]);

    const full = setup({ bufferedAmount: 4001 }, 1000);
    full.session.send("x");
    full.session.flush();
    expect(full.host.overflows).toEqual([4001]);
  });

  test("exposes id, address, connect time and the raw socket", () => {
    const { connection, session } = setup();
    expect(session.id).toBe("id-1");
    expect(session.ip).toBe("127.0.0.1");
    expect(Number.isInteger(session.connectedAt)).toBe(true);
    expect(session.raw).toBe(connection.raw);
    expect(session.state).toBe("open");
  });
});
