/** Sockeon's wire protocol: every bad-input case, binary frames, oversize, ordering, close handshake. */
import { connectionManagementControllers } from "../../../examples/controllers/connection-management.ts";
import { describe, expect, test } from "../../support/test.ts";
import type { Fixture } from "../support/fixture.ts";
import { ExtraConnect, ProbeController } from "./probe-controller.ts";

export function protocolScenarios(fx: Fixture): void {
  const { serve, connect, setup } = fx;

  describe(`${setup.name}: wire protocol and bad input`, () => {
    const cases: Array<[string, string | Uint8Array, string]> = [
      ["empty frame", "", "Empty message payload"],
      ["invalid JSON", "{nope", "Invalid JSON format: Syntax error"],
      ["truncated JSON", '{"event":"echo","data":{', "Invalid JSON format: Syntax error"],
      ["a JSON string", '"hello"', "Message must be a JSON object"],
      ["a JSON number", "42", "Message must be a JSON object"],
      ["null", "null", "Message must be a JSON object"],
      ["missing event", '{"data":{}}', "Message validation failed: Missing required field: event"],
      ["event not a string", '{"event":5,"data":{}}', "Message validation failed: Event field must be a string"],
      ["empty event", '{"event":"","data":{}}', "Message validation failed: Event field cannot be empty"],
      [
        "bad event name",
        '{"event":"no spaces","data":{}}',
        "Message validation failed: Invalid event name format (only alphanumeric, dots, underscores, hyphens allowed)",
      ],
      ["null data", '{"event":"echo","data":null}', "Message validation failed: Missing required field: data"],
      ["scalar data", '{"event":"echo","data":"x"}', "Message validation failed: Data field must be an object/array"],
      [
        "extra fields",
        '{"event":"echo","data":{},"room":"x","ns":1}',
        "Message validation failed: Message contains unsupported fields: room, ns",
      ],
      [
        "several errors",
        '{"data":3,"x":1}',
        "Message validation failed: Missing required field: event, Data field must be an object/array, Message contains unsupported fields: x",
      ],
      ["unknown event", '{"event":"missing.event","data":{}}', "Event 'missing.event' does not exist"],
      ["__proto__ event", '{"event":"__proto__","data":{}}', "Event '__proto__' does not exist"],
      ["constructor event", '{"event":"constructor","data":{}}', "Event 'constructor' does not exist"],
      ["toString event", '{"event":"toString","data":{}}', "Event 'toString' does not exist"],
      [
        "invalid UTF-8 in a binary frame",
        new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]),
        "Invalid JSON format: Malformed UTF-8 characters, possibly incorrectly encoded",
      ],
      ["too deep", `${"[".repeat(600)}${"]".repeat(600)}`, "Invalid JSON format: Maximum stack depth exceeded"],
      ["handler throws", '{"event":"boom","data":{}}', "Internal server error processing message"],
      ["async handler rejects", '{"event":"boom.async","data":[]}', "Internal server error processing message"],
    ];
    for (const [name, payload, message] of cases) {
      test(`${name} -> error frame, connection stays open, others unaffected`, async () => {
        (await serve()).register(new ProbeController());
        const a = await connect();
        const b = await connect();
        a.send(payload);
        const frame = await a.next();
        expect(frame).toEqual({ event: "error", data: { message, timestamp: frame.data.timestamp } });
        expect(Number.isInteger(frame.data.timestamp)).toBe(true);
        a.emit("echo", { still: "open" });
        expect(await a.next()).toEqual({ event: "echo", data: { still: "open" } });
        b.emit("echo", [1, 2]);
        expect(await b.next()).toEqual({ event: "echo", data: [1, 2] });
      });
    }

    test("a binary frame is decoded as UTF-8 JSON", async () => {
      (await serve()).register(new ProbeController());
      const a = await connect();
      a.send(new TextEncoder().encode(JSON.stringify({ event: "echo", data: { text: "héllo ✓" } })));
      expect(await a.next()).toEqual({ event: "echo", data: { text: "héllo ✓" } });
    });

    test("an oversize frame closes the connection with 1009; others keep working", async () => {
      (await serve({ maxMessageSize: 1024 })).register(new ProbeController());
      const a = await connect();
      const b = await connect();
      a.send(JSON.stringify({ event: "echo", data: { pad: "x".repeat(2000) } }));
      const closed = await a.closed;
      expect(closed.code).toBe(1009);
      b.emit("echo", { ok: 1 });
      expect(await b.next()).toEqual({ event: "echo", data: { ok: 1 } });
    });

    test("frames to one socket keep their order, and a server close flushes them first", async () => {
      (await serve()).register(new ProbeController());
      const a = await connect();
      a.emit("burst", { count: 200 });
      for (let i = 0; i < 200; i++) expect(await a.next()).toEqual({ event: "seq", data: { i } });
      expect(await a.closed).toEqual({ code: 4000, reason: "burst done" });
    });

    test("a client close completes the close handshake and frees the client", async () => {
      const server = (await serve()).register(new ProbeController());
      const a = await connect();
      expect(await server.getClientCount()).toBe(1);
      expect((await a.close(1000)).code).toBe(1000);
      const b = await connect();
      b.emit("echo", {});
      await b.next();
      expect(await server.getClientCount()).toBe(1);
    });

    test("every @OnConnect of every controller runs, inherited ones included", async () => {
      class Child extends ExtraConnect {}
      (await serve()).register(...connectionManagementControllers, new Child());
      const a = await connect();
      const seen = new Set<string>();
      for (let i = 0; i < 3; i++) seen.add((await a.next()).event);
      expect([...seen].sort()).toEqual(["second.connect", "user.connected", "welcome"]);
    });
  });
}
