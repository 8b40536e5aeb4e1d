import type { ServerOptions, SockeonServer } from "../../../src/index.ts";
import { afterEach } from "../../support/test.ts";
import { TestClient } from "./client.ts";
import { testServer } from "./servers.ts";
import { type Served, type ServerSetup, start } from "./setup.ts";

/** Per-test server and clients for the scenario suite; everything is closed after each test. */
export interface Fixture {
  readonly setup: ServerSetup;
  /** Creates a quiet test server with these options and serves it; register controllers on the result. */
  serve(options?: ServerOptions): Promise<SockeonServer>;
  /** Serves an already created server. */
  serveServer(server: SockeonServer): Promise<Served>;
  /** Connects a client to the served server (closed after the test). */
  connect(query?: string): Promise<TestClient>;
  /** The currently served server's URLs. */
  readonly served: Served;
}

/** Creates the fixture for one setup and registers its cleanup. Call once per suite. */
export function useFixture(setup: ServerSetup): Fixture {
  let served: Served | undefined;
  const clients: TestClient[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close().catch(() => undefined)));
    await served?.stop();
    served = undefined;
  });
  const fixture: Fixture = {
    setup,
    async serve(options) {
      const server = testServer(options);
      await fixture.serveServer(server);
      return server;
    },
    async serveServer(server) {
      served = await start(setup, server);
      return served;
    },
    async connect(query = "") {
      const client = await TestClient.connect(`${fixture.served.url}${query}`);
      clients.push(client);
      return client;
    },
    get served(): Served {
      if (!served) throw new Error("no server is served in this test: call fixture.serve() first");
      return served;
    },
  };
  return fixture;
}
