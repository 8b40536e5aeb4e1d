/**
 * Why a target can miss, from profiles taken with bench/profile.ts (`bun --cpu-prof`, `node --cpu-prof`) and the
 * heap column of the idle scenario. The report prints the entry of each target that misses in its run.
 */
export const EXPLANATIONS: Record<string, string> = {
  "Node paced: ours / socket.io": `Paced fan-out has nothing to coalesce: one message per 20 ms is one frame per socket per
turn, so every delivery is one \`write(2)\` on one socket. \`node --cpu-prof\` of this scenario
(\`bun bench/profile.ts node paced\`): \`writeBuffer\`, the native write per socket, is the heaviest function
(about 26% of all samples, more than ten times any frame of ours); our JS per delivery is a queue push and a
shared pre-framed buffer. The raw \`ws\` loop pays the same write and lands at about 0.75× socket.io too, so
0.5× socket.io is below the runtime's own floor; reaching it would need fewer syscalls than sockets (batched
submission such as io_uring inside libuv), which no JS code can do.`,
  "Bun idle memory: ours − raw": `The heap column shows our live state per connection: about 0.5 KB (the Session with id, ip and queue
state, the connection object, one entry each in the client map and the default-namespace set). The rest of
the RSS difference is allocator pages that held the handshake's short-lived objects: an \`async\` fetch alone
(which \`server.handshake\` needs, as handshake steps may await) adds about 0.2 KB RSS per connection on raw
Bun with the same heap. What would reach it: a synchronous handshake fast path when no step is async, and the
namespace kept on the Session instead of a set entry.`,
  "Deno idle memory: ours − raw": `Deno's own WebSocket costs about 20 KB per connection (the raw row); ours adds about 0.75-0.85 KB of live
heap (the heap column: Session, connection object, client map and namespace entries, the handlers' scope).
The RSS difference varies from 1 to 3.3 KB between rounds of the same code: V8 promotes our per-connection
objects interleaved with the handshake's garbage (the URL, headers materialised by \`request.headers.get\`,
the ticket), and old-space pages that keep a few live objects stay resident. An async handler alone makes no
difference on raw Deno (measured). What would reach it: not materialising the URL and headers when no
handshake step reads them (a lazy \`HandshakeContext.url\`), and fewer objects per session.`,
  "Node idle memory: ours − raw": `The heap column shows about 0.5 KB of live state per connection. Most of the rest is the web-standard
\`Request\` the core's handshake takes: undici's Request and Headers are large, and building one per upgrade
in the raw \`ws\` server (measured) adds about 1.6 KB RSS per connection with no change in live heap.`,
  "Bun paced: ours / Bun publish": `One message per turn leaves nothing to coalesce: each delivery is one send from JS outside a cork, the
same syscall raw \`Bun.serve\` loops pay, while \`publish\` walks the topic in C++. Our extra is the
per-recipient queue push and the flush call (about 1 µs per delivery in \`bun --cpu-prof\`).`,
  "Deno paced: ours / raw loop": `Deno's sends are ops into its Rust WebSocket writer, and most of the per-delivery CPU is spent on the
runtime's own threads: \`deno run --cpu-prof\` of this scenario (\`bun bench/profile.ts deno paced\`) shows
the JS thread idle about 80% of the window, with \`op_ws_send_text\` (the same op the raw loop calls) the
heaviest busy item; our flush adds one \`op_ws_get_buffered_amount\` per socket per turn (about a tenth of the
send op) for the slow-consumer limit. The rest is noise on the shared machine: in a separate three-round
check of this scenario alone ours measured 7.8-12.1 µs and the raw loop 7.3-9.2 µs per delivery (median ratio
1.11×), and earlier full runs gave 1.04-1.20×. What would cut the remaining cost: a bufferedAmount read only
every few flushes per socket (bounded overshoot of the limit).`,
  "Bun echo: ours / raw": `JS is a small share of the server's CPU here: \`bun --cpu-prof --cpu-prof-interval=20\` collects about
0.35 µs of JS per round trip, led by JSON parse/stringify that the raw app does too; uWS I/O dominates and is
the same for both. Per-thread schedstat shows where a gap comes from when it appears: with a short warm-up,
our longer path still runs in JSC's lower tiers and the JIT worker threads compile during the window; after a
warm-up of the same shape both servers spend the same main-thread time (7.3 vs 7.4 µs per round trip in a
separate check). A miss here is therefore warm-up or machine noise (two identical raw servers differ by up to
17% within one run).`,
};
