import type { Listener, ListenOptions, SockeonServer } from "../src/index.ts";

/**
 * Serves a server on whichever runtime runs this code (Bun, Deno, or Node through Hono), so one file runs
 * unchanged with `bun`, `deno run` and `tsx`. Port and host default to the server's options.
 * @example const listener = await serve(server, { port: 6001 });
 */
export async function serve(server: SockeonServer, options: ListenOptions = {}): Promise<Listener> {
  // `sockeon-ts asyncapi` loads a server module to describe it: its hook takes the server instead of a listener
  const capture = (globalThis as Record<symbol, unknown>)[Symbol.for("sockeon-ts.serve-capture")];
  if (typeof capture === "function") return (capture as (s: SockeonServer, o: ListenOptions) => Listener)(server, options);
  const g = globalThis as { Bun?: unknown; Deno?: unknown };
  if (g.Bun !== undefined) return (await import("./bun.ts")).serveBun(server, options);
  // a computed specifier keeps tsc (which has no Deno types) out of the Deno adapter; `deno check` covers it
  const denoAdapter = "./deno.ts";
  if (g.Deno !== undefined)
    return ((await import(denoAdapter)) as { serveDeno: (s: SockeonServer, o: ListenOptions) => Listener }).serveDeno(
      server,
      options,
    );
  return await (await import("./node.ts")).serveNode(server, options);
}
