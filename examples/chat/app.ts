/**
 * The chat server: the chat controller, the page at `/`, the page script at `/chat.js` and the standalone
 * client bundle at `/client.js`, all on one port next to the WebSocket (in-memory state, no external service).
 */
import { serve } from "../../adapters/serve.ts";
import { createServer, type Listener, type ServerOptions, type SockeonServer } from "../../src/index.ts";
import { bundle } from "./bundle.ts";
import { ChatController } from "./chat-controller.ts";
import { chatEvents } from "./events.ts";
import { chatPage } from "./page.ts";

const script = async (entry: string): Promise<Response> =>
  new Response(await bundle(entry), { headers: { "content-type": "text/javascript; charset=utf-8" } });

/** A chat server, not yet listening. Its event map describes what it sends (`server.asyncapi()`). */
export function createChatServer(options: ServerOptions = {}): SockeonServer {
  const server = createServer({ events: chatEvents, ...options }).register(new ChatController());
  server.app.get("/", (c) => c.html(chatPage));
  server.app.get("/chat.js", () => script("./browser.ts"));
  server.app.get("/client.js", () => script("../../client/index.ts"));
  return server;
}

/** Creates and serves a chat server on whichever runtime runs this code; the bundles are built before it listens. */
export async function startChat(options: ServerOptions = {}): Promise<{ server: SockeonServer; listener: Listener }> {
  const server = createChatServer(options);
  await Promise.all([bundle("./browser.ts"), bundle("../../client/index.ts")]);
  return { server, listener: await serve(server) };
}
