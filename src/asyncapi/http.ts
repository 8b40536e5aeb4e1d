/**
 * The documents on the server's HTTP side (`asyncapi: true` or a path): JSON and YAML of the AsyncAPI and
 * OpenAPI documents, and a page that renders the AsyncAPI document offline with `@asyncapi/react-component`'s
 * standalone bundle, read from the user's node_modules when that optional peer dependency is installed.
 */
import type { Context } from "hono";
import { type AsyncApiInfo, asyncapi } from "./asyncapi.ts";
import { openapi } from "./openapi.ts";
import type { DescribedServer } from "./source.ts";
import { toYaml } from "./yaml.ts";

/** The renderer package: an optional peer dependency (its assets are megabytes). */
export const RENDERER_PACKAGE = "@asyncapi/react-component";
const ASSETS = {
  "renderer.js": { file: "browser/standalone/index.js", type: "text/javascript; charset=utf-8" },
  "renderer.css": { file: "styles/default.min.css", type: "text/css; charset=utf-8" },
} as const;

type Asset = keyof typeof ASSETS;

/** Where a file of the renderer package is, or null when the package is not installed. */
function assetUrl(file: string): string | null {
  try {
    return import.meta.resolve(`${RENDERER_PACKAGE}/${file}`);
  } catch {
    return null;
  }
}

/** Reads a local file by URL: through the runtime's `fs` where it offers one (Node's fetch has no file:), else fetch. */
async function readLocal(url: string): Promise<Uint8Array | null> {
  try {
    const fs = (
      globalThis as { process?: { getBuiltinModule?: (id: string) => { readFileSync(u: URL): Uint8Array } | undefined } }
    ).process?.getBuiltinModule?.("fs");
    if (fs) return new Uint8Array(fs.readFileSync(new URL(url)));
    const response = await fetch(url);
    return response.ok ? new Uint8Array(await response.arrayBuffer()) : null;
  } catch {
    return null;
  }
}

const loaded = new Map<Asset, Promise<Uint8Array | null>>();

/** A renderer asset, read once; null when the renderer is not installed. */
export function rendererAsset(name: Asset): Promise<Uint8Array | null> {
  let asset = loaded.get(name);
  if (!asset) {
    const url = assetUrl(ASSETS[name].file);
    asset = url === null || !url.startsWith("file:") ? Promise.resolve(null) : readLocal(url);
    loaded.set(name, asset);
  }
  return asset;
}

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The page: the rendered document, or how to install the renderer. */
function page(base: string, title: string, installed: boolean): string {
  const links = `<a href="${base}/asyncapi.json">asyncapi.json</a> · <a href="${base}/asyncapi.yaml">asyncapi.yaml</a> · <a href="${base}/openapi.json">openapi.json</a> · <a href="${base}/openapi.yaml">openapi.yaml</a>`;
  if (!installed) {
    return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body>
<h1>${escapeHtml(title)}</h1>
<p id="install">The AsyncAPI renderer is not installed. Install it next to sockeon-ts to see this API rendered here, offline:</p>
<pre>npm install ${RENDERER_PACKAGE}</pre>
<p>The documents: ${links}</p>
</body></html>`;
  }
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="${base}/renderer.css"></head><body>
<p style="margin:8px 16px;font:14px sans-serif">${links}</p>
<div id="asyncapi"></div>
<script src="${base}/renderer.js"></script>
<script>
fetch(${JSON.stringify(`${base}/asyncapi.json`)}).then((r) => r.text()).then((schema) => {
  AsyncApiStandalone.render({ schema, config: { show: { sidebar: true } } }, document.getElementById("asyncapi"));
});
</script>
</body></html>`;
}

/** The document's server entry for the listener this request reached. */
function servedInfo(c: Context, info: AsyncApiInfo): AsyncApiInfo {
  if (info.servers) return info;
  const url = new URL(c.req.url);
  const secure = url.protocol === "https:" || c.req.header("x-forwarded-proto") === "https";
  return { ...info, servers: { default: { host: url.host, protocol: secure ? "wss" : "ws" } } };
}

/**
 * Registers the documents' routes on the server's Hono app under `base`: `base` (page), `base/asyncapi.json`,
 * `base/asyncapi.yaml`, `base/openapi.json`, `base/openapi.yaml`, `base/renderer.js`, `base/renderer.css`.
 * Documents are built per request, so controllers registered later appear in them.
 * @param server the server whose API is described
 * @param base the path, e.g. `/asyncapi`
 * @param info title, version and servers; default: the listener the request reached
 * @example mountAsyncApi(server, "/docs", { title: "Chat" })
 */
export function mountAsyncApi(server: DescribedServer, base: string, info: AsyncApiInfo = {}): void {
  const app = server.app;
  const yaml = (text: string): Response => new Response(text, { headers: { "content-type": "application/yaml; charset=utf-8" } });
  app.get(`${base}/asyncapi.json`, (c) => c.json(asyncapi(server, servedInfo(c, info))));
  app.get(`${base}/asyncapi.yaml`, (c) => yaml(toYaml(asyncapi(server, servedInfo(c, info)))));
  app.get(`${base}/openapi.json`, (c) => c.json(openapi(server, servedInfo(c, info))));
  app.get(`${base}/openapi.yaml`, (c) => yaml(toYaml(openapi(server, servedInfo(c, info)))));
  for (const name of Object.keys(ASSETS) as Asset[]) {
    app.get(`${base}/${name}`, async (c) => {
      const bytes = await rendererAsset(name);
      if (!bytes) return c.json({ error: `Not Found: install ${RENDERER_PACKAGE} to serve the renderer` }, 404);
      return new Response(bytes as BodyInit, {
        headers: { "content-type": ASSETS[name].type, "cache-control": "public, max-age=3600" },
      });
    });
  }
  app.get(base, async (c) => {
    const installed = (await rendererAsset("renderer.js")) !== null;
    return c.html(page(base, info.title ?? "sockeon-ts server", installed));
  });
}
