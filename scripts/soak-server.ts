/**
 * The server side of `npm run soak`: a sockeon-ts server on whichever runtime runs this file, with a chat-like
 * controller and a `/soak/stats` route that collects garbage and reports RSS and the client count.
 */
import process from "node:process";
import { serve } from "../adapters/serve.ts";
import { createConsoleLogger, createServer, SocketController, SocketOn } from "../src/index.ts";

class SoakController extends SocketController {
  @SocketOn("soak.join")
  join(clientId: string, data: { room: string }): void {
    this.joinRoom(clientId, data.room);
    this.setClientData(clientId, "room", data.room);
  }

  @SocketOn("soak.say")
  say(clientId: string, data: { room: string; text: string }): void {
    this.broadcastToRoomClients("soak.said", { from: clientId, text: data.text }, data.room);
  }
}

const server = createServer({
  port: 0,
  host: "127.0.0.1",
  maxConnections: Number(process.env.SOAK_MAX_CONNECTIONS ?? 20_000),
  logger: createConsoleLogger({ level: "error" }),
}).register(new SoakController());

async function collectGarbage(): Promise<void> {
  const g = globalThis as { Bun?: { gc(force: boolean): void }; gc?: () => void };
  for (let i = 0; i < 3; i++) {
    if (g.Bun) g.Bun.gc(true);
    else g.gc?.();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

server.app.get("/soak/stats", async (c) => {
  await collectGarbage();
  const memory = process.memoryUsage();
  return c.json({
    rss: memory.rss,
    heap: memory.heapUsed,
    heapTotal: memory.heapTotal,
    external: memory.external,
    clients: await server.getClientCount(),
  });
});

const listener = await serve(server);
console.log(`SOAK_PORT=${listener.port}`);
process.once("SIGTERM", async () => {
  await server.close({ timeout: 2000 });
  process.exit(0);
});
