import { ConfigError, type ErrorContext } from "../common/errors.ts";
import { createConsoleLogger, type Logger, type LoggerLike, toLogger } from "../common/logger.ts";
import {
  type ConnectionLimitOptions,
  type ResolvedConnectionLimits,
  resolveConnectionLimits,
} from "../handshake/connection-limits.ts";
import {
  OBSERVABILITY_OPTION_KEYS,
  type ObservabilityOptions,
  type ResolvedObservability,
  resolveObservability,
} from "../metrics/options.ts";
import type { Broker } from "../scale/broker.ts";
import {
  ASYNCAPI_OPTION_KEYS,
  type AsyncApiOptions,
  type ResolvedAsyncApiOptions,
  resolveAsyncApiOptions,
} from "./asyncapi-options.ts";
import { type HttpOptions, type ResolvedHttpOptions, resolveHttpOptions } from "./http-options.ts";
import { LIMIT_OPTION_KEYS, type LimitOptions, type ResolvedLimitOptions, resolveLimitOptions } from "./limit-options.ts";
import { bool, positiveInt } from "./option-checks.ts";
import {
  REALTIME_OPTION_KEYS,
  type RealtimeOptions,
  type ResolvedRealtimeOptions,
  resolveRealtimeOptions,
} from "./realtime-options.ts";
import { type ConnectionStateRecoveryOptions, type ResolvedRecoveryOptions, resolveRecoveryOptions } from "./recovery-options.ts";

/** Options of {@link createServer}; every field is optional. Mirrors Sockeon's ServerConfig where it makes sense. */
export interface ServerOptions
  extends RealtimeOptions,
    ConnectionLimitOptions,
    HttpOptions,
    LimitOptions,
    AsyncApiOptions,
    ObservabilityOptions {
  /** Interface to listen on, used by `serve()`; default `127.0.0.1`. */
  host?: string;
  /** Port to listen on, used by `serve()`; default 6001 (`0` picks a free port). */
  port?: number;
  /** Debug logging (sets the default logger to `debug`). Default false. */
  debug?: boolean;
  /** Largest accepted client frame in UTF-8 bytes; default 65536. Over it the client is closed with 1009. */
  maxMessageSize?: number;
  /** Deepest accepted JSON nesting; default 512, as PHP's `json_decode`. */
  maxJsonDepth?: number;
  /** Register the built-in `join_room`/`leave_room` events; default true. */
  registerSystemControllers?: boolean;
  /** Accept an `id` on client frames and answer with `ack` frames; default true. */
  acks?: boolean;
  /**
   * Unsent bytes a client may have while its socket writes nothing out (2 s) before it is closed as a slow consumer
   * (1008); a client that reads may have up to 4x this during a burst. Default 4 MiB.
   */
  maxBufferedAmount?: number;
  /** A Sockeon-style logger, pino, or console; default a console logger at `info` (`debug` with `debug: true`). */
  logger?: LoggerLike;
  /** Called for every caught failure (handler exceptions, broker errors); default logs through `logger`. */
  onError?: (error: unknown, context: ErrorContext) => void;
  /** The backplane to other nodes (`createRedisBroker` from `sockeon-ts/redis`, or a `MemoryBroker`); default none: one node. */
  broker?: Broker;
  /**
   * Connection-state recovery: a client that drops without a close comes back with the same id, rooms, data and
   * every frame it missed (docs/connection-state-recovery.md). `true` for the defaults; default off.
   */
  connectionStateRecovery?: ConnectionStateRecoveryOptions | boolean;
}

/** Options after defaults and checks. */
export interface ResolvedOptions
  extends ResolvedRealtimeOptions,
    ResolvedConnectionLimits,
    ResolvedHttpOptions,
    ResolvedLimitOptions,
    ResolvedAsyncApiOptions,
    ResolvedObservability {
  host: string;
  port: number;
  debug: boolean;
  maxMessageSize: number;
  maxJsonDepth: number;
  registerSystemControllers: boolean;
  acks: boolean;
  maxBufferedAmount: number;
  logger: Logger;
  onError: (error: unknown, context: ErrorContext) => void;
  broker: Broker | undefined;
  /** Connection-state recovery, or undefined when off. */
  recovery: ResolvedRecoveryOptions | undefined;
}

const KNOWN = new Set([
  "host",
  "port",
  "debug",
  "maxMessageSize",
  "maxJsonDepth",
  "registerSystemControllers",
  "acks",
  "maxBufferedAmount",
  "logger",
  "onError",
  ...REALTIME_OPTION_KEYS,
  ...LIMIT_OPTION_KEYS,
  "healthCheckPath",
  "rateLimit",
  "maxConnections",
  "maxConnectionsPerIp",
  "broker",
  ...ASYNCAPI_OPTION_KEYS,
  ...OBSERVABILITY_OPTION_KEYS,
  "connectionStateRecovery",
]);

/**
 * Applies defaults and checks every option, naming the offending one.
 * @throws ConfigError for an unknown option or a wrong value
 */
export function resolveOptions(options: ServerOptions = {}, known: ReadonlySet<string> = KNOWN): ResolvedOptions {
  if (typeof options !== "object" || options === null) throw new ConfigError("options", options, "an object");
  for (const key of Object.keys(options)) {
    if (!known.has(key))
      throw new ConfigError(key, (options as Record<string, unknown>)[key], `a known option; known: ${[...known].join(", ")}`);
  }
  const debug = bool("debug", options.debug, false);
  const port = options.port ?? 6001;
  if (typeof port !== "number" || !Number.isInteger(port) || port < 0 || port > 65535)
    throw new ConfigError("port", port, "an integer 0-65535");
  const host = options.host ?? "127.0.0.1";
  if (typeof host !== "string" || host.length === 0) throw new ConfigError("host", host, "a non-empty string");
  if (options.logger !== undefined && (typeof options.logger !== "object" || options.logger === null)) {
    throw new ConfigError("logger", options.logger, "an object with log level methods");
  }
  if (options.onError !== undefined && typeof options.onError !== "function")
    throw new ConfigError("onError", options.onError, "a function");
  const broker = options.broker;
  if (broker !== undefined && (typeof broker !== "object" || broker === null || typeof broker.publish !== "function"))
    throw new ConfigError("broker", broker, "a Broker (createRedisBroker() or new MemoryBroker())");
  const http = resolveHttpOptions(options);
  const logger = options.logger ? toLogger(options.logger) : createConsoleLogger({ level: debug ? "debug" : "info" });
  return {
    ...resolveRealtimeOptions(options),
    host,
    port,
    debug,
    maxMessageSize: positiveInt("maxMessageSize", options.maxMessageSize, 65536),
    maxJsonDepth: positiveInt("maxJsonDepth", options.maxJsonDepth, 512),
    registerSystemControllers: bool("registerSystemControllers", options.registerSystemControllers, true),
    acks: bool("acks", options.acks, true),
    maxBufferedAmount: positiveInt("maxBufferedAmount", options.maxBufferedAmount, 4 * 1024 * 1024),
    logger,
    onError: options.onError ?? ((error, context) => logger.exception(error, { ...context })),
    ...resolveLimitOptions(options),
    ...http,
    ...resolveConnectionLimits(options, http.rateLimit),
    ...resolveAsyncApiOptions(options),
    ...resolveObservability(options),
    broker,
    recovery: resolveRecoveryOptions(options.connectionStateRecovery),
  };
}
