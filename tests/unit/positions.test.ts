import fc from "fast-check";
import {
  type HistoryEntry,
  MAX_ORIGINS,
  meantFor,
  missedFrames,
  parsePositions,
  positionOf,
  type SessionRecord,
  stamp,
} from "../../src/engine/positions.ts";
import { HeldConnection } from "../../src/engine/remote-resume.ts";
import { parseEnvelope } from "../../src/scale/envelope.ts";
import { describe, expect, test } from "../support/test.ts";

const record = (over: Partial<SessionRecord> = {}): SessionRecord => ({
  id: "c1",
  owner: "A",
  token: "t",
  namespace: "/",
  since: { A: 10, "@": 1000 },
  nsSince: { A: 10, "@": 1000 },
  rooms: { lobby: { A: 10, B: 20, "@": 1000 } },
  data: {},
  ...over,
});
const entry = (seq: number, over: Partial<HistoryEntry> = {}): HistoryEntry => ({
  seq,
  t: 2000 + seq,
  frame: `{"event":"m","data":${seq}}`,
  namespace: "/",
  rooms: ["lobby"],
  ...over,
});

describe("positions of cross-node recovery", () => {
  test("a positioned frame is the plain frame with its position first, and reads back", () => {
    const frame = '{"event":"chat","data":{"text":"{\\"pos\\":\\"x:1\\"}"}}';
    const stamped = stamp(frame, "node-1", 42);
    expect(stamped).toBe(`{"pos":"node-1:42","event":"chat","data":{"text":"{\\"pos\\":\\"x:1\\"}"}}`);
    expect(JSON.parse(stamped)).toEqual({ pos: "node-1:42", ...JSON.parse(frame) });
    expect(positionOf(stamped)).toEqual({ origin: "node-1", seq: 42 });
    // a plain frame has none, whatever its data contains
    expect(positionOf(frame)).toBeUndefined();
  });

  test("stamp and positionOf round-trip for any node id and sequence number", () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[\w.-]{1,40}$/),
        fc.nat({ max: Number.MAX_SAFE_INTEGER }),
        fc.json(),
        (origin, seq, data) => {
          const frame = `{"event":"e","data":${data}}`;
          expect(positionOf(stamp(frame, origin, seq))).toEqual({ origin, seq });
        },
      ),
    );
  });

  test("the client's positions parameter: node:seq pairs; anything malformed is refused as a whole", () => {
    expect(parsePositions(null)).toEqual(new Map());
    expect(parsePositions("")).toEqual(new Map());
    expect(parsePositions("A-1:5,node.b_2:1700000000000001")).toEqual(
      new Map([
        ["A-1", 5],
        ["node.b_2", 1700000000000001],
      ]),
    );
    for (const bad of ["A", ":5", "A:", "A:-1", "A:1.5", "A:x", "a b:1", "A:1,,B:2", "A:99999999999999999999"])
      expect(parsePositions(bad)).toBeUndefined();
    const many = Array.from({ length: MAX_ORIGINS + 1 }, (_, i) => `n${i}:1`).join(",");
    expect(parsePositions(many)).toBeUndefined();
  });

  test("an entry is the session's when it was a member of the target when the entry was sent", () => {
    const r = record();
    // a room broadcast after the join (per the origin's heads), not before
    expect(meantFor(entry(11), "A", r)).toBe(true);
    expect(meantFor(entry(10), "A", r)).toBe(false);
    expect(meantFor(entry(21), "B", r)).toBe(true);
    expect(meantFor(entry(20), "B", r)).toBe(false);
    // an origin the owner had not heard from at the join: by time
    expect(meantFor(entry(5, { t: 999 }), "C", r)).toBe(false);
    expect(meantFor(entry(5, { t: 1001 }), "C", r)).toBe(true);
    // another room, another namespace, an exclusion
    expect(meantFor(entry(11, { rooms: ["other"] }), "A", r)).toBe(false);
    expect(meantFor(entry(11, { rooms: ["other", "lobby"] }), "A", r)).toBe(true);
    expect(meantFor(entry(11, { namespace: "/admin" }), "A", r)).toBe(false);
    expect(meantFor(entry(11, { except: ["c1"] }), "A", r)).toBe(false);
    // a namespace broadcast, a global broadcast, a direct emit
    expect(meantFor(entry(11, { rooms: undefined }), "A", r)).toBe(true);
    expect(meantFor(entry(11, { rooms: undefined, namespace: undefined }), "A", r)).toBe(true);
    expect(meantFor(entry(9, { rooms: undefined, namespace: undefined }), "A", r)).toBe(false);
    expect(meantFor(entry(11, { rooms: undefined, namespace: undefined, clients: ["c1", "c2"] }), "A", r)).toBe(true);
    expect(meantFor(entry(11, { rooms: undefined, namespace: undefined, clients: ["c2"] }), "A", r)).toBe(false);
  });

  test("missed frames: after the client's position per origin, positioned, each origin in order, origins by time", () => {
    const history = new Map<string, HistoryEntry[]>([
      ["A", [entry(11, { t: 5 }), entry(12, { t: 7 }), entry(13, { t: 9, rooms: ["other"] }), entry(14, { t: 10 })]],
      ["B", [entry(21, { t: 6 }), entry(22, { t: 8 })]],
    ]);
    const missed = missedFrames(history, new Map([["A", 11]]), record());
    expect(missed.map((m) => `${m.origin}:${m.seq}`)).toEqual(["B:21", "A:12", "B:22", "A:14"]);
    expect(missed[0]?.frame).toBe(stamp(entry(21).frame, "B", 21));
  });
});

describe("HeldConnection", () => {
  test("holds frames during a resume, then writes the replay first and drops held duplicates", () => {
    const sent: string[] = [];
    const inner = { send: (f: string) => void sent.push(f), close: () => {}, raw: null };
    const hold = new HeldConnection(inner, 3);
    hold.send("live-1");
    hold.send(stamp('{"event":"m","data":2}', "B", 2));
    hold.send(stamp('{"event":"m","data":3}', "B", 3));
    expect(sent).toEqual([]);
    expect(hold.overflowed).toBe(false);
    hold.send("over the cap");
    expect(hold.overflowed).toBe(true);
    const kept = hold.release(["session", "replayed B:2"], (f) => (positionOf(f)?.seq ?? 99) > 2);
    expect(sent).toEqual(["session", "replayed B:2", "live-1", stamp('{"event":"m","data":3}', "B", 3)]);
    expect(kept).toHaveLength(2);
    hold.send("after");
    expect(sent.at(-1)).toBe("after");
  });
});

describe("envelopes with a sequence number", () => {
  test("seq is optional, and when present a positive safe integer", () => {
    const base = { v: 1, node: "A", kind: "broadcast", event: "e", data: 1 };
    expect(typeof parseEnvelope({ ...base, seq: 5 })).toBe("object");
    expect(typeof parseEnvelope(base)).toBe("object");
    expect(parseEnvelope({ ...base, seq: "5" })).toBe("bad sequence number");
    expect(parseEnvelope({ ...base, seq: 0 })).toBe("bad sequence number");
    expect(parseEnvelope({ v: 1, node: "A", kind: "op", op: "handover", client: "c1", args: [] })).toMatchObject({
      op: "handover",
    });
  });
});
