/** A server with fake connections (no network), for unit tests of the API surface. */
import { hostOf } from "../../src/extend.ts";
import { createServer, type ServerOptions, type SockeonServer } from "../../src/index.ts";
import { recordLogs } from "../integration/support/servers.ts";

/** A client opened on a fake connection: its id and the frames the server wrote to it. */
export interface FakeClient {
  id: string;
  frames: Array<{ event: string; data: unknown }>;
  closed?: { code?: number; reason?: string };
}

/** A quiet server for unit tests. */
export function fakeServer(options: ServerOptions = {}): SockeonServer {
  return createServer({ logger: recordLogs().logger, ...options });
}

/** The headers of a well-formed upgrade request (the core checks them before any policy step). */
export const UPGRADE_HEADERS = {
  upgrade: "websocket",
  connection: "Upgrade",
  "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
  "sec-websocket-version": "13",
};

/** Runs the handshake and opens a fake connection. */
export async function fakeClient(
  server: SockeonServer,
  url = "http://127.0.0.1/",
  headers: HeadersInit = {},
): Promise<FakeClient> {
  const host = hostOf(server);
  const accepted = await host.accept(new Request(url, { headers: { ...UPGRADE_HEADERS, ...headers } }), {
    remoteAddress: "127.0.0.1",
  });
  if (accepted.response) throw new Error(`handshake rejected: ${accepted.response.status} ${await accepted.response.text()}`);
  const client: FakeClient = { id: accepted.ticket.clientId, frames: [] };
  host.open(
    {
      send: (frame) => void client.frames.push(JSON.parse(frame)),
      close: (code, reason) => void (client.closed = { code, reason }),
      raw: null,
    },
    accepted.ticket,
  );
  return client;
}

/** Waits until the end-of-turn flush has written every queued frame. */
export function flushed(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
