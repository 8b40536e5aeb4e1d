import { Session, type SessionHost } from "../../src/engine/session.ts";
import { Shutdown } from "../../src/engine/shutdown.ts";
import { describe, expect, test } from "../support/test.ts";

describe("Shutdown", () => {
  test("runs accepting hooks, closes sessions, waits for sockets and tasks, then the closed hooks", async () => {
    const shutdown = new Shutdown();
    const log: string[] = [];
    const socket = {};
    shutdown.socketOpened(socket);
    let finishTask: () => void = () => {};
    shutdown.track(new Promise<void>((resolve) => (finishTask = resolve)));
    shutdown.add(() => void log.push("closed hook"));
    shutdown.add(() => void log.push("accepting hook"), "accepting");
    const errors: unknown[] = [];
    const host = {
      closeAllSessions: (code: number, reason: string) => {
        log.push(`close ${code} ${reason}`);
        // the runtime reports the socket closed later, then the disconnect handler finishes
        queueMicrotask(() => {
          log.push("socket closed");
          shutdown.socketClosed(socket);
          queueMicrotask(() => {
            log.push("task done");
            finishTask();
          });
        });
      },
      reportError: (error: unknown) => errors.push(error),
    };
    expect(shutdown.closing).toBe(false);
    const running = shutdown.run(host, { timeout: 5000 });
    expect(shutdown.closing).toBe(true);
    expect(shutdown.run(host)).toBe(running);
    await running;
    expect(log).toEqual(["accepting hook", "close 1001 server shutting down", "socket closed", "task done", "closed hook"]);
    expect(errors).toEqual([]);
  });

  test("gives up waiting after the timeout, and reports a failing hook without stopping the others", async () => {
    const shutdown = new Shutdown();
    shutdown.socketOpened({});
    const ran: string[] = [];
    shutdown.add(() => {
      throw new Error("broker gone");
    });
    shutdown.add(async () => void ran.push("second"));
    const errors: unknown[] = [];
    await shutdown.run({ closeAllSessions: () => {}, reportError: (e) => errors.push(e) }, { timeout: 20 });
    expect(ran).toEqual(["second"]);
    expect((errors[0] as Error).message).toBe("broker gone");
  });

  test("bad arguments are TypeErrors naming the value", async () => {
    const shutdown = new Shutdown();
    expect(() => shutdown.add("x" as unknown as () => void)).toThrow("a hook must be a function, got string");
    expect(() => shutdown.add(() => {}, "later" as "closed")).toThrow("unknown phase later");
    await expect(shutdown.run({ closeAllSessions() {}, reportError() {} }, { timeout: -1 })).rejects.toThrow(
      "timeout must be a non-negative number of ms, got -1",
    );
  });
});

describe("Session outbound limit", () => {
  function fixture(limit: number, buffered = 0) {
    const written: string[] = [];
    const closes: Array<[number | undefined, string | undefined]> = [];
    const overflows: number[] = [];
    let flushes = 0;
    const host: SessionHost = {
      dispatcher: { dispatch() {} },
      socketClosed() {},
      release() {},
      scheduleFlush: () => void flushes++,
      watchDrain() {},
      overflow: (session, bytes) => {
        overflows.push(bytes);
        session.close(1008, "Outbound buffer limit exceeded");
      },
    };
    const connection = {
      send: (frame: string) => void written.push(frame),
      close: (code?: number, reason?: string) => void closes.push([code, reason]),
      bufferedAmount: () => buffered,
      raw: null,
    };
    const session = new Session(host, connection, "c1", null, limit);
    return { session, written, closes, overflows, flushes: () => flushes };
  }

  test("a turn that queues more than 4x the limit (the burst cap) drops the queue and closes 1008 without writing", () => {
    const f = fixture(100);
    f.session.send("x".repeat(350));
    f.session.send("y".repeat(60));
    expect(f.overflows).toEqual([410]);
    expect(f.written).toEqual([]);
    expect(f.closes).toEqual([[1008, "Outbound buffer limit exceeded"]]);
    expect(f.session.state).toBe("closed");
    f.session.send("z");
    expect(f.session.queued).toBe(0);
  });

  test("frames under the limit are written; a runtime buffer over the burst cap after the write closes 1008", () => {
    const ok = fixture(100, 0);
    ok.session.send("a");
    ok.session.send("b");
    expect(ok.flushes()).toBe(1);
    ok.session.flush();
    expect(ok.written).toEqual(["a", "b"]);
    expect(ok.closes).toEqual([]);

    const backed = fixture(100, 401);
    backed.session.send("a");
    backed.session.flush();
    expect(backed.written).toEqual(["a"]);
    expect(backed.overflows).toEqual([401]);
    expect(backed.closes).toEqual([[1008, "Outbound buffer limit exceeded"]]);
  });
});
