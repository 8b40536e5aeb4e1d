import { Hono } from "hono";
import { getConnInfo, upgradeWebSocket, websocket } from "hono/bun";
import { sockeon } from "../../adapters/hono.ts";
import { scenarioSuite } from "./scenarios/index.ts";

scenarioSuite({
  name: "hono-bun",
  listen: async (server, port = 0) => {
    const app = new Hono();
    app.get("/health", (c) => c.text("ok"));
    app.get("/", sockeon(server, upgradeWebSocket, { getConnInfo }));
    const bun = Bun.serve({
      port,
      hostname: "127.0.0.1",
      fetch: app.fetch,
      websocket: { ...websocket, maxPayloadLength: server.options.maxMessageSize },
    });
    return { port: bun.port as number, hostname: "127.0.0.1", stop: () => bun.stop(true) };
  },
});
