import type { EngineState } from "../engine/state.ts";
import { mountAdmin } from "./admin-routes.ts";
import { bearer, sameSecret } from "./auth.ts";
import { EXPOSITION_CONTENT_TYPE, writeExposition } from "./exposition.ts";
import type { ObservedServer } from "./observed.ts";
import type { BackplaneStats } from "./server-metrics.ts";

function backplaneDown(state: EngineState): boolean {
  const broker = state.cluster?.broker as { backplaneStats?: () => BackplaneStats; connected?: boolean } | undefined;
  if (!broker) return false;
  if (typeof broker.backplaneStats === "function") return !broker.backplaneStats().up;
  return broker.connected === false;
}

/**
 * Adds the observability routes the options ask for to the server's app: `/metrics` (Prometheus text format),
 * the liveness and readiness probes, and the admin dashboard.
 */
export function mountObservability(server: ObservedServer): void {
  const { app, options, metrics } = server;
  if (options.metrics && metrics) {
    const { path, token } = options.metrics;
    app.get(path, (c) => {
      if (token !== null && !sameSecret(bearer(c) ?? "", token))
        return c.text("Unauthorized\n", 401, { "www-authenticate": 'Bearer realm="metrics"' });
      return c.body(writeExposition(metrics.families(server.state)), 200, { "content-type": EXPOSITION_CONTENT_TYPE });
    });
  }
  if (options.livenessPath) app.get(options.livenessPath, (c) => c.json({ status: "ok" }));
  if (options.readinessPath) {
    app.get(options.readinessPath, (c) => {
      const reasons: string[] = [];
      if (server.closing()) reasons.push("shutting down");
      if (backplaneDown(server.state)) reasons.push("backplane disconnected");
      return reasons.length === 0 ? c.json({ status: "ready" }) : c.json({ status: "not ready", reasons }, 503);
    });
  }
  if (options.admin && metrics) mountAdmin(server, options.admin, metrics);
}
