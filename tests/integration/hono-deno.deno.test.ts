/**
 * Hono on Deno (`hono/deno`): the handshake policy and the heartbeat, which reaches `Deno.upgradeWebSocket`
 * through the middleware's upgrade options; outbound backpressure through Hono's WSContext.
 */
import { Hono } from "hono";
import { getConnInfo, upgradeWebSocket } from "hono/deno";
import { sockeon } from "../../adapters/hono.ts";
import { handshakeScenarios } from "./scenarios/handshake.ts";
import { heartbeatScenarios } from "./scenarios/heartbeat.ts";
import { outboundBurstScenarios } from "./scenarios/outbound-bursts.ts";
import { recoveryScenarios } from "./scenarios/recovery.ts";
import { recoveryClientScenarios } from "./scenarios/recovery-client.ts";
import { slowConsumerScenarios } from "./scenarios/slow-consumer.ts";
import { useFixture } from "./support/fixture.ts";

const fx = useFixture({
  name: "hono-deno",
  listen: async (server) => {
    const app = new Hono();
    app.get("/", sockeon(server, upgradeWebSocket, { getConnInfo }));
    const deno = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, app.fetch);
    return { port: (deno.addr as Deno.NetAddr).port, hostname: "127.0.0.1", stop: () => deno.shutdown() };
  },
});
handshakeScenarios(fx);
heartbeatScenarios(fx);
recoveryScenarios(fx);
recoveryClientScenarios(fx);
// outbound backpressure through Hono's WSContext (no cork, no drain event)
slowConsumerScenarios(fx);
outboundBurstScenarios(fx);
