/**
 * Prometheus metrics through real sockets: exact counter values after known traffic (connections, frames by
 * event with unknown events collapsed, errors by kind, broadcasts, bytes, handshake rejections), the bearer
 * token, the probes, and metrics off serving nothing.
 */
import { SocketController, SocketOn } from "../../../src/index.ts";
import { MemoryBroker, MemoryBus } from "../../../src/scale/memory-broker.ts";
import { describe, expect, test } from "../../support/test.ts";
import { TestClient } from "../support/client.ts";
import { scrape } from "../support/exposition.ts";
import type { Fixture } from "../support/fixture.ts";
import { recordLogs, testServer } from "../support/servers.ts";
import { start } from "../support/setup.ts";
import { ValidatedSockets } from "./http-controller.ts";
import { ProbeController } from "./probe-controller.ts";

class Flooder extends SocketController {
  /** Broadcasts `count` frames of about `size` bytes to everyone in one turn. */
  @SocketOn("flood.all")
  flood(_clientId: string, data: { count: number; size: number }): void {
    const pad = "x".repeat(data.size);
    for (let i = 0; i < data.count; i++) this.broadcast("flood", { i, pad });
  }
}

export function metricsScenarios(fx: Fixture): void {
  const { serve, connect, setup } = fx;

  describe(`${setup.name}: metrics`, () => {
    test("exact values after known traffic; unknown events share one label value", async () => {
      const server = (await serve({ metrics: true, rateLimit: { enabled: true } })).register(
        new ProbeController(),
        new ValidatedSockets(),
      );
      server.addHandshakeMiddleware((ctx) => !ctx.url.searchParams.has("deny"));
      const [a, b, c] = [await connect(), await connect(), await connect()];
      await expect(connect("?deny")).rejects.toThrow();
      let up = 0;
      let down = 0;
      const send = (client: typeof a, frame: string): void => {
        up += new TextEncoder().encode(frame).length;
        client.send(frame);
      };
      const read = async (client: typeof a): Promise<{ event: string }> => {
        const raw = await client.nextRaw();
        down += new TextEncoder().encode(raw).length;
        return JSON.parse(raw) as { event: string };
      };
      send(a, JSON.stringify({ event: "echo", data: { text: "héllo" } }));
      expect((await read(a)).event).toBe("echo");
      send(b, "not json");
      expect((await read(b)).event).toBe("error");
      send(b, JSON.stringify({ event: "nope.1", data: {} }));
      send(b, JSON.stringify({ event: "nope.2", data: {} }));
      expect((await read(b)).event).toBe("error");
      expect((await read(b)).event).toBe("error");
      send(c, JSON.stringify({ event: "boom", data: {} }));
      expect((await read(c)).event).toBe("error");
      send(a, JSON.stringify({ event: "user.update", data: { name: 1 } }));
      expect((await read(a)).event).toBe("error");
      for (let i = 0; i < 3; i++) send(c, JSON.stringify({ event: "limited", data: {} }));
      // the three limit checks run concurrently: which one is refused is not fixed, that one is
      const answers = [(await read(c)).event, (await read(c)).event, (await read(c)).event];
      expect(answers.sort()).toEqual(["limited.ok", "limited.ok", "rate_limit_exceeded"]);
      const ids = await server.getClientIds();
      for (const id of ids.slice(0, 2)) server.joinRoom(id, "lobby");
      server.broadcastToRoomClients("news", { n: 1 }, "lobby");
      expect(ids).toHaveLength(3);
      // the two lobby members are the first two ids, whichever clients those are: read the news where it went
      let news = 0;
      for (const client of [a, b, c]) {
        client.emit("sockeon.ping");
        up += new TextEncoder().encode(JSON.stringify({ event: "sockeon.ping", data: {} })).length;
        for (;;) {
          const frame = await read(client);
          if (frame.event === "news") news++;
          if (frame.event === "sockeon.pong") break;
        }
      }
      expect(news).toBe(2);

      const { series: m } = await scrape(`${fx.served.http}/metrics`);
      expect(m.get('sockeon_connections{namespace="/"}')).toBe(3);
      expect(m.get('sockeon_rooms{namespace="/"}')).toBe(1);
      const received = {
        echo: 1,
        _invalid: 1,
        _unknown: 2,
        boom: 1,
        "user.update": 1,
        limited: 3,
        "sockeon.ping": 3,
      };
      for (const [event, n] of Object.entries(received))
        expect([event, m.get(`sockeon_messages_received_total{event="${event}"}`)]).toEqual([event, n]);
      expect([...m.keys()].filter((k) => k.startsWith("sockeon_messages_received_total"))).toHaveLength(7);
      const errors = { bad_frame: 1, unknown_event: 2, validation: 1, rate_limit: 1, handler: 1 };
      for (const [kind, n] of Object.entries(errors))
        expect([kind, m.get(`sockeon_errors_total{kind="${kind}"}`)]).toEqual([kind, n]);
      expect(m.get('sockeon_handler_duration_seconds_count{event="limited"}')).toBe(3);
      expect(m.get('sockeon_handler_duration_seconds_bucket{event="echo",le="+Inf"}')).toBe(1);
      expect(m.get("sockeon_broadcasts_total")).toBe(1);
      expect(m.get("sockeon_deliveries_total")).toBe(2);
      // echo, 5 errors (bad frame, 2 unknown, boom, validation), 2 limited.ok, the rate-limit frame, 2 news, 3 pongs
      expect(m.get("sockeon_messages_sent_total")).toBe(14);
      expect(m.get("sockeon_received_bytes_total")).toBe(up);
      expect(m.get("sockeon_sent_bytes_total")).toBe(down);
      expect(m.get('sockeon_handshake_rejections_total{status="403"}')).toBe(1);
      expect(m.get("sockeon_slow_consumer_disconnects_total")).toBe(0);

      await c.close();
      // the close is released on the server before a later frame of another client is answered
      a.emit("sockeon.ping");
      await a.nextEvent("sockeon.pong");
      const after = (await scrape(`${fx.served.http}/metrics`)).series;
      expect(after.get('sockeon_connections{namespace="/"}')).toBe(2);
    });

    test("a bearer token protects /metrics; a custom path; the probes answer", async () => {
      const server = await serve({
        metrics: { path: "/internal/metrics", token: "s3cret" },
        livenessPath: "/livez",
        readinessPath: "/readyz",
      });
      const http = fx.served.http;
      const denied = await fetch(`${http}/internal/metrics`);
      expect(denied.status).toBe(401);
      expect(denied.headers.get("www-authenticate")).toBe('Bearer realm="metrics"');
      await denied.text();
      const wrong = await fetch(`${http}/internal/metrics`, { headers: { authorization: "Bearer s3creT" } });
      expect(wrong.status).toBe(401);
      await wrong.text();
      await connect();
      expect((await scrape(`${http}/internal/metrics`, "s3cret")).series.get('sockeon_connections{namespace="/"}')).toBe(1);
      const live = await fetch(`${http}/livez`);
      expect([live.status, await live.json()]).toEqual([200, { status: "ok" }]);
      const ready = await fetch(`${http}/readyz`);
      expect([ready.status, await ready.json()]).toEqual([200, { status: "ready" }]);
      const closing = server.close({ timeout: 2000 });
      const during = await server.fetch(new Request(`${http}/readyz`));
      expect([during.status, await during.json()]).toEqual([503, { status: "not ready", reasons: ["shutting down"] }]);
      await closing;
    });

    test("admin API over a two-node cluster: credentials, CSRF, per-node rows, audited disconnect and broadcast", async () => {
      const bus = new MemoryBus();
      const logs = recordLogs();
      const admin = { auth: { token: "admin-token" } };
      const one = await serve({ broker: new MemoryBroker(bus, "node-a"), admin, logger: logs.logger });
      const two = testServer({ broker: new MemoryBroker(bus, "node-b") });
      const other = await start(setup, two);
      try {
        await Promise.all([one.ready(), two.ready()]);
        const a = await connect();
        const b = await TestClient.connect(other.url);
        const c = await TestClient.connect(other.url);
        two.joinRoom((await two.getClientIds())[0] as string, "lobby");
        const http = fx.served.http;
        const auth = { authorization: "Bearer admin-token" };
        const refused = await fetch(`${http}/admin/api/state`, { headers: { authorization: "Bearer nope" } });
        expect(refused.status).toBe(401);
        await refused.text();
        const state = (await (await fetch(`${http}/admin/api/state`, { headers: auth })).json()) as Record<string, unknown>;
        expect(state.nodes).toEqual([
          { node: "node-a", clients: 1, rooms: 0, namespaces: 1 },
          { node: "node-b", clients: 2, rooms: 1, namespaces: 1 },
        ]);
        expect(state).toMatchObject({ node: "node-a", connections: 1, cluster: { clients: 3, rooms: 1, namespaces: 1 } });
        const page = await fetch(`${http}/admin`, { headers: auth });
        const html = await page.text();
        const csrf = /data-csrf="([^"]+)"/.exec(html)?.[1] as string;
        expect(typeof csrf).toBe("string");
        const post = (path: string, body: unknown, headers: Record<string, string>) =>
          fetch(`${http}/admin/api/${path}`, {
            method: "POST",
            headers: { "content-type": "application/json", ...auth, ...headers },
            body: JSON.stringify(body),
          });
        const forged = await post("broadcast", { event: "x" }, {});
        expect(forged.status).toBe(403);
        await forged.text();
        const sent = await post("broadcast", { event: "admin.test", data: { n: 1 } }, { "x-sockeon-csrf": csrf });
        expect([sent.status, await sent.json()]).toEqual([200, { ok: true }]);
        for (const client of [a, b, c]) expect((await client.nextEvent("admin.test")).data).toEqual({ n: 1 });
        const cId = (await two.getClientIds())[1] as string;
        const cut = await post("disconnect", { clientId: cId }, { "x-sockeon-csrf": csrf });
        expect(cut.status).toBe(200);
        await cut.json();
        // c lives on the other node: the disconnect travels through the cluster
        const closed = await Promise.race([
          b.closed.then((x) => ({ who: "b", ...x })),
          c.closed.then((x) => ({ who: "c", ...x })),
        ]);
        expect(closed.code).toBe(1008);
        expect(closed.reason).toBe("Disconnected by an administrator");
        const audit = logs.lines.filter((l) => l.context?.action !== undefined).map((l) => [l.level, l.message]);
        expect(audit).toEqual([
          ["notice", "Admin token broadcast 'admin.test'"],
          ["notice", `Admin token disconnected client ${cId}`],
        ]);
        await b.close();
        await c.close();
      } finally {
        await other.stop();
      }
    });

    test("a slow consumer cut off is counted", async () => {
      const server = (await serve({ metrics: true, maxBufferedAmount: 256 * 1024 })).register(new Flooder());
      const victim = await connect();
      const sender = await connect();
      expect(await server.getClientCount()).toBe(2);
      // 64 x 32 KiB in one turn: 8x the limit, cut before anything is written
      sender.emit("flood.all", { count: 64, size: 32 * 1024 });
      expect(await victim.closed).toEqual({ code: 1008, reason: "Outbound buffer limit exceeded" });
      expect((await sender.closed).code).toBe(1008);
      const m = (await scrape(`${fx.served.http}/metrics`)).series;
      // the sender was flooded too (the broadcast reaches everyone): both cut
      expect(m.get("sockeon_slow_consumer_disconnects_total")).toBe(2);
      expect(m.get('sockeon_connections{namespace="/"}')).toBe(undefined);
    });

    test("metrics off: no endpoint, no probes", async () => {
      await serve();
      for (const path of ["/metrics", "/livez", "/readyz", "/admin"]) {
        const response = await fetch(`${fx.served.http}${path}`);
        expect([path, response.status]).toEqual([path, 404]);
        await response.text();
      }
    });
  });
}
