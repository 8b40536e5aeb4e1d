import type { Context } from "hono";
import { randomId } from "../engine/client-id.ts";
import type { ServerStats } from "../engine/queries.ts";
import type { NodeRow } from "../scale/queries.ts";
import { adminPage } from "./admin-page.ts";
import { bearer, sameSecret } from "./auth.ts";
import type { ObservedServer } from "./observed.ts";
import type { ResolvedObservability } from "./options.ts";
import type { ServerMetrics } from "./server-metrics.ts";

/** Longest client list one state request returns. */
const CLIENT_LIST_LIMIT = 200;

type Admin = NonNullable<ResolvedObservability["admin"]>;

/** Who is calling, or null when the credentials are missing or wrong. */
function authorize(c: Context, admin: Admin): string | null {
  const auth = admin.auth;
  if ("token" in auth) return sameSecret(bearer(c) ?? "", auth.token) ? "token" : null;
  const header = c.req.header("authorization") ?? "";
  if (!header.startsWith("Basic ")) return null;
  let decoded: string;
  try {
    decoded = new TextDecoder().decode(Uint8Array.from(atob(header.slice(6)), (ch) => ch.charCodeAt(0)));
  } catch {
    return null;
  }
  const colon = decoded.indexOf(":");
  const user = colon < 0 ? decoded : decoded.slice(0, colon);
  const password = colon < 0 ? "" : decoded.slice(colon + 1);
  // both compared, always, so the time taken does not tell which one was wrong
  const ok = sameSecret(user, auth.username) && sameSecret(password, auth.password);
  return ok ? user : null;
}

function unauthorized(c: Context, admin: Admin): Response {
  const scheme = "token" in admin.auth ? 'Bearer realm="sockeon admin"' : 'Basic realm="sockeon admin", charset="UTF-8"';
  return c.text("Unauthorized\n", 401, { "www-authenticate": scheme, "cache-control": "no-store" });
}

function snapshot(server: ObservedServer, metrics: ServerMetrics, query: string): Record<string, unknown> {
  const { state } = server;
  const namespaces = state.namespaces
    .names()
    .sort()
    .map((name) => ({
      name,
      clients: state.namespaces.members(name)?.size ?? 0,
      rooms: state.rooms
        .roomsIn(name)
        .sort()
        .map((room) => ({ name: room, members: state.rooms.members(room, name)?.size ?? 0 })),
    }));
  const q = query.toLowerCase();
  const clients: Array<Record<string, unknown>> = [];
  let matching = 0;
  for (const session of state.sessions.values()) {
    const rooms = state.rooms.roomsOf(session.id).map((r) => (r.namespace === "/" ? r.room : `${r.namespace}:${r.room}`));
    const keys = Object.keys(state.data.all(session.id));
    const text = [session.id, session.ip ?? "", ...rooms, ...keys].join(" ").toLowerCase();
    if (q !== "" && !text.includes(q)) continue;
    matching++;
    if (clients.length < CLIENT_LIST_LIMIT)
      clients.push({
        id: session.id,
        ip: session.ip,
        namespace: state.namespaces.of(session.id) ?? "/",
        rooms,
        dataKeys: keys,
        connectedAt: session.connectedAt,
      });
  }
  let received = 0;
  for (const cell of metrics.received.values()) received += cell.n;
  return {
    node: state.cluster?.broker.nodeId ?? null,
    uptime: Math.floor((Date.now() - state.startedAt) / 1000),
    connections: state.sessions.size,
    received,
    sent: metrics.sent,
    broadcasts: metrics.broadcasts,
    errors: { ...metrics.errors },
    namespaces,
    clients,
    matching,
  };
}

/** Serves the admin dashboard and its JSON API under `admin.path`; every route needs the configured credentials. */
export function mountAdmin(server: ObservedServer, admin: Admin, metrics: ServerMetrics): void {
  const { app } = server;
  const logger = server.options.logger;
  // unguessable and never sent to another origin: a page elsewhere cannot read it, so cannot forge an action
  const csrf = randomId();
  const base = admin.path;
  const guard = (c: Context): string | Response => authorize(c, admin) ?? unauthorized(c, admin);
  const action = async (c: Context): Promise<{ who: string; body: Record<string, unknown> } | Response> => {
    const who = guard(c);
    if (typeof who !== "string") return who;
    if (!sameSecret(c.req.header("x-sockeon-csrf") ?? "", csrf)) return c.json({ error: "Missing or wrong CSRF token" }, 403);
    const body: unknown = await c.req.json().catch(() => null);
    if (typeof body !== "object" || body === null) return c.json({ error: "Expected a JSON object" }, 400);
    return { who, body: body as Record<string, unknown> };
  };

  app.get(base, (c) => {
    const who = guard(c);
    if (typeof who !== "string") return who;
    const nonce = randomId();
    return c.html(adminPage({ base, csrf, nonce }), 200, {
      "content-security-policy": `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
      "referrer-policy": "no-referrer",
    });
  });
  app.get(`${base}/api/state`, async (c) => {
    const who = guard(c);
    if (typeof who !== "string") return who;
    const body = snapshot(server, metrics, c.req.query("q") ?? "");
    let cluster: ServerStats | null = null;
    let nodes: NodeRow[] = [];
    try {
      cluster = await server.api.getServerStats();
      if (server.state.cluster) nodes = await server.state.cluster.ask("node", []);
    } catch {
      // the local numbers are still worth showing
    }
    return c.json({ ...body, cluster, nodes }, 200, { "cache-control": "no-store" });
  });
  app.post(`${base}/api/disconnect`, async (c) => {
    const a = await action(c);
    if (a instanceof Response) return a;
    const id = a.body.clientId;
    if (typeof id !== "string" || id === "") return c.json({ error: "clientId must be a non-empty string" }, 400);
    logger.notice(`Admin ${a.who} disconnected client ${id}`, { admin: a.who, clientId: id, action: "disconnect" });
    server.api.disconnect(id, 1008, "Disconnected by an administrator");
    return c.json({ ok: true });
  });
  app.post(`${base}/api/broadcast`, async (c) => {
    const a = await action(c);
    if (a instanceof Response) return a;
    const { event, data, namespace } = a.body;
    if (typeof event !== "string" || event === "" || event.startsWith("sockeon."))
      return c.json({ error: "event must be a non-empty string not starting with sockeon." }, 400);
    if (namespace !== undefined && (typeof namespace !== "string" || namespace === ""))
      return c.json({ error: "namespace must be a non-empty string" }, 400);
    logger.notice(`Admin ${a.who} broadcast '${event}'${namespace ? ` to ${namespace}` : ""}`, {
      admin: a.who,
      event,
      action: "broadcast",
    });
    if (namespace === undefined) server.api.broadcast(event, data ?? null);
    else server.api.broadcastToNamespace(event, data ?? null, namespace);
    return c.json({ ok: true });
  });
}
