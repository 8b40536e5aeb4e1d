import type { EngineState } from "../engine/state.ts";
import type { Family, Sample } from "./exposition.ts";
import { Histogram } from "./histogram.ts";

/** The `event` label of frames whose event has no handler: one value, whatever the client sent. */
export const UNKNOWN_EVENT_LABEL = "_unknown";
/** The `event` label of frames that failed Sockeon's checks (bad JSON, missing event, too large...). */
export const INVALID_FRAME_LABEL = "_invalid";

/** Kinds of `sockeon_errors_total`. */
export const ERROR_KINDS = ["bad_frame", "unknown_event", "validation", "rate_limit", "handler"] as const;
/** A kind of `sockeon_errors_total`. */
export type ErrorKind = (typeof ERROR_KINDS)[number];

/** The Redis backplane's state as the broker reports it (`RedisBroker.backplaneStats()`). */
export interface BackplaneStats {
  readonly up: boolean;
  readonly reconnects: number;
  readonly dropped: number;
}

function backplaneOf(state: EngineState): BackplaneStats | undefined {
  const broker = state.cluster?.broker as { backplaneStats?: () => BackplaneStats } | undefined;
  if (!broker) return undefined;
  // a broker without the accessor (the in-memory one) cannot be down
  return typeof broker.backplaneStats === "function" ? broker.backplaneStats() : { up: true, reconnects: 0, dropped: 0 };
}

// a native scan: most frames are ASCII, whose UTF-8 length is their length
const NON_ASCII = /[\u0080-\uffff]/;

/** UTF-8 length of a string without encoding it. */
export function utf8Length(text: string): number {
  if (!NON_ASCII.test(text)) return text.length;
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) bytes += 1;
    else if (c >= 0xd800 && c <= 0xdbff) {
      // a surrogate pair: 2 UTF-16 units (already counted), 4 bytes
      bytes += 2;
      i++;
    } else bytes += 2;
  }
  return bytes;
}

const counter = (name: string, help: string, value: number): Family => ({ name, help, type: "counter", samples: [{ value }] });

/**
 * A node's counters, as plain numbers and maps: counting is an addition. Gauges (connections, rooms, the
 * backplane) are read from the engine's state when scraped, so they cost nothing between scrapes.
 */
export class ServerMetrics {
  /** Frames received per `event` label; a known event's cell is found with one lookup. */
  readonly received = new Map<string, { n: number }>();
  receivedBytes = 0;
  sent = 0;
  sentBytes = 0;
  broadcasts = 0;
  deliveries = 0;
  slowConsumers = 0;
  readonly errors: Record<ErrorKind, number> = { bad_frame: 0, unknown_event: 0, validation: 0, rate_limit: 0, handler: 0 };
  readonly rejections = new Map<number, number>();
  readonly durations = new Map<string, Histogram>();
  // a broadcast sends the same string to every recipient: its byte length is computed once (plain fields: this
  // runs once per delivery)
  lastFrame = "";
  lastBytes = 0;

  /** The counter cell of an `event` label, made on first use. */
  cell(label: string): { n: number } {
    let cell = this.received.get(label);
    if (cell === undefined) this.received.set(label, (cell = { n: 0 }));
    return cell;
  }

  observeHandler(event: string, seconds: number): void {
    let histogram = this.durations.get(event);
    if (!histogram) this.durations.set(event, (histogram = new Histogram()));
    histogram.observe(seconds);
  }

  countRejection(status: number): void {
    this.rejections.set(status, (this.rejections.get(status) ?? 0) + 1);
  }

  /** Every family, counters from here and gauges from `state`, in a stable order. */
  families(state: EngineState): Family[] {
    const connections: Sample[] = [];
    for (const namespace of state.namespaces.names().sort()) {
      const members = state.namespaces.members(namespace);
      let open = members?.size ?? 0;
      // suspended sessions (connection-state recovery) have no connection
      if (members && state.suspended.size > 0) for (const id of state.suspended) if (members.has(id)) open--;
      connections.push({ labels: [["namespace", namespace]], value: open });
    }
    const rooms: Sample[] = [];
    for (const namespace of state.namespaces.names().sort())
      rooms.push({ labels: [["namespace", namespace]], value: state.rooms.roomsIn(namespace).length });
    const byLabel = (map: ReadonlyMap<string | number, number | { n: number }>, label: string): Sample[] =>
      [...map.keys()].sort().map((key) => {
        const value = map.get(key) as number | { n: number };
        return { labels: [[label, String(key)]] as Array<[string, string]>, value: typeof value === "number" ? value : value.n };
      });
    const durations: Sample[] = [];
    for (const event of [...this.durations.keys()].sort())
      durations.push(...(this.durations.get(event) as Histogram).samples([["event", event]]));
    const families: Family[] = [
      {
        name: "sockeon_connections",
        help: "Open WebSocket connections on this node, by namespace.",
        type: "gauge",
        samples: connections,
      },
      {
        name: "sockeon_rooms",
        help: "Rooms with at least one member on this node, by namespace.",
        type: "gauge",
        samples: rooms,
      },
      {
        name: "sockeon_messages_received_total",
        help: `Client frames received, by event (${UNKNOWN_EVENT_LABEL}: no handler; ${INVALID_FRAME_LABEL}: failed the frame checks).`,
        type: "counter",
        samples: byLabel(this.received, "event"),
      },
      counter("sockeon_received_bytes_total", "UTF-8 bytes of client frames received.", this.receivedBytes),
      counter("sockeon_messages_sent_total", "Frames queued to clients (events, broadcasts, acks, errors).", this.sent),
      counter("sockeon_sent_bytes_total", "UTF-8 bytes of frames queued to clients.", this.sentBytes),
      counter(
        "sockeon_broadcasts_total",
        "Broadcasts started on this node (to rooms, a namespace or everyone).",
        this.broadcasts,
      ),
      counter("sockeon_deliveries_total", "Frames broadcasts queued to this node's clients.", this.deliveries),
      {
        name: "sockeon_handler_duration_seconds",
        help: "Time from a frame's dispatch to its handler's settlement, through middleware, by event.",
        type: "histogram",
        samples: durations,
      },
      {
        name: "sockeon_errors_total",
        help: "Client frames answered with an error, by kind.",
        type: "counter",
        samples: ERROR_KINDS.map((kind) => ({ labels: [["kind", kind]], value: this.errors[kind] })),
      },
      counter(
        "sockeon_slow_consumer_disconnects_total",
        "Clients closed as slow consumers: unsent bytes over maxBufferedAmount without draining, or over 4x it.",
        this.slowConsumers,
      ),
      {
        name: "sockeon_handshake_rejections_total",
        help: "Upgrade requests rejected, by HTTP status.",
        type: "counter",
        samples: byLabel(this.rejections, "status"),
      },
      {
        name: "sockeon_uptime_seconds",
        help: "Seconds since the server was created.",
        type: "gauge",
        samples: [{ value: Math.floor((Date.now() - state.startedAt) / 1000) }],
      },
    ];
    const backplane = backplaneOf(state);
    if (backplane) {
      families.push(
        {
          name: "sockeon_backplane_up",
          help: "1 when the backplane (Redis) is reachable.",
          type: "gauge",
          samples: [{ value: backplane.up ? 1 : 0 }],
        },
        counter("sockeon_backplane_reconnects_total", "Backplane outages recovered from.", backplane.reconnects),
        counter("sockeon_backplane_dropped_total", "Cross-node messages dropped during backplane outages.", backplane.dropped),
      );
    }
    return families;
  }
}
