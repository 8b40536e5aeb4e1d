/**
 * The metrics endpoint judged by Prometheus itself (Debian's `prometheus` package): `promtool check metrics`
 * on a scrape after real traffic (bad frames, unknown events, a failing handler, a backplane), then a real
 * Prometheus server on a free port scraping two nodes that share a Redis backplane, and a query through its
 * HTTP API returning the summed connection count; then a Redis outage seen in the backplane metrics and the
 * readiness probe.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "redis";
import { type NodeListener, serveNode } from "../../adapters/node.ts";
import { createServer, type SockeonServer } from "../../src/index.ts";
import { createRedisBroker } from "../../src/redis.ts";
import { ProbeController } from "../integration/scenarios/probe-controller.ts";
import { TestClient } from "../integration/support/client.ts";
import { scrape } from "../integration/support/exposition.ts";
import { recordLogs } from "../integration/support/servers.ts";
import { requireBinary } from "../support/debian-package.ts";
import { freePort, type RedisProcess, startRedis } from "../support/redis-server.ts";
import { afterAll, describe, expect, test } from "../support/test.ts";

const PROMTOOL = requireBinary("promtool", "prometheus");
const PROMETHEUS = requireBinary("prometheus", "prometheus");
/** How long the Prometheus test waits for both targets to be scraped: a bound for failing clearly, not a timing. */
const SCRAPE_WAIT_MS = 60_000;

const work = mkdtempSync(join(tmpdir(), "sockeon-prometheus-"));
const cleanup: Array<() => Promise<unknown> | unknown> = [];
afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
  rmSync(work, { recursive: true, force: true });
});

let redis: RedisProcess | undefined;
async function node(name: string): Promise<{ server: SockeonServer; listener: NodeListener }> {
  if (!redis) {
    redis = await startRedis();
    cleanup.push(() => redis?.kill());
  }
  const client = createClient({ url: redis.url, socket: { reconnectStrategy: (n: number) => Math.min(50 * 2 ** n, 500) } });
  client.on("error", () => {});
  await client.connect();
  const server = createServer({
    port: 0,
    logger: recordLogs().logger,
    metrics: true,
    readinessPath: "/readyz",
    broker: createRedisBroker({ redis: client, nodeId: name }),
  }).register(new ProbeController());
  server.onShutdown(() => client.close());
  const listener = await serveNode(server, { port: 0, hostname: "127.0.0.1" });
  await server.ready();
  cleanup.push(() => listener.stop());
  return { server, listener };
}

async function clients(listener: NodeListener, n: number): Promise<TestClient[]> {
  const out: TestClient[] = [];
  for (let i = 0; i < n; i++) out.push(await TestClient.connect(`ws://127.0.0.1:${listener.port}/`));
  cleanup.push(() => Promise.all(out.map((c) => c.close())));
  return out;
}

describe("metrics judged by Prometheus", () => {
  test("promtool check metrics: clean after traffic, bad frames and a failing handler", async () => {
    const { listener } = await node("promtool-node");
    const [a, b] = await clients(listener, 2);
    a?.emit("echo", { x: 1 }, 1);
    await a?.nextEvent("ack");
    b?.send("{ not json");
    b?.emit("no.such.event");
    b?.emit("boom", {}, 2);
    b?.emit("sockeon.ping");
    await b?.nextEvent("sockeon.pong");
    const { text, series } = await scrape(`http://127.0.0.1:${listener.port}/metrics`);
    expect(series.get("sockeon_backplane_up")).toBe(1);
    expect(series.get('sockeon_errors_total{kind="handler"}')).toBe(1);
    const file = join(work, "scrape.txt");
    writeFileSync(file, text);
    const check = spawnSync(PROMTOOL, ["check", "metrics"], { input: text, encoding: "utf8" });
    expect({ status: check.status, out: `${check.stdout}${check.stderr}`.trim() }).toEqual({ status: 0, out: "" });
  });

  test("a real Prometheus scrapes two nodes; sum(sockeon_connections) is the cluster's connection count", async () => {
    const one = await node("node-one");
    const two = await node("node-two");
    await clients(one.listener, 2);
    await clients(two.listener, 3);
    const port = await freePort();
    const config = join(work, "prometheus.yml");
    writeFileSync(
      config,
      [
        "global:",
        "  scrape_interval: 1s",
        "  scrape_timeout: 1s",
        "scrape_configs:",
        "  - job_name: sockeon",
        "    static_configs:",
        `      - targets: ["127.0.0.1:${one.listener.port}", "127.0.0.1:${two.listener.port}"]`,
        "",
      ].join("\n"),
    );
    const check = spawnSync(PROMTOOL, ["check", "config", config], { encoding: "utf8" });
    expect(check.status).toBe(0);
    const prometheus: ChildProcess = spawn(
      PROMETHEUS,
      [
        `--config.file=${config}`,
        `--storage.tsdb.path=${join(work, "data")}`,
        `--web.listen-address=127.0.0.1:${port}`,
        "--log.level=warn",
      ],
      { stdio: ["ignore", "ignore", "pipe"] },
    );
    let log = "";
    prometheus.stderr?.on("data", (chunk) => {
      log += String(chunk);
    });
    const exited = new Promise((resolve) => prometheus.once("exit", resolve));
    cleanup.push(async () => {
      if (prometheus.exitCode === null) prometheus.kill("SIGTERM");
      await exited;
    });

    const query = async (q: string): Promise<number | undefined> => {
      try {
        const response = await fetch(`http://127.0.0.1:${port}/api/v1/query?query=${encodeURIComponent(q)}`);
        const body = (await response.json()) as { status: string; data: { result: Array<{ value: [number, string] }> } };
        const value = body.data?.result?.[0]?.value?.[1];
        return value === undefined ? undefined : Number(value);
      } catch {
        return undefined; // not listening yet
      }
    };
    // Prometheus scrapes on its own schedule: wait (bounded) until both targets were scraped up
    const deadline = Date.now() + SCRAPE_WAIT_MS;
    let up: number | undefined;
    while ((up = await query('sum(up{job="sockeon"})')) !== 2 && Date.now() < deadline && prometheus.exitCode === null)
      await new Promise((resolve) => setTimeout(resolve, 200));
    expect({ up, exit: prometheus.exitCode, log: up === 2 ? "" : log }).toEqual({ up: 2, exit: null, log: "" });
    expect(await query('sum(sockeon_connections{job="sockeon"})')).toBe(5);
    expect(await query('count(sockeon_connections{job="sockeon"})')).toBe(2);
    expect(await query('sum(sockeon_backplane_up{job="sockeon"})')).toBe(2);

    // the Grafana dashboard in examples/: every query is valid PromQL that Prometheus answers, on metric names
    // the nodes export
    const dashboard = JSON.parse(readFileSync("examples/grafana-dashboard.json", "utf8")) as {
      panels: Array<{ title: string; targets: Array<{ expr: string }> }>;
    };
    const { text } = await scrape(`http://127.0.0.1:${one.listener.port}/metrics`);
    const exported = new Set([...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]));
    for (const panel of dashboard.panels)
      for (const { expr } of panel.targets) {
        const q = expr.replaceAll("$__rate_interval", "1m").replaceAll("$job", "sockeon");
        const response = await fetch(`http://127.0.0.1:${port}/api/v1/query?query=${encodeURIComponent(q)}`);
        const body = (await response.json()) as { status: string; error?: string };
        expect({ panel: panel.title, status: body.status, error: body.error }).toEqual({
          panel: panel.title,
          status: "success",
          error: undefined,
        });
        for (const name of q.match(/sockeon_[a-z_]+/g) ?? [])
          expect({ name, exported: exported.has(name.replace(/_(bucket|sum|count)$/, "")) }).toEqual({ name, exported: true });
      }
  }, 120_000);

  test("a Redis outage: readiness 503 and backplane_up 0, broadcasts dropped counted, one reconnect once it is back", async () => {
    const { server, listener } = await node("outage-node");
    const http = `http://127.0.0.1:${listener.port}`;
    const metrics = async (): Promise<Map<string, number>> => (await scrape(`${http}/metrics`)).series;
    /** Polls (bounded) until `check` holds: the broker notices an outage and a recovery on its own schedule. */
    const until = async (what: string, check: () => Promise<boolean>): Promise<void> => {
      const deadline = Date.now() + SCRAPE_WAIT_MS;
      while (!(await check())) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    expect((await metrics()).get("sockeon_backplane_up")).toBe(1);
    expect((await metrics()).get("sockeon_backplane_reconnects_total")).toBe(0);
    await redis?.kill();
    await until("the outage to be noticed", async () => (await metrics()).get("sockeon_backplane_up") === 0);
    const ready = await fetch(`${http}/readyz`);
    expect([ready.status, await ready.json()]).toEqual([503, { status: "not ready", reasons: ["backplane disconnected"] }]);
    for (let i = 0; i < 3; i++) server.broadcast("during.outage", { i });
    expect((await metrics()).get("sockeon_backplane_dropped_total")).toBe(3);
    await redis?.start();
    await until("the backplane to be back", async () => (await metrics()).get("sockeon_backplane_up") === 1);
    const after = await metrics();
    expect(after.get("sockeon_backplane_reconnects_total")).toBe(1);
    expect(after.get("sockeon_backplane_dropped_total")).toBe(3);
    expect((await fetch(`${http}/readyz`)).status).toBe(200);
  }, 120_000);
});
