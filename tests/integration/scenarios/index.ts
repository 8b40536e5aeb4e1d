/**
 * The shared scenario suite: every behaviour a client can observe, through real sockets on port 0, run
 * against each server setup (Bun, Deno, Node, Hono on Bun). No sleeps: "received nothing" is proven by a
 * barrier frame (`sockeon.ping` -> `sockeon.pong`) arriving next. Add a topic file here for a new feature.
 */
import { useFixture } from "../support/fixture.ts";
import type { ServerSetup } from "../support/setup.ts";
import { ackScenarios } from "./acks.ts";
import { boundScenarios } from "./bounds.ts";
import { broadcastBuilderScenarios } from "./broadcast-builder.ts";
import { clientScenarios } from "./client.ts";
import { clientAddressScenarios } from "./client-address.ts";
import { clusterScenarios } from "./cluster.ts";
import { docsPageScenarios } from "./docs-page.ts";
import { fairnessScenarios } from "./fairness.ts";
import { fanoutScenarios } from "./fanout.ts";
import { fuzzScenarios } from "./fuzz.ts";
import { handshakeScenarios } from "./handshake.ts";
import { heartbeatScenarios } from "./heartbeat.ts";
import { httpRouteScenarios } from "./http-routes.ts";
import { lifecycleScenarios } from "./lifecycle.ts";
import { limitScenarios } from "./limits.ts";
import { metricsScenarios } from "./metrics.ts";
import { middlewareScenarios } from "./middleware.ts";
import { outboundBurstScenarios } from "./outbound-bursts.ts";
import { pathScenarios } from "./paths.ts";
import { protocolScenarios } from "./protocol.ts";
import { rateLimitScenarios } from "./rate-limits.ts";
import { realtimeApiScenarios } from "./realtime-api.ts";
import { recoveryScenarios } from "./recovery.ts";
import { recoveryClientScenarios } from "./recovery-client.ts";
import { shutdownScenarios } from "./shutdown.ts";
import { slowConsumerScenarios } from "./slow-consumer.ts";
import { sockeonJsScenarios } from "./sockeon-js.ts";
import { systemRoomScenarios } from "./system-rooms.ts";
import { upgradeValidationScenarios } from "./upgrade-validation.ts";
import { validationScenarios } from "./validation.ts";

/** Registers the whole suite for one server setup. */
export function scenarioSuite(setup: ServerSetup): void {
  const fx = useFixture(setup);
  docsPageScenarios(fx);
  protocolScenarios(fx);
  ackScenarios(fx);
  systemRoomScenarios(fx);
  clientScenarios(fx);
  clientAddressScenarios(fx);
  lifecycleScenarios(fx);
  realtimeApiScenarios(fx);
  broadcastBuilderScenarios(fx);
  handshakeScenarios(fx);
  upgradeValidationScenarios(fx);
  middlewareScenarios(fx);
  heartbeatScenarios(fx);
  sockeonJsScenarios(fx);
  httpRouteScenarios(fx);
  validationScenarios(fx);
  rateLimitScenarios(fx);
  fanoutScenarios(fx);
  limitScenarios(fx);
  boundScenarios(fx);
  fairnessScenarios(fx);
  shutdownScenarios(fx);
  slowConsumerScenarios(fx);
  outboundBurstScenarios(fx);
  fuzzScenarios(fx);
  clusterScenarios(fx);
  pathScenarios(fx);
  metricsScenarios(fx);
  recoveryScenarios(fx);
  recoveryClientScenarios(fx);
}
