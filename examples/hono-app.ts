/**
 * An existing Hono app with its own HTTP routes, and sockeon-ts mounted as middleware at /ws. Runs unchanged
 * with `bun examples/hono-app.ts`, `deno run -A examples/hono-app.ts` and `npx tsx examples/hono-app.ts`:
 * only the runtime's Hono WebSocket helper differs, chosen at start-up.
 */
import process from "node:process";
import { Hono } from "hono";
import type { UpgradeWebSocket } from "hono/ws";
import { sockeon } from "../adapters/hono.ts";
import { createServer } from "../src/index.ts";
import { connectionManagementControllers } from "./controllers/connection-management.ts";

const port = Number(process.env.PORT ?? 6002);
const hostname = process.env.HOST ?? "127.0.0.1";
const server = createServer({ port, host: hostname }).register(...connectionManagementControllers);

const app = new Hono();
app.get("/", (c) => c.text("An existing Hono app. WebSocket clients connect to /ws."));
app.get("/stats", async (c) => c.json(await server.getServerStats()));

type DenoServe = (
  o: object,
  h: (r: Request, i: unknown) => Response | Promise<Response>,
) => { addr: { port: number }; shutdown(): Promise<void> };
const g = globalThis as { Bun?: unknown; Deno?: { serve: DenoServe } };
let bound: number;
if (g.Bun !== undefined) {
  const { upgradeWebSocket, websocket, getConnInfo } = await import("hono/bun");
  const { bunWebSocketOptions } = await import("../adapters/bun.ts");
  app.get("/ws", sockeon(server, upgradeWebSocket, { getConnInfo }));
  // frame limit and heartbeat (idleTimeout + sendPings) live on Bun's server, not on the Hono route
  const bun = Bun.serve({ port, hostname, fetch: app.fetch, websocket: { ...websocket, ...bunWebSocketOptions(server) } });
  server.onShutdown(() => bun.stop(true));
  bound = bun.port as number;
} else if (g.Deno !== undefined) {
  const { upgradeWebSocket, getConnInfo } = await import("hono/deno");
  app.get("/ws", sockeon(server, upgradeWebSocket as UpgradeWebSocket<any>, { getConnInfo }));
  const deno = g.Deno.serve({ port, hostname, onListen() {} }, (request, info) => app.fetch(request, info));
  server.onShutdown(() => deno.shutdown());
  bound = deno.addr.port;
} else {
  const { serve } = await import("@hono/node-server");
  const { getConnInfo } = await import("@hono/node-server/conninfo");
  const { createNodeWebSocket } = await import("@hono/node-ws");
  const { startHeartbeat } = await import("../adapters/node.ts");
  const { upgradeWebSocket, injectWebSocket, wss } = createNodeWebSocket({ app });
  app.get("/ws", sockeon(server, upgradeWebSocket, { getConnInfo }));
  // ws has no heartbeat of its own: ping/pong closes peers that stopped answering
  const stopHeartbeat = startHeartbeat(wss, server.options.idleTimeout);
  bound = await new Promise<number>((resolve) => {
    const http = serve({ fetch: app.fetch, port, hostname }, (info) => resolve(info.port));
    injectWebSocket(http);
    server.onShutdown(() => {
      stopHeartbeat();
      return new Promise<void>((done) => http.close(() => done()));
    });
  });
}
console.log(`Hono app on http://${hostname}:${bound}/ with sockeon-ts at ws://${hostname}:${bound}/ws`);

// graceful shutdown: queued frames are delivered, clients get close 1001, then the HTTP server stops
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, async () => {
    await server.close({ timeout: 5000 });
    process.exit(0);
  });
}
