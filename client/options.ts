import { RECONNECT_DEFAULTS, type ReconnectOptions, type ResolvedReconnect } from "./backoff.ts";
import type { OverflowPolicy } from "./emit-queue.ts";

/** An event handler property of {@link WebSocketLike}, compared like a method so richer event types fit. */
export type Handler<E> = { bivarianceHack(event: E): void }["bivarianceHack"];

/** The part of the WebSocket API the client uses: the browser's, Bun's, Deno's, or the `ws` package's. */
export interface WebSocketLike {
  readonly readyState: number;
  binaryType: string;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: any) => void) | null;
  // checked like methods (bivariantly), so sockets whose handlers take a richer event (the DOM's MessageEvent,
  // ws's CloseEvent) are assignable without a cast
  onmessage: Handler<{ data: unknown }> | null;
  onclose: Handler<{ code: number; reason: string }> | null;
  onerror: ((event: any) => void) | null;
}

/** A WebSocket class: `globalThis.WebSocket`, or `WebSocket` from the `ws` package on Node 20. */
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocketLike;

/** Dead-server detection through `sockeon.ping` -> `sockeon.pong`. */
export interface HeartbeatOptions {
  /** Quiet time (no frame received), in ms, after which the client sends `sockeon.ping`. Default 25000. */
  interval?: number;
  /** Time to wait for any frame after that ping, in ms, before the server counts as dead. Default 10000. */
  timeout?: number;
}

/** Bounds of the emit queue used while the client is not connected. */
export interface QueueOptions {
  /** Most frames held; 0 drops every emit made while disconnected. Default 100. */
  max?: number;
  /** Which frame to drop when full. Default `drop-oldest`. */
  overflow?: OverflowPolicy;
}

/** Options of {@link createClient}; all optional. */
export interface ClientOptions {
  /** Sockeon's auth key, sent as `?key=` on every (re)connection. */
  key?: string;
  /** More query parameters for the connection URL. */
  query?: Record<string, string>;
  /** WebSocket sub-protocols. */
  protocols?: string | string[];
  /** The WebSocket class; default `globalThis.WebSocket` (browsers, Bun, Deno, Node 22+). */
  WebSocket?: WebSocketConstructor;
  /** Reconnect after a drop (`true`: defaults; `false`: never). Default true. */
  reconnect?: boolean | ReconnectOptions;
  /** Dead-server detection (`false` turns it off). Default on: 25 s interval, 10 s timeout. */
  heartbeat?: boolean | HeartbeatOptions;
  /** The emit queue while disconnected. */
  queue?: QueueOptions;
  /** Default timeout of `request()` and room operations, in ms. Default 10000. */
  requestTimeout?: number;
  /** Connect at once (default true); with false, call `connect()`. */
  autoConnect?: boolean;
  /** Called for each emit dropped by the queue bound (requests are rejected with `ConnectionError` too). */
  onDrop?: (event: string, data: unknown) => void;
}

/** Options after defaults. */
export interface ResolvedClientOptions {
  url: string;
  protocols: string | string[] | undefined;
  WebSocket: WebSocketConstructor;
  reconnect: ResolvedReconnect | false;
  heartbeat: Required<HeartbeatOptions> | false;
  queueMax: number;
  overflow: OverflowPolicy;
  requestTimeout: number;
  autoConnect: boolean;
  onDrop: ((event: string, data: unknown) => void) | undefined;
}

function show(value: unknown): string {
  try {
    return typeof value === "function" ? `function ${value.name}` : (JSON.stringify(value) ?? String(value));
  } catch {
    return String(value);
  }
}

function bad(option: string, value: unknown, expected: string): TypeError {
  return new TypeError(`Invalid client option ${option}: ${show(value)} (expected ${expected})`);
}

function number(option: string, value: unknown, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value < min || value > max)
    throw bad(option, value, `a number from ${min}${max === Number.MAX_SAFE_INTEGER ? "" : ` to ${max}`}`);
  return value;
}

function resolveReconnect(value: ClientOptions["reconnect"]): ResolvedReconnect | false {
  if (value === false) return false;
  if (value === undefined || value === true) return { ...RECONNECT_DEFAULTS };
  if (typeof value !== "object" || value === null) throw bad("reconnect", value, "a boolean or an object");
  const maxAttempts = number("reconnect.maxAttempts", value.maxAttempts, RECONNECT_DEFAULTS.maxAttempts, 0);
  if (!Number.isInteger(maxAttempts)) throw bad("reconnect.maxAttempts", maxAttempts, "an integer");
  return {
    maxAttempts,
    delay: number("reconnect.delay", value.delay, RECONNECT_DEFAULTS.delay, 0),
    maxDelay: number("reconnect.maxDelay", value.maxDelay, RECONNECT_DEFAULTS.maxDelay, 0),
    factor: number("reconnect.factor", value.factor, RECONNECT_DEFAULTS.factor, 1),
    jitter: number("reconnect.jitter", value.jitter, RECONNECT_DEFAULTS.jitter, 0, 1),
  };
}

/**
 * Applies defaults, checks every option (naming the offending one) and builds the connection URL.
 * @throws TypeError for a bad URL or option
 */
export function resolveClientOptions(url: string | URL, options: ClientOptions = {}): ResolvedClientOptions {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw new TypeError(`Invalid client URL: ${show(String(url))} (expected ws://, wss://, http:// or https://)`);
  }
  if (target.protocol === "http:") target.protocol = "ws:";
  else if (target.protocol === "https:") target.protocol = "wss:";
  if (target.protocol !== "ws:" && target.protocol !== "wss:") throw new TypeError(`Invalid client URL: ${show(String(url))}`);
  if (typeof options !== "object" || options === null) throw bad("options", options, "an object");
  if (options.key !== undefined) {
    if (typeof options.key !== "string") throw bad("key", options.key, "a string");
    target.searchParams.set("key", options.key);
  }
  if (options.query !== undefined) {
    if (typeof options.query !== "object" || options.query === null) throw bad("query", options.query, "a record of strings");
    for (const [name, value] of Object.entries(options.query)) {
      if (typeof value !== "string") throw bad(`query.${name}`, value, "a string");
      target.searchParams.set(name, value);
    }
  }
  const Impl = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (typeof Impl !== "function") {
    throw bad("WebSocket", Impl, "a WebSocket class: this runtime has no global WebSocket; pass one, e.g. `WebSocket` from 'ws'");
  }
  let heartbeat: ResolvedClientOptions["heartbeat"] = false;
  if (options.heartbeat !== false) {
    const hb = options.heartbeat === undefined || options.heartbeat === true ? {} : options.heartbeat;
    if (typeof hb !== "object" || hb === null) throw bad("heartbeat", hb, "a boolean or an object");
    heartbeat = {
      interval: number("heartbeat.interval", hb.interval, 25000, 1),
      timeout: number("heartbeat.timeout", hb.timeout, 10000, 1),
    };
  }
  const queue = options.queue ?? {};
  const overflow = queue.overflow ?? "drop-oldest";
  if (overflow !== "drop-oldest" && overflow !== "drop-newest")
    throw bad("queue.overflow", overflow, '"drop-oldest" or "drop-newest"');
  const queueMax = number("queue.max", queue.max, 100, 0);
  if (!Number.isInteger(queueMax)) throw bad("queue.max", queueMax, "an integer");
  if (options.onDrop !== undefined && typeof options.onDrop !== "function") throw bad("onDrop", options.onDrop, "a function");
  if (options.autoConnect !== undefined && typeof options.autoConnect !== "boolean")
    throw bad("autoConnect", options.autoConnect, "a boolean");
  return {
    url: target.href,
    protocols: options.protocols,
    WebSocket: Impl,
    reconnect: resolveReconnect(options.reconnect),
    heartbeat,
    queueMax,
    overflow,
    requestTimeout: number("requestTimeout", options.requestTimeout, 10000, 1),
    autoConnect: options.autoConnect ?? true,
    onDrop: options.onDrop,
  };
}
