import { ConfigError } from "../common/errors.ts";

/**
 * The payloads a server declares in its shared event map (the `defineEvents({...})` object the client imports):
 * read by `server.asyncapi()` for the client-bound events and the declared `result` schemas.
 */
export interface ServerEventMap {
  toServer?: Record<string, { data?: unknown; result?: unknown; handler?: unknown }>;
  toClient?: Record<string, unknown>;
}

/** Server options of the API description (AsyncAPI/OpenAPI documents). */
export interface AsyncApiOptions {
  /**
   * Serves the AsyncAPI document (JSON and YAML), the OpenAPI document of the HTTP routes and a page that renders
   * them on the server's HTTP side: `true` under `/asyncapi`, or a path of your choice. Default false (off).
   */
  asyncapi?: boolean | string;
  /** The shared `defineEvents` map: what the server sends (`toClient`) and declared results, for the documents. */
  events?: ServerEventMap;
}

/** {@link AsyncApiOptions} after defaults and checks. */
export interface ResolvedAsyncApiOptions {
  /** Where the documents are served, or null when off. */
  asyncapi: string | null;
  events: ServerEventMap | null;
}

/** The option names this module owns, for the unknown-option check. */
export const ASYNCAPI_OPTION_KEYS: readonly string[] = ["asyncapi", "events"];

/** Path segments only: no query, fragment, whitespace, `{param}`/`:param`, and no trailing slash. */
const PATH = /^(\/[A-Za-z0-9._~-]+)+$/;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Applies defaults to the API-description options and checks them.
 * @throws ConfigError naming the offending option and value
 * @example resolveAsyncApiOptions({ asyncapi: "/docs/api" }) // { asyncapi: "/docs/api", events: null }
 */
export function resolveAsyncApiOptions(options: AsyncApiOptions): ResolvedAsyncApiOptions {
  const value = options.asyncapi ?? false;
  let asyncapi: string | null;
  if (value === false) asyncapi = null;
  else if (value === true) asyncapi = "/asyncapi";
  else if (typeof value === "string" && PATH.test(value)) asyncapi = value;
  else
    throw new ConfigError(
      "asyncapi",
      value,
      'true, false, or a path such as "/asyncapi" (segments of letters, digits, . _ ~ -; no trailing slash)',
    );
  const events = options.events ?? null;
  if (events !== null) {
    if (!isRecord(events)) throw new ConfigError("events", events, "the object returned by defineEvents({ toServer, toClient })");
    for (const key of Object.keys(events))
      if (key !== "toServer" && key !== "toClient") throw new ConfigError(`events.${key}`, events[key], "toServer or toClient");
    for (const key of ["toServer", "toClient"] as const)
      if (events[key] !== undefined && !isRecord(events[key]))
        throw new ConfigError(`events.${key}`, events[key], "an object keyed by event name");
  }
  return { asyncapi, events };
}
