/**
 * sockeon-ts inside a user's own Hono app on Node (`@hono/node-ws`), wired as the README shows: a rejected
 * handshake keeps its body through `keepRejectionBodies`, and an accepted one serves the protocol.
 */
import { serve } from "@hono/node-server";
import { getConnInfo } from "@hono/node-server/conninfo";
import { createNodeWebSocket } from "@hono/node-ws";
import { Hono } from "hono";
import { sockeon } from "../../adapters/hono.ts";
import { keepRejectionBodies, startHeartbeat } from "../../adapters/node.ts";
import { afterAll, describe, expect, test } from "../support/test.ts";
import { outboundBurstScenarios } from "./scenarios/outbound-bursts.ts";
import { recoveryScenarios } from "./scenarios/recovery.ts";
import { recoveryClientScenarios } from "./scenarios/recovery-client.ts";
import { slowConsumerScenarios } from "./scenarios/slow-consumer.ts";
import { TestClient } from "./support/client.ts";
import { useFixture } from "./support/fixture.ts";
import { rawUpgrade } from "./support/raw-socket.ts";
import { testServer } from "./support/servers.ts";

describe("hono-node: sockeon() in a user's Hono app with @hono/node-ws", () => {
  const server = testServer({ authKey: "s3cret" });
  const app = new Hono();
  const { upgradeWebSocket, injectWebSocket, wss } = createNodeWebSocket({ app });
  let record: ReturnType<typeof keepRejectionBodies> | undefined;
  app.get(
    "/ws",
    sockeon(server, upgradeWebSocket, { getConnInfo, onReject: (c, response) => record?.(c.env.incoming, response) }),
  );
  const stopHeartbeat = startHeartbeat(wss, server.options.idleTimeout);
  const listening = new Promise<{ port: number; close: () => Promise<void> }>((resolve) => {
    const http = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) =>
      resolve({ port: info.port, close: () => new Promise<void>((done) => http.close(() => done())) }),
    );
    record = keepRejectionBodies(http as Parameters<typeof keepRejectionBodies>[0]);
    injectWebSocket(http);
  });
  afterAll(async () => {
    stopHeartbeat();
    await server.close({ timeout: 1000 });
    for (const ws of wss.clients) ws.terminate();
    await (await listening).close();
  });

  test("a wrong ?key= gets 401 with Sockeon's body, not only the status line", async () => {
    const { port } = await listening;
    const answer = await rawUpgrade(port, { path: "/ws?key=wrong" });
    expect(answer.status).toBe(401);
    expect(answer.body).toContain("Invalid authentication key");
    expect(await server.getClientCount()).toBe(0);
  });

  test("the right key connects and the protocol is served", async () => {
    const { port } = await listening;
    const client = await TestClient.connect(`ws://127.0.0.1:${port}/ws?key=s3cret`);
    try {
      client.emit("sockeon.ping");
      expect((await client.next()).event).toBe("sockeon.pong");
      expect(await server.getClientCount()).toBe(1);
    } finally {
      client.close();
    }
  });
});

// connection-state recovery and outbound backpressure in the same wiring: each test serves its server in a fresh Hono app on Node
const fx = useFixture({
  name: "hono-node",
  listen: (server) =>
    new Promise((resolve) => {
      const app = new Hono();
      const ws = createNodeWebSocket({ app });
      app.get("/", sockeon(server, ws.upgradeWebSocket, { getConnInfo }));
      const stopBeats = startHeartbeat(ws.wss, server.options.idleTimeout);
      const http = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) =>
        resolve({
          port: info.port,
          hostname: "127.0.0.1",
          stop: async () => {
            stopBeats();
            await server.close({ timeout: 1000 });
            for (const client of ws.wss.clients) client.terminate();
            await new Promise<void>((done) => http.close(() => done()));
          },
        }),
      );
      ws.injectWebSocket(http);
    }),
});
recoveryScenarios(fx);
recoveryClientScenarios(fx);
// outbound backpressure through Hono's WSContext (no cork, no drain event)
slowConsumerScenarios(fx);
outboundBurstScenarios(fx);
