// The admin dashboard: one self-contained page (inline style and script under a CSP nonce, no external
// resources), polling the JSON API beside it once a second.

/** What the page is rendered with. */
export interface AdminPageOptions {
  /** The dashboard's path; the API is under `${base}/api/`. */
  readonly base: string;
  /** Sent back with every action (header `x-sockeon-csrf`). */
  readonly csrf: string;
  /** The CSP nonce of the inline style and script. */
  readonly nonce: string;
}

const STYLE = `
body{font:14px system-ui,sans-serif;margin:0;background:#f4f5f7;color:#1d2330}
header{background:#1d2330;color:#fff;padding:10px 16px;display:flex;gap:24px;align-items:baseline}
header h1{font-size:16px;margin:0}
main{padding:12px 16px;display:grid;grid-template-columns:1fr 1fr;gap:12px}
section{background:#fff;border-radius:6px;padding:10px 12px;box-shadow:0 1px 2px #0002}
section.wide{grid-column:1/3}
h2{font-size:13px;margin:0 0 8px;text-transform:uppercase;color:#556}
.big{font-size:28px;font-weight:600}
canvas{width:100%;height:120px;display:block}
table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:3px 6px;border-bottom:1px solid #eee;font-size:13px}
code{font-size:12px}input{padding:4px 6px}button{padding:3px 10px;cursor:pointer}
#notice{min-height:18px;color:#075}
`;

const SCRIPT = `
const BASE = document.body.dataset.base, CSRF = document.body.dataset.csrf;
const $ = (id) => document.getElementById(id);
const history = { connections: [], received: [], sent: [] };
let last = null;
function text(el, value) { el.textContent = String(value); }
function cell(row, value) { const td = document.createElement("td"); td.textContent = value; row.appendChild(td); return td; }
function chart(canvas, series, colors) {
  const ctx = canvas.getContext("2d"), w = canvas.width = canvas.clientWidth, h = canvas.height = canvas.clientHeight;
  ctx.clearRect(0, 0, w, h);
  const max = Math.max(1, ...series.flat());
  ctx.fillStyle = "#889"; ctx.font = "11px sans-serif"; ctx.fillText(String(Math.round(max * 10) / 10), 2, 11);
  series.forEach((points, i) => {
    ctx.strokeStyle = colors[i]; ctx.lineWidth = 2; ctx.beginPath();
    const step = (w - 4) / Math.max(1, points.length - 1);
    points.forEach((v, x) => { const px = x * step + 2, py = h - 2 - (v / max) * (h - 16); x ? ctx.lineTo(px, py) : ctx.moveTo(px, py); });
    ctx.stroke();
  });
}
function push(list, value) { list.push(value); if (list.length > 60) list.shift(); }
async function act(path, body) {
  const res = await fetch(BASE + "/api/" + path, { method: "POST", headers: { "content-type": "application/json", "x-sockeon-csrf": CSRF }, body: JSON.stringify(body) });
  text($("notice"), res.ok ? path + " done" : path + " failed: " + res.status);
  refresh();
}
function render(s) {
  const now = performance.now();
  if (last) {
    const dt = (now - last.at) / 1000;
    push(history.received, Math.max(0, (s.received - last.received) / dt));
    push(history.sent, Math.max(0, (s.sent - last.sent) / dt));
  }
  last = { at: now, received: s.received, sent: s.sent };
  push(history.connections, s.connections);
  text($("node"), s.node ?? "single node");
  text($("uptime"), s.uptime + " s");
  text($("connections"), s.connections);
  text($("cluster-clients"), s.cluster ? s.cluster.clients : "?");
  text($("received"), s.received);
  text($("sent"), s.sent);
  text($("errors"), Object.entries(s.errors).map(([k, v]) => k + " " + v).join(" · "));
  text($("rate"), (history.received.at(-1) ?? 0).toFixed(1) + " in/s · " + (history.sent.at(-1) ?? 0).toFixed(1) + " out/s");
  chart($("chart-connections"), [history.connections], ["#2a6df4"]);
  chart($("chart-messages"), [history.received, history.sent], ["#e07b00", "#1b9e5a"]);
  const ns = $("namespaces"); ns.replaceChildren();
  for (const n of s.namespaces) {
    const row = document.createElement("tr"); row.dataset.namespace = n.name;
    cell(row, n.name); cell(row, n.clients); cell(row, n.rooms.map((r) => r.name + " (" + r.members + ")").join(", ") || "-");
    ns.appendChild(row);
  }
  const nodes = $("nodes"); nodes.replaceChildren();
  for (const n of s.nodes) {
    const row = document.createElement("tr"); row.dataset.node = n.node;
    cell(row, n.node + (n.node === s.node ? " (this node)" : "")); cell(row, n.clients); cell(row, n.rooms); cell(row, n.namespaces);
    nodes.appendChild(row);
  }
  $("nodes-section").hidden = s.nodes.length === 0;
  const list = $("clients"); list.replaceChildren();
  for (const c of s.clients) {
    const row = document.createElement("tr"); row.dataset.clientId = c.id;
    cell(row, c.id); cell(row, c.ip ?? "-"); cell(row, c.namespace); cell(row, c.rooms.join(", ") || "-"); cell(row, c.dataKeys.join(", ") || "-");
    const button = document.createElement("button"); button.textContent = "disconnect"; button.className = "disconnect";
    button.addEventListener("click", () => act("disconnect", { clientId: c.id }));
    cell(row, "").appendChild(button);
    list.appendChild(row);
  }
  text($("matching"), s.matching + " matching");
  document.body.dataset.updated = String(Number(document.body.dataset.updated || 0) + 1);
}
async function refresh() {
  try {
    const res = await fetch(BASE + "/api/state?q=" + encodeURIComponent($("search").value));
    if (res.ok) render(await res.json()); else text($("notice"), "state: " + res.status);
  } catch (error) { text($("notice"), "state: " + error.message); }
}
$("search").addEventListener("input", refresh);
$("broadcast").addEventListener("submit", (e) => {
  e.preventDefault();
  let data = $("bc-data").value;
  try { data = JSON.parse(data); } catch { /* sent as a string */ }
  const body = { event: $("bc-event").value, data };
  if ($("bc-namespace").value) body.namespace = $("bc-namespace").value;
  act("broadcast", body);
});
refresh(); setInterval(refresh, 1000);
`;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** The dashboard's HTML. */
export function adminPage({ base, csrf, nonce }: AdminPageOptions): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>sockeon-ts admin</title><style nonce="${nonce}">${STYLE}</style></head>
<body data-base="${escapeHtml(base)}" data-csrf="${escapeHtml(csrf)}">
<header><h1>sockeon-ts admin</h1><span>node <b id="node">-</b></span><span>up <b id="uptime">-</b></span><span id="notice"></span></header>
<main>
<section><h2>Connections (this node)</h2><div class="big" id="connections">-</div><div>cluster: <b id="cluster-clients">-</b></div><canvas id="chart-connections"></canvas></section>
<section><h2>Messages</h2><div class="big" id="rate">-</div><div>received <b id="received">-</b> · sent <b id="sent">-</b></div><div>errors: <span id="errors">-</span></div><canvas id="chart-messages"></canvas></section>
<section><h2>Namespaces and rooms</h2><table><thead><tr><th>namespace</th><th>clients</th><th>rooms (members)</th></tr></thead><tbody id="namespaces"></tbody></table></section>
<section class="wide" id="nodes-section" hidden><h2>Nodes</h2><table><thead><tr><th>node</th><th>clients</th><th>rooms</th><th>namespaces</th></tr></thead><tbody id="nodes"></tbody></table></section>
<section><h2>Broadcast a test message</h2><form id="broadcast"><input id="bc-event" placeholder="event" required value="admin.test"> <input id="bc-data" placeholder='data (JSON)' value='{"text":"hello from admin"}'> <input id="bc-namespace" placeholder="namespace (all)" size="10"> <button>broadcast</button></form></section>
<section class="wide"><h2>Clients <input id="search" placeholder="search id, address, room, data key"> <span id="matching"></span></h2>
<table><thead><tr><th>id</th><th>address</th><th>namespace</th><th>rooms</th><th>data keys</th><th></th></tr></thead><tbody id="clients"></tbody></table></section>
</main><script nonce="${nonce}">${SCRIPT}</script></body></html>`;
}
