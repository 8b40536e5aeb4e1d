import { Hono } from "hono";
import { getConnInfo, upgradeWebSocket, websocket } from "hono/bun";
import { bunWebSocketOptions } from "../../adapters/bun.ts";
import { sockeon } from "../../adapters/hono.ts";
import { createServer } from "../../src/index.ts";
import { describe, expect, test } from "../support/test.ts";
import { HttpProbe } from "./scenarios/http-controller.ts";
import { scenarioSuite } from "./scenarios/index.ts";
import { recordLogs } from "./support/servers.ts";

scenarioSuite({
  name: "hono-bun",
  listen: async (server, port = 0) => {
    const app = new Hono();
    app.get("/health", (c) => c.text("ok"));
    app.get("/", sockeon(server, upgradeWebSocket, { getConnInfo }));
    // forwarded per request, so controllers registered after serving still get their routes
    app.all("*", (c) => server.fetch(c.req.raw, { remoteAddress: getConnInfo(c).remote.address }));
    const bun = Bun.serve({
      port,
      hostname: "127.0.0.1",
      fetch: app.fetch,
      websocket: { ...websocket, ...bunWebSocketOptions(server) },
    });
    server.onShutdown(() => void bun.stop(false), "accepting").onShutdown(() => bun.stop(true));
    return { port: bun.port as number, hostname: "127.0.0.1", stop: () => server.close() };
  },
});

describe("hono-bun: server.app mounted with app.route", () => {
  test("routes registered before mounting are served, with the peer address from the sockeon middleware", async () => {
    const server = createServer({
      logger: recordLogs().logger,
      rateLimit: { enabled: true, maxHttpRequestsPerIp: 1, burstAllowance: 0 },
    });
    server.register(new HttpProbe());
    const app = new Hono();
    app.use("*", sockeon(server, upgradeWebSocket, { getConnInfo }));
    app.route("/", server.app);
    const bun = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: app.fetch, websocket });
    try {
      const base = `http://127.0.0.1:${bun.port}`;
      expect(await (await fetch(`${base}/users/me`)).json()).toEqual({ me: true });
      // the limit only trips if the peer address reached the route: without it, limits are skipped
      expect((await fetch(`${base}/users/7`)).status).toBe(429);
    } finally {
      await bun.stop(true);
    }
  });
});
