import { serve as nodeServe } from "@hono/node-server";
import { getConnInfo } from "@hono/node-server/conninfo";
import { createNodeWebSocket } from "@hono/node-ws";
import { Hono } from "hono";
import type { Listener, ListenOptions, SockeonServer } from "../src/index.ts";
import { sockeon } from "./hono.ts";

/** Handles for a running Node listener. */
export interface NodeListener extends Listener {
  /** The Hono app in front: WebSocket middleware first, then `server.app`. */
  readonly app: Hono;
}

/**
 * Serves a sockeon-ts server on Node with Hono, `@hono/node-server` and `@hono/node-ws`.
 * Resolves once the port is bound.
 * @example const listener = await serveNode(createServer().register(new Chat()), { port: 6001 });
 */
export async function serveNode(server: SockeonServer, options: ListenOptions = {}): Promise<NodeListener> {
  const app = new Hono();
  const nodeWs = createNodeWebSocket({ app });
  // ws closes with 1009 before the frame reaches JS; @hono/node-ws exposes no option for it
  (nodeWs.wss.options as { maxPayload?: number }).maxPayload = server.options.maxMessageSize;
  app.use("*", sockeon(server, nodeWs.upgradeWebSocket, { getConnInfo }));
  app.route("/", server.app);
  return await new Promise((resolve) => {
    const http = nodeServe(
      {
        fetch: app.fetch,
        port: options.port ?? server.options.port,
        hostname: options.hostname ?? server.options.host,
      },
      (info) => {
        const listener: NodeListener = {
          app,
          port: info.port,
          hostname: options.hostname ?? server.options.host,
          stop: () => server.close(),
        };
        // stop listening first; once the shutdown is done, cut the sockets that did not close in time
        const closedHttp = new Promise<void>((done) => server.onShutdown(() => void http.close(() => done()), "accepting"));
        server.onShutdown(() => {
          for (const client of nodeWs.wss.clients) client.terminate();
          (http as { closeAllConnections?: () => void }).closeAllConnections?.();
          return closedHttp;
        });
        options.onListen?.(listener);
        resolve(listener);
      },
    );
    nodeWs.injectWebSocket(http);
  });
}
