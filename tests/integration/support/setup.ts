import type { Listener, SockeonServer } from "../../../src/index.ts";

/** One way of serving a server (an adapter on a runtime) that the scenario suite runs against. */
export interface ServerSetup {
  /** Shown in test names, e.g. "bun", "hono-bun". */
  readonly name: string;
  /** Serves the server on 127.0.0.1, on `port` (default 0: a free port). */
  listen(server: SockeonServer, port?: number): Promise<Listener>;
}

/** A served server for one test: its ws:// URL and a stop function. */
export interface Served {
  readonly url: string;
  readonly http: string;
  readonly port: number;
  stop(): Promise<void>;
}

/** Serves `server` with `setup` (on `port`, default a free one) and returns its URLs. */
export async function start(setup: ServerSetup, server: SockeonServer, port = 0): Promise<Served> {
  const listener = await setup.listen(server, port);
  return {
    url: `ws://127.0.0.1:${listener.port}/`,
    http: `http://127.0.0.1:${listener.port}`,
    port: listener.port,
    stop: () => listener.stop(),
  };
}
