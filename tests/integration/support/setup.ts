import type { Listener, SockeonServer } from "../../../src/index.ts";

/** One way of serving a server (an adapter on a runtime) that the scenario suite runs against. */
export interface ServerSetup {
  /** Shown in test names, e.g. "bun", "hono-bun". */
  readonly name: string;
  /** Serves the server on 127.0.0.1, port 0. */
  listen(server: SockeonServer): Promise<Listener>;
}

/** A served server for one test: its ws:// URL and a stop function. */
export interface Served {
  readonly url: string;
  readonly http: string;
  readonly port: number;
  stop(): Promise<void>;
}

/** Serves `server` with `setup` and returns its URLs. */
export async function start(setup: ServerSetup, server: SockeonServer): Promise<Served> {
  const listener = await setup.listen(server);
  return {
    url: `ws://127.0.0.1:${listener.port}/`,
    http: `http://127.0.0.1:${listener.port}`,
    port: listener.port,
    stop: () => listener.stop(),
  };
}
