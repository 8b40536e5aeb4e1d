/// <reference types="bun" />
/**
 * `bun bench/heap-diff.ts <node|deno> <ours|raw> [connections]`: what each idle connection retains in the JS
 * heap. Starts the server under the inspector, takes a heap snapshot (Chrome DevTools protocol) before and after
 * opening `connections` idle clients (default 2000), and prints the objects that grew, per connection, by
 * constructor. The snapshots are left in artifacts/heap/ for a closer look (Chrome DevTools, Memory tab).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { connectMany } from "./lib/client.ts";
import { startServer } from "./lib/proc.ts";

const [runtime = "node", which = "ours", countArg = "2000"] = process.argv.slice(2);
const count = Number(countArg);
const root = join(import.meta.dir, "..");
const dir = join(root, "artifacts", "heap");
mkdirSync(dir, { recursive: true });
const inspect = `127.0.0.1:${9300 + Math.floor(Math.random() * 500)}`;
const file = which === "raw" ? { node: "bench/servers/raw-node-ws.ts", deno: "bench/servers/raw-deno.deno.ts" } : null;
const app = file?.[runtime as "node" | "deno"] ?? "bench/servers/sockeon.ts";
const cmd: Record<string, string[]> = {
  node: ["node", `--inspect=${inspect}`, "--expose-gc", "--import", "tsx", app],
  deno: ["node_modules/.bin/deno", "run", "-A", `--inspect=${inspect}`, "--v8-flags=--expose-gc", app],
};
const server = await startServer({ name: runtime, runtime: "node", flavour: "json", cmd: cmd[runtime] ?? [] }, root);

/** One DevTools session to the server's inspector. */
async function devtools(): Promise<{ call(method: string, params?: object): Promise<unknown>; snapshot(): Promise<string> }> {
  const targets = (await (await fetch(`http://${inspect}/json/list`)).json()) as { webSocketDebuggerUrl: string }[];
  const ws = new WebSocket(targets[0]?.webSocketDebuggerUrl as string);
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = reject;
  });
  let next = 1;
  const pending = new Map<number, (result: unknown) => void>();
  let chunks: string[] = [];
  ws.onmessage = (e) => {
    const m = JSON.parse(e.data as string) as { id?: number; method?: string; params?: { chunk: string }; result?: unknown };
    if (m.method === "HeapProfiler.addHeapSnapshotChunk") chunks.push(m.params?.chunk ?? "");
    else if (m.id !== undefined) pending.get(m.id)?.(m.result);
  };
  const call = (method: string, params: object = {}): Promise<unknown> =>
    new Promise((resolve) => {
      const id = next++;
      pending.set(id, resolve);
      ws.send(JSON.stringify({ id, method, params }));
    });
  return {
    call,
    async snapshot() {
      chunks = [];
      await call("HeapProfiler.collectGarbage");
      await call("HeapProfiler.takeHeapSnapshot", { reportProgress: false });
      return chunks.join("");
    },
  };
}

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
  nodes: number[];
  strings: string[];
}

/** Self size and count per "type name" of every node in a snapshot. */
function tally(text: string): Map<string, { size: number; count: number }> {
  const snap = JSON.parse(text) as Snapshot;
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const width = fields.length;
  const [t, n, s] = ["type", "name", "self_size"].map((f) => fields.indexOf(f)) as [number, number, number];
  const out = new Map<string, { size: number; count: number }>();
  for (let i = 0; i < snap.nodes.length; i += width) {
    const type = types[snap.nodes[i + t] as number] as string;
    let name = snap.strings[snap.nodes[i + n] as number] as string;
    // strings and numbers are keyed by kind, not content (every id is a different string)
    if (type === "string" || type === "concatenated string" || type === "sliced string" || type === "number") name = "";
    // scope ids differ between snapshots; the kind of scope is what matters
    name = name.replace(/ @\d+$/, "");
    if (name.length > 60) name = `${name.slice(0, 57)}...`;
    const key = `${type} ${name}`;
    const entry = out.get(key) ?? { size: 0, count: 0 };
    entry.size += snap.nodes[i + s] as number;
    entry.count++;
    out.set(key, entry);
  }
  return out;
}

try {
  const tools = await devtools();
  await tools.call("HeapProfiler.enable");
  // warm the connection path so compiled code is in both snapshots
  for (const c of await connectMany(server.port, "json", 200)) c.close();
  await Bun.sleep(500);
  const before = await tools.snapshot();
  const clients = await connectMany(server.port, "json", count, 250);
  await Bun.sleep(500);
  const after = await tools.snapshot();
  const tag = `${runtime}-${which}-${count}`;
  writeFileSync(join(dir, `${tag}-before.heapsnapshot`), before);
  writeFileSync(join(dir, `${tag}-after.heapsnapshot`), after);
  const a = tally(before);
  const b = tally(after);
  const rows: [string, number, number][] = [];
  let total = 0;
  for (const [key, v] of b) {
    const was = a.get(key) ?? { size: 0, count: 0 };
    const size = (v.size - was.size) / count;
    total += size;
    if (Math.abs(size) >= 4) rows.push([key, size, (v.count - was.count) / count]);
  }
  rows.sort((x, y) => y[1] - x[1]);
  console.log(`${tag}: ${total.toFixed(0)} B of JS heap per connection (self sizes, after a full GC)`);
  for (const [key, size, n] of rows.slice(0, 40))
    console.log(`${size.toFixed(1).padStart(8)} B ${n.toFixed(2).padStart(6)} x  ${key}`);
  for (const c of clients) c.close();
} finally {
  await server.stop();
}
