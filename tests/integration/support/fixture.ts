import { type ServerOptions, SockeonServer } from "../../../src/index.ts";
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
  /**
   * Stops the served server (dropping its clients, as a crash or deploy would) and serves `server`, or a fresh
   * test server with `options`, on the same port. Resolves with the new server.
   */
  restart(server?: SockeonServer | ServerOptions): Promise<SockeonServer>;
  /** The first half of {@link Fixture.restart}: stops the served server and keeps its port for {@link Fixture.up}. */
  down(): Promise<void>;
  /** The second half of {@link Fixture.restart}: serves `server` (or a fresh one) on the port `down()` freed. */
  up(server?: SockeonServer | ServerOptions): Promise<SockeonServer>;
  /** The currently served server's URLs. */
  readonly served: Served;
}

/** Creates the fixture for one setup and registers its cleanup. Call once per suite. */
export function useFixture(setup: ServerSetup): Fixture {
  let served: Served | undefined;
  let downPort: number | undefined;
  const clients: TestClient[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close().catch(() => undefined)));
    await served?.stop();
    served = undefined;
    downPort = undefined;
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
    async restart(next) {
      await fixture.down();
      return await fixture.up(next);
    },
    async down() {
      const current = fixture.served;
      downPort = current.port;
      served = undefined;
      await current.stop();
    },
    async up(next) {
      if (downPort === undefined) throw new Error("fixture.up() needs a server stopped by fixture.down() first");
      const server = next instanceof SockeonServer ? next : testServer(next);
      served = await start(setup, server, downPort);
      downPort = undefined;
      return server;
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
