/**
 * Property-based fuzzing of a live server: random sequences of hostile frames (random bytes and text, truncated,
 * huge and deeply nested JSON, odd event and room names, wrong types) interleaved with joins, leaves, namespace
 * moves, connects and closes from several clients. After each sequence the server must be alive, answer a fresh
 * client correctly, count exactly the open connections, and hold exactly the room membership of a model.
 *
 * A second target sends random raw HTTP upgrade requests (methods, request targets, Host, Connection, key,
 * version and subprotocol headers): well-formed request lines must get the status a model of RFC 6455 gives
 * (the same on every runtime), malformed ones anything but a 5xx, and nothing may crash the process, reach
 * `onError` or keep a connection slot.
 *
 * Bounded by default (FUZZ_RUNS=20, FUZZ_SEED=20261125); run longer locally, e.g.
 * `FUZZ_RUNS=500 FUZZ_SEED=7 bun test tests/integration/bun.bun.test.ts -t fuzz`.
 */
import process from "node:process";
import fc from "fast-check";
import { OnDisconnect, type SockeonServer, SocketController, SocketOn } from "../../../src/index.ts";
import { describe, expect, test } from "../../support/test.ts";
import { TestClient } from "../support/client.ts";
import type { Fixture } from "../support/fixture.ts";
import { type RawResponse, rawUpgrade } from "../support/raw-socket.ts";
import { testServer } from "../support/servers.ts";
import { type Served, start } from "../support/setup.ts";
import { upgradeHead } from "./upgrade-validation.ts";

const RUNS = Number(process.env.FUZZ_RUNS ?? 20);
const SEED = Number(process.env.FUZZ_SEED ?? 20261125);
const MAX_MESSAGE = 4096;
const ODD = ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf", "0"];
const ROOMS = ["lobby", "a", ...ODD];
const NAMESPACES = ["/", "/admin", ...ODD];

/** The fuzzer's view of the server: who is connected, in which namespace, in which rooms. */
class FuzzController extends SocketController {
  readonly gone: string[] = [];
  #waiters: Array<() => void> = [];

  @SocketOn("fuzz.whoami")
  whoami(clientId: string): string {
    return clientId;
  }

  @SocketOn("echo")
  echo(clientId: string, data: unknown): void {
    this.emit(clientId, "echo", data);
  }

  @SocketOn("fuzz.move")
  move(clientId: string, data: { namespace?: unknown }): void {
    if (typeof data.namespace === "string" && data.namespace.length > 0) this.moveClientToNamespace(clientId, data.namespace);
    else this.emit(clientId, "error", { message: "Invalid namespace" });
  }

  @OnDisconnect
  left(clientId: string): void {
    this.gone.push(clientId);
    for (const waiter of this.#waiters.splice(0)) waiter();
  }

  async disconnects(count: number): Promise<void> {
    while (this.gone.length < count) await new Promise<void>((resolve) => this.#waiters.push(resolve));
  }
}

type Action =
  | { kind: "join" | "leave"; room: string; namespace: string | undefined }
  | { kind: "move"; namespace: string }
  | { kind: "close" | "connect" | "huge" }
  | { kind: "raw"; payload: string | Uint8Array };

const name = (pool: string[]) => fc.constantFrom(...pool);
const frame = (event: unknown, data: unknown, extra: Record<string, unknown> = {}) => JSON.stringify({ event, data, ...extra });

const garbage: fc.Arbitrary<string | Uint8Array> = fc.oneof(
  fc.uint8Array({ maxLength: 64 }),
  fc.string({ unit: "binary", maxLength: 64 }),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? "null"),
  // a valid frame cut short
  fc
    .tuple(name(["join_room", "leave_room", "fuzz.move", "echo"]), name(ROOMS), fc.nat(30))
    .map(([e, r, n]) => frame(e, { room: r }).slice(0, n)),
  // nested past the depth limit (512), small enough to reach the parser
  fc.integer({ min: 513, max: 900 }).map((d) => `{"event":"echo","data":${"[".repeat(d)}${"]".repeat(d)}}`),
  fc.integer({ min: 1, max: 40 }).map((d) => `{"event":"echo","data":${'{"k":'.repeat(d)}1${"}".repeat(d)}}`),
  // odd or unknown event names, reserved names, bad ack ids
  fc
    .tuple(name([...ODD, "__defineGetter__", "sockeon.ping", "sockeon.other", "ack", "error", "no.such"]), fc.boolean())
    .map(([e, list]) => frame(e, list ? [] : {})),
  fc.constantFrom(-1, 1.5, "7", null, 2 ** 60).map((id) => frame("fuzz.whoami", {}, { id })),
  // wrong types for the room events
  fc
    .tuple(
      name(["join_room", "leave_room", "fuzz.move"]),
      fc.constantFrom(5, "", null, [], {}, true, ["lobby"], { toString: "lobby" }),
    )
    .map(([e, v]) => frame(e, { room: v, namespace: v })),
  fc.constantFrom(
    '{"event":"join_room","data":{"__proto__":{"room":"polluted"}}}',
    '{"event":"echo","data":{"constructor":{"prototype":{"polluted":1}},"__proto__":{"polluted":1}}}',
    '{"__proto__":{"event":"echo"},"data":{}}',
    '{"event":"echo","data":{},"event":"join_room"}',
    "[]",
    "",
  ),
);

const action: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("join" as const),
      room: name(ROOMS),
      namespace: fc.option(name(NAMESPACES), { nil: undefined }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("leave" as const),
      room: name(ROOMS),
      namespace: fc.option(name(NAMESPACES), { nil: undefined }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("move" as const), namespace: name(NAMESPACES) }) },
  { weight: 1, arbitrary: fc.constantFrom({ kind: "close" as const }, { kind: "connect" as const }, { kind: "huge" as const }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant("raw" as const), payload: garbage }) },
);

const program = fc.array(fc.tuple(fc.nat(3), action), { minLength: 1, maxLength: 30 });

interface ModelClient {
  client: TestClient;
  id: string;
  namespace: string;
  /** `namespace\0room` keys. */
  rooms: Set<string>;
}

let barrierId = 1_000_000;

/** Round trip through the server: every frame this client sent before is processed once the ack arrives. */
async function barrier(client: TestClient): Promise<string> {
  const id = ++barrierId;
  client.emit("fuzz.whoami", {}, id);
  for (;;) {
    const f = await client.next();
    if (f.event === "ack" && f.data.id === id) return f.data.result as string;
  }
}

async function connectClient(url: string): Promise<ModelClient> {
  const client = await TestClient.connect(url);
  return { client, id: await barrier(client), namespace: "/", rooms: new Set() };
}

const sorted = (values: Iterable<string>) => [...values].sort();

async function checkInvariants(server: SockeonServer, open: ModelClient[], url: string): Promise<void> {
  expect((Object.prototype as Record<string, unknown>).polluted).toBe(undefined);
  expect(await server.getClientCount()).toBe(open.length);
  expect(sorted(await server.getClientIds())).toEqual(sorted(open.map((c) => c.id)));
  expect((await server.getServerStats()).clients).toBe(open.length);
  for (const c of open) {
    expect(await server.getClientNamespace(c.id)).toBe(c.namespace);
    expect(await server.isClientConnected(c.id)).toBe(true);
  }
  for (const ns of NAMESPACES) {
    expect(sorted(Object.keys(await server.getClientsInNamespace(ns)))).toEqual(
      sorted(open.filter((c) => c.namespace === ns).map((c) => c.id)),
    );
    const expectedRooms = new Set<string>();
    for (const room of ROOMS) {
      const members = open.filter((c) => c.rooms.has(`${ns}\0${room}`)).map((c) => c.id);
      if (members.length > 0) expectedRooms.add(room);
      expect(sorted(Object.keys(await server.getClientsInRoom(room, ns)))).toEqual(sorted(members));
    }
    expect(sorted(await server.getRooms(ns))).toEqual(sorted(expectedRooms));
    for (const c of open) {
      expect(sorted(await server.getClientRooms(c.id, ns))).toEqual(
        sorted([...c.rooms].filter((k) => k.startsWith(`${ns}\0`)).map((k) => k.slice(ns.length + 1))),
      );
    }
  }
  // a fresh client is served correctly
  const fresh = await connectClient(url);
  fresh.client.emit("echo", { fresh: true });
  expect(await fresh.client.nextEvent("echo")).toEqual({ event: "echo", data: { fresh: true } });
  fresh.client.emit("join_room", { room: "fresh" });
  expect((await fresh.client.nextEvent("room_joined")).data).toMatchObject({ room: "fresh", namespace: "/" });
  expect(Object.keys(await server.getClientsInRoom("fresh"))).toEqual([fresh.id]);
  expect(await server.getClientCount()).toBe(open.length + 1);
  await fresh.client.close();
}

/** Applies one action to the live server and the model. Returns how many clients it closed. */
async function apply(slots: Array<ModelClient | undefined>, index: number, act: Action, url: string): Promise<number> {
  const c = slots[index];
  if (act.kind === "connect") {
    if (!c) slots[index] = await connectClient(url);
    return 0;
  }
  if (!c) return 0;
  switch (act.kind) {
    case "join":
    case "leave": {
      c.client.emit(
        act.kind === "join" ? "join_room" : "leave_room",
        act.namespace === undefined ? { room: act.room } : { room: act.room, namespace: act.namespace },
      );
      const key = `${act.namespace ?? "/"}\0${act.room}`;
      if (act.kind === "join") c.rooms.add(key);
      else c.rooms.delete(key);
      return 0;
    }
    case "move":
      c.client.emit("fuzz.move", { namespace: act.namespace });
      c.namespace = act.namespace;
      c.rooms.clear();
      return 0;
    case "raw":
      c.client.send(act.payload);
      return 0;
    case "huge":
    case "close":
      if (act.kind === "huge") c.client.send(frame("echo", { pad: "x".repeat(MAX_MESSAGE) }));
      else c.client.close();
      await c.client.closed;
      slots[index] = undefined;
      return 1;
  }
}

/** One random upgrade request: header values (null: header left out) and whether its request line/Host is odd. */
interface UpgradeCase {
  method: string;
  key: string | null;
  secondKey: boolean;
  version: string | null;
  connection: string | null;
  protocol: string | null;
  /** An odd request target or Host: only "no 5xx, no crash" is expected. */
  odd: { target: string; host: string | null } | null;
}

const base64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const upgradeCase = (methods: string[]): fc.Arbitrary<UpgradeCase> =>
  fc.record({
    method: fc.constantFrom(...methods),
    key: fc.oneof(
      { weight: 4, arbitrary: fc.uint8Array({ minLength: 16, maxLength: 16 }).map(base64) },
      { weight: 1, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 15 }).map(base64) },
      { weight: 1, arbitrary: fc.constantFrom(null, "!!!!!!!!!!!!!!!!!!!!!!==", "dGhlIHNhbXBsZSBub25jZQ", "x") },
    ),
    secondKey: fc.nat(5).map((n) => n === 0),
    version: fc.oneof(
      { weight: 4, arbitrary: fc.constant("13") },
      { weight: 1, arbitrary: fc.constantFrom(null, "8", "99", "13, 8", "1 3") },
    ),
    connection: fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom("Upgrade", "keep-alive, Upgrade", "upgrade") },
      { weight: 1, arbitrary: fc.constantFrom(null, "keep-alive", "close") },
    ),
    protocol: fc.oneof(
      { weight: 3, arbitrary: fc.constant(null) },
      { weight: 1, arbitrary: fc.constantFrom("sockeon", "a, b", "a, a", "a b", "a,,b", "x;y") },
    ),
    odd: fc.option(
      fc.record({
        target: fc.constantFrom("/", "*", "http://example.com/", "//x", "/%zz", "/a?b=%", "/\\"),
        host: fc.constantFrom(null, "[", "a b", "example.com:99999", "", "::1", "[::1]:1"),
      }),
      { freq: 4 },
    ),
  });

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** What RFC 6455 (and the core) answers a well-formed request line with; the first offered subprotocol on 101. */
function expectedUpgrade(c: UpgradeCase): { status: number; protocol?: string | undefined } {
  if (c.method !== "GET") return { status: 400 };
  if (!(c.connection ?? "").split(",").some((t) => t.trim().toLowerCase() === "upgrade")) return { status: 400 };
  if (c.secondKey || c.key === null || !/^[+/0-9A-Za-z]{22}==$/.test(c.key)) return { status: 400 };
  if (c.version?.trim() !== "13") return { status: 426 };
  if (c.protocol === null) return { status: 101 };
  const names = c.protocol.split(",").map((n) => n.trim());
  if (names.some((n) => !TOKEN.test(n)) || new Set(names).size !== names.length) return { status: 400 };
  return { status: 101, protocol: names[0] };
}

async function sendUpgrade(port: number, c: UpgradeCase): Promise<RawResponse | "closed"> {
  const line = `${c.method} ${c.odd?.target ?? "/"} HTTP/1.1`;
  const headers: Record<string, string | null> = {
    "Sec-WebSocket-Key": c.key,
    "Sec-WebSocket-Version": c.version,
    Connection: c.connection,
    ...(c.protocol === null ? {} : { "Sec-WebSocket-Protocol": c.protocol }),
    ...(c.method === "GET" ? {} : { "Content-Length": "0" }),
    ...(c.odd ? { Host: c.odd.host } : {}),
  };
  const extra = c.secondKey ? ["Sec-WebSocket-Key: x3JJHMbDL1EzLkh9GBhXDw=="] : [];
  try {
    return await rawUpgrade(port, { head: upgradeHead(port, line, headers, extra) });
  } catch (error) {
    // a runtime's HTTP parser may drop a request it cannot parse without answering: fine, as long as it lives
    if (String(error).includes("connection closed before a response head")) return "closed";
    throw error;
  }
}

export function fuzzScenarios(fx: Fixture): void {
  const { setup } = fx;

  describe(`${setup.name}: fuzz`, () => {
    test(`random hostile frame sequences keep the server's invariants (${RUNS} runs, seed ${SEED})`, async () => {
      await fc.assert(
        fc.asyncProperty(program, async (steps) => {
          const controller = new FuzzController();
          const server = testServer({ maxMessageSize: MAX_MESSAGE }).register(controller);
          let served: Served | undefined;
          try {
            served = await start(setup, server);
            const url = served.url;
            const slots: Array<ModelClient | undefined> = [await connectClient(url), await connectClient(url)];
            let closed = 0;
            for (const [index, act] of steps) closed += await apply(slots, index, act, url);
            const open = slots.filter((c): c is ModelClient => c !== undefined);
            for (const c of open) await barrier(c.client);
            await controller.disconnects(closed);
            await checkInvariants(server, open, url);
            for (const c of open) await c.client.close();
          } finally {
            await (served ? served.stop() : server.close());
          }
        }),
        { numRuns: RUNS, seed: SEED, endOnFailure: true },
      );
    }, 120000);

    // under Hono the user's routes pick the methods that reach the middleware: GET only there
    const methods = setup.name.startsWith("hono") ? ["GET"] : ["GET", "GET", "GET", "POST", "PUT", "OPTIONS", "DELETE"];
    test(`random raw upgrade requests: the model's status, never a 5xx, a crash, onError or a held slot (${RUNS} runs, seed ${SEED})`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(upgradeCase(methods), { minLength: 1, maxLength: 15 }), async (cases) => {
          const errors: unknown[] = [];
          const server = testServer({ maxConnections: 3, onError: (error) => errors.push(error) });
          server.register(new FuzzController());
          let served: Served | undefined;
          const opened: RawResponse[] = [];
          try {
            served = await start(setup, server);
            for (const c of cases) {
              const res = await sendUpgrade(served.port, c);
              if (res !== "closed" && res.ws) {
                opened.push(res);
                // a 101 holds a slot until it closes: stay under maxConnections
                if (opened.length >= 3) for (const open of opened.splice(0)) open.ws?.destroy();
              }
              if (c.odd === null) {
                const expected = expectedUpgrade(c);
                const protocol: string | undefined = res === "closed" ? undefined : res.headers["sec-websocket-protocol"];
                const got: "closed" | { status: number; protocol: string | undefined } =
                  res === "closed" ? "closed" : { status: res.status, protocol };
                expect({ c, got }).toEqual({ c, got: { status: expected.status, protocol: expected.protocol } });
              } else if (res !== "closed") expect({ c, status: res.status < 500 }).toEqual({ c, status: true });
            }
            for (const open of opened.splice(0)) open.ws?.destroy();
            expect(errors).toEqual([]);
            // every slot comes back: three clients connect under maxConnections 3
            const clients: TestClient[] = [];
            for (let i = 0; i < 3; i++) {
              for (let tries = 0; ; tries++) {
                try {
                  clients.push(await TestClient.connect(served.url));
                  break;
                } catch (error) {
                  // a destroyed 101 socket is released when the runtime notices the close: retry briefly
                  if (tries > 50) throw error;
                  await new Promise((resolve) => setTimeout(resolve, 20));
                }
              }
            }
            for (const client of clients) await client.close();
          } finally {
            for (const open of opened) open.ws?.destroy();
            await (served ? served.stop() : server.close());
          }
        }),
        { numRuns: RUNS, seed: SEED, endOnFailure: true },
      );
    }, 120000);
  });
}
