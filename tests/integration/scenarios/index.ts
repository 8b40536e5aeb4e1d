/**
 * The shared scenario suite: every behaviour a client can observe, through real sockets on port 0, run
 * against each server setup (Bun, Deno, Node, Hono on Bun). No sleeps: "received nothing" is proven by a
 * barrier frame (`sockeon.ping` -> `sockeon.pong`) arriving next. Add a topic file here for a new feature.
 */
import { useFixture } from "../support/fixture.ts";
import type { ServerSetup } from "../support/setup.ts";
import { ackScenarios } from "./acks.ts";
import { clientScenarios } from "./client.ts";
import { docsPageScenarios } from "./docs-page.ts";
import { protocolScenarios } from "./protocol.ts";
import { systemRoomScenarios } from "./system-rooms.ts";

/** Registers the whole suite for one server setup. */
export function scenarioSuite(setup: ServerSetup): void {
  const fx = useFixture(setup);
  docsPageScenarios(fx);
  protocolScenarios(fx);
  ackScenarios(fx);
  systemRoomScenarios(fx);
  clientScenarios(fx);
}
