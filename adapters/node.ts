import type { Server } from "node:http";
import { serve as nodeServe } from "@hono/node-server";
import { getConnInfo } from "@hono/node-server/conninfo";
import { createNodeWebSocket } from "@hono/node-ws";
import { type Context, Hono } from "hono";
import type { Listener, ListenOptions, SockeonServer } from "../src/index.ts";
import { sockeon } from "./hono.ts";
import { startHeartbeat } from "./node-heartbeat.ts";
import { keepRejectionBodies } from "./node-rejections.ts";

/** Node-specific options. */
export interface NodeServeOptions extends ListenOptions {
  /** Heartbeat seconds (`ws` ping/pong); default the server's `idleTimeout` (120), 0 disables. */
  idleTimeout?: number;
}

/** Handles for a running Node listener. */
export interface NodeListener extends Listener {
  /** The Hono app in front: WebSocket middleware first, then every other request forwarded to `server.app`. */
  readonly app: Hono;
}

/**
 * Serves a sockeon-ts server on Node with Hono, `@hono/node-server` and `@hono/node-ws`.
 * Resolves once the port is bound.
 * @example const listener = await serveNode(createServer().register(new Chat()), { port: 6001 });
 */
export async function serveNode(server: SockeonServer, options: NodeServeOptions = {}): Promise<NodeListener> {
  const app = new Hono();
  const nodeWs = createNodeWebSocket({ app });
  // ws closes with 1009 before the frame reaches JS; @hono/node-ws exposes no option for it
  (nodeWs.wss.options as { maxPayload?: number }).maxPayload = server.options.maxMessageSize;
  let record: ReturnType<typeof keepRejectionBodies> | undefined;
  const onReject = (c: Context, response: Response) => record?.(c.env.incoming, response);
  app.use("*", sockeon(server, nodeWs.upgradeWebSocket, { getConnInfo, onReject }));
  const stopHeartbeat = startHeartbeat(nodeWs.wss, options.idleTimeout ?? server.options.idleTimeout);
  // forwarded per request (not app.route) so controllers registered after serving still get their routes
  app.all("*", (c) => server.fetch(c.req.raw, { remoteAddress: getConnInfo(c).remote.address }));
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
          stop: () =>
            new Promise<void>((done) => {
              stopHeartbeat();
              for (const client of nodeWs.wss.clients) client.terminate();
              http.close(() => done());
            }),
        };
        options.onListen?.(listener);
        resolve(listener);
      },
    );
    record = keepRejectionBodies(http as Server);
    nodeWs.injectWebSocket(http);
  });
}

// for users who wire @hono/node-ws into their own Node app: the same heartbeat and rejection bodies
export { startHeartbeat } from "./node-heartbeat.ts";
export { keepRejectionBodies } from "./node-rejections.ts";
