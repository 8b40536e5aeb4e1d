import { ConfigError } from "../common/errors.ts";
import { positiveInt } from "./option-checks.ts";

/** The per-client bounds and upgrade settings of `createServer` (see docs/limits-and-failure-behaviour.md). */
export interface LimitOptions {
  /**
   * Subprotocols the server speaks, in preference order of the client: the upgrade answers with the first one
   * the client offers that is listed (none when none is). Default null: echo the first one offered, as Bun and
   * `ws` do. Honoured by `serveBun`, `serveDeno` and `serveNode`.
   */
  subprotocols?: readonly string[] | null;
  /** Longest room, namespace or event name in UTF-8 bytes; names must also be printable. Default 256. */
  maxNameLength?: number;
  /** Most rooms one client may be in at once, over all namespaces. Default 1000. */
  maxRoomsPerClient?: number;
  /** Most client-data keys per client. Default 100. */
  maxClientDataKeys?: number;
  /** Most client-data bytes per client (keys plus JSON of the values). Default 65536. */
  maxClientDataBytes?: number;
  /** Frames of one connection dispatched per event-loop turn; the rest wait in its inbound queue. Default 64. */
  maxFramesPerTurn?: number;
  /** Frames a connection may have waiting in its inbound queue; over it the connection is closed 1008. Default 4096. */
  maxQueuedFrames?: number;
  /** Bytes (UTF-16 units for text) a connection may have waiting; over it the connection is closed 1008. Default 4 MiB. */
  maxQueuedBytes?: number;
}

/** {@link LimitOptions} after defaults and checks. */
export interface ResolvedLimitOptions {
  subprotocols: readonly string[] | null;
  maxNameLength: number;
  maxRoomsPerClient: number;
  maxClientDataKeys: number;
  maxClientDataBytes: number;
  maxFramesPerTurn: number;
  maxQueuedFrames: number;
  maxQueuedBytes: number;
}

/** The option names this module owns, for the unknown-option check. */
export const LIMIT_OPTION_KEYS: readonly string[] = [
  "subprotocols",
  "maxNameLength",
  "maxRoomsPerClient",
  "maxClientDataKeys",
  "maxClientDataBytes",
  "maxFramesPerTurn",
  "maxQueuedFrames",
  "maxQueuedBytes",
];

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * Applies the defaults of the per-client bounds and checks them.
 * @throws ConfigError naming the offending option and value
 * @example resolveLimitOptions({ maxRoomsPerClient: 50 }).maxNameLength // 256
 */
export function resolveLimitOptions(options: LimitOptions): ResolvedLimitOptions {
  const subprotocols = options.subprotocols ?? null;
  if (
    subprotocols !== null &&
    (!Array.isArray(subprotocols) || subprotocols.some((p) => typeof p !== "string" || !TOKEN.test(p)))
  )
    throw new ConfigError("subprotocols", subprotocols, "null or an array of subprotocol names (HTTP tokens)");
  return {
    subprotocols: subprotocols && Object.freeze([...subprotocols]),
    maxNameLength: positiveInt("maxNameLength", options.maxNameLength, 256),
    maxRoomsPerClient: positiveInt("maxRoomsPerClient", options.maxRoomsPerClient, 1000),
    maxClientDataKeys: positiveInt("maxClientDataKeys", options.maxClientDataKeys, 100),
    maxClientDataBytes: positiveInt("maxClientDataBytes", options.maxClientDataBytes, 65536),
    maxFramesPerTurn: positiveInt("maxFramesPerTurn", options.maxFramesPerTurn, 64),
    maxQueuedFrames: positiveInt("maxQueuedFrames", options.maxQueuedFrames, 4096),
    maxQueuedBytes: positiveInt("maxQueuedBytes", options.maxQueuedBytes, 4 * 1024 * 1024),
  };
}
