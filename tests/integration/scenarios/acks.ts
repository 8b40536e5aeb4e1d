/** The `id` protocol extension: exactly one ack or error per id; off switch. */

import { describe, expect, test } from "../../support/test.ts";
import type { Fixture } from "../support/fixture.ts";
import { ProbeController } from "./probe-controller.ts";

export function ackScenarios(fx: Fixture): void {
  const { serve, connect, setup } = fx;

  describe(`${setup.name}: acknowledgements`, () => {
    test("a frame with an id gets exactly one ack with the handler's result", async () => {
      (await serve()).register(new ProbeController());
      const a = await connect();
      a.emit("sum", { a: 2, b: 3 }, 7);
      expect(await a.next()).toEqual({ event: "ack", data: { id: 7, result: 5 } });
      a.emit("echo", { x: 1 }, 8);
      expect(await a.next()).toEqual({ event: "echo", data: { x: 1 } });
      expect(await a.next()).toEqual({ event: "ack", data: { id: 8, result: { x: 1 } } });
      expect(await a.nothingPending()).toBeUndefined();
    });

    test("errors carry the id: unknown event, throwing handler, validation", async () => {
      (await serve()).register(new ProbeController());
      const a = await connect();
      a.emit("nope", {}, 1);
      expect((await a.next()).data).toMatchObject({ message: "Event 'nope' does not exist", id: 1 });
      a.emit("boom.async", {}, 2);
      expect((await a.next()).data).toMatchObject({ message: "Internal server error processing message", id: 2 });
      a.send('{"event":"echo","data":5,"id":3}');
      expect((await a.next()).data).toMatchObject({
        message: "Message validation failed: Data field must be an object/array",
        id: 3,
      });
      a.send('{"event":"echo","data":{},"id":-1}');
      expect((await a.next()).data.message).toBe("Message validation failed: Field id must be a non-negative safe integer");
      expect(await a.nothingPending()).toBeUndefined();
    });

    test("with acks off, id is an unsupported field as in Sockeon", async () => {
      (await serve({ acks: false })).register(new ProbeController());
      const a = await connect();
      a.emit("echo", {}, 1);
      expect((await a.next()).data.message).toBe("Message validation failed: Message contains unsupported fields: id");
    });
  });
}
