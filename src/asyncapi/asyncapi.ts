/**
 * The AsyncAPI 3.0 document of a server's WebSocket API, built from what the server already knows: its
 * `@SocketOn` events and their schemas, the `defineEvents` map of `createServer({ events })`, the system events,
 * acknowledgements, error frames and the handshake policy. Deterministic: the same server gives the same
 * document, so a contract diff in CI shows only real changes.
 */
import {
  ERROR_DATA,
  frame,
  ID_SCHEMA,
  type Message,
  message,
  RATE_LIMIT_DATA,
  ROOM_EVENT,
  ROOM_REQUEST,
  TIMESTAMP,
} from "./frames.ts";
import { type JsonSchema, OPEN_DATA, toSchema } from "./json-schema.ts";
import { type ApiSource, type DescribedServer, readSource, type SourceEvent } from "./source.ts";

/** One place clients connect to: a listener, or the public address in front of it. */
export interface AsyncApiServer {
  /** `host:port` as clients reach it, e.g. `chat.example.com` or `127.0.0.1:6001`. */
  host: string;
  /** Default `ws`. */
  protocol?: "ws" | "wss";
  /** Default the server's WebSocket path (`/`). */
  pathname?: string;
  description?: string;
}

/** What the generated document cannot know: its title, version and public addresses. */
export interface AsyncApiInfo {
  /** Default `sockeon-ts server`. */
  title?: string;
  /** The API's version (not the framework's); default `1.0.0`. */
  version?: string;
  description?: string;
  /** Where clients connect, by name; default one entry `default` for the server's `host:port` over `ws`. */
  servers?: Record<string, AsyncApiServer>;
  /**
   * Namespaces to describe as channels; default `["/"]`. Every handler answers in every namespace (namespaces
   * are server-side groupings over one socket path), so each channel carries the same messages.
   */
  namespaces?: string[];
}

/** An AsyncAPI 3.0 document as a plain JSON value. */
export type AsyncApiDocument = { asyncapi: "3.0.0" } & { [field: string]: unknown };

/** What {@link Builder.receive} needs about one client event. */
interface ReceiveSpec {
  event: string;
  data: JsonSchema;
  result?: unknown;
  summary: string;
  rateLimited: boolean;
  /** Message keys (besides ack and error) that may answer it. */
  replies: string[];
}

/**
 * A frame's `data` schema: the converted schema, or any object or array when there is none or it converts to
 * "anything" (a custom check such as Sockeon `rules()`).
 */
function dataSchema(schema: unknown): JsonSchema {
  const converted = toSchema(schema);
  return converted && Object.keys(converted).length > 0 ? converted : OPEN_DATA;
}

/** The operation of a handler's event. */
function receiveSpec(e: SourceEvent, rateLimit: boolean): ReceiveSpec {
  if (e.system) {
    const answer = e.event === "join_room" ? "room_joined" : "room_left";
    return {
      event: e.event,
      data: ROOM_REQUEST,
      summary: `Built-in: ${e.event === "join_room" ? "joins" : "leaves"} a room (namespace default "/"); answered by ${answer}`,
      rateLimited: rateLimit,
      replies: [`toClient.${answer}`],
    };
  }
  return {
    event: e.event,
    data: dataSchema(e.schema),
    result: e.result,
    summary: `Handled by ${e.handler}${e.schema === undefined ? " (no schema: any object or array)" : ""}`,
    rateLimited: rateLimit || e.rateLimited,
    replies: [],
  };
}

/** Builds every message and operation of one namespace channel. */
class Builder {
  readonly messages: Record<string, Message> = {};
  readonly operations: Record<string, unknown> = {};
  readonly #source: ApiSource;
  readonly #channel: string;

  constructor(source: ApiSource, channel: string) {
    this.#source = source;
    this.#channel = channel;
  }

  #ref(key: string): { $ref: string } {
    return { $ref: `#/channels/${this.#channel}/messages/${key}` };
  }

  #add(key: string, msg: Message): { $ref: string } {
    this.messages[key] = msg;
    return this.#ref(key);
  }

  #operation(key: string, body: Record<string, unknown>): void {
    this.operations[this.#channel === "root" ? key : `${this.#channel}_${key}`] = {
      ...body,
      channel: { $ref: `#/channels/${this.#channel}` },
    };
  }

  /** A client-to-server event, its ack and the frames that may answer it. */
  receive(spec: ReceiveSpec): void {
    const acks = this.#source.acks;
    const request = this.#add(
      `toServer.${spec.event}`,
      message(spec.event, spec.event, frame(spec.event, spec.data, acks), spec.summary),
    );
    const replies = spec.replies.map((name) => this.#ref(name));
    if (acks) {
      const resultSchema: JsonSchema = toSchema(spec.result) ?? {
        description: "The handler's return value; null when it returns nothing or a middleware stops the chain",
      };
      const ack = frame(
        "ack",
        { type: "object", required: ["id", "result"], properties: { id: ID_SCHEMA, result: resultSchema } },
        false,
      );
      replies.push(
        this.#add(`ack.${spec.event}`, message("ack", `ack (${spec.event})`, ack, `Acknowledges ${spec.event} sent with an id`)),
      );
    }
    replies.push(this.#ref("toClient.error"));
    if (spec.rateLimited) replies.push(this.#ref("toClient.rate_limit_exceeded"));
    this.#operation(`receive_${spec.event}`, {
      action: "receive",
      summary: spec.summary,
      messages: [request],
      reply: { channel: { $ref: `#/channels/${this.#channel}` }, messages: replies },
    });
  }

  send(event: string, data: JsonSchema, summary: string): void {
    const ref = this.#add(`toClient.${event}`, message(event, event, frame(event, data, false), summary));
    this.#operation(`send_${event}`, { action: "send", summary, messages: [ref] });
  }
}

function channelKey(namespace: string): string {
  return namespace === "/" ? "root" : `ns_${namespace.replace(/[^A-Za-z0-9_-]/g, "_")}`;
}

/**
 * The AsyncAPI 3.0 document of a server's WebSocket API (`server.asyncapi(info)` delegates here).
 * @param server a server with its controllers registered (it need not be listening)
 * @param info title, version, public addresses and namespaces the server cannot know
 * @example
 * ```ts
 * const doc = asyncapi(server, { title: "Chat", servers: { production: { host: "chat.example.com", protocol: "wss" } } });
 * ```
 */
export function asyncapi(server: DescribedServer, info: AsyncApiInfo = {}): AsyncApiDocument {
  const source = readSource(server);
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const limited = source.rateLimit || source.events.some((e) => e.rateLimited);
  const hasSystem = source.events.some((e) => e.system);
  for (const namespace of info.namespaces ?? ["/"]) {
    const key = channelKey(namespace);
    const b = new Builder(source, key);
    // sends first: receive operations reply with these messages
    b.send("error", ERROR_DATA, "A frame was rejected, a handler failed, or an unknown event was sent");
    if (limited) b.send("rate_limit_exceeded", RATE_LIMIT_DATA, "A rate limit stopped a frame; the handler did not run");
    if (hasSystem) {
      b.send("room_joined", ROOM_EVENT, "Answers join_room");
      b.send("room_left", ROOM_EVENT, "Answers leave_room");
    }
    b.send(
      "sockeon.pong",
      { type: "object", required: ["timestamp"], properties: { timestamp: TIMESTAMP } },
      "Answers sockeon.ping",
    );
    for (const { event, schema } of [...source.toClient].sort((a, b) => a.event.localeCompare(b.event)))
      b.send(event, dataSchema(schema), `Declared in the server's event map (toClient)`);
    b.receive({
      event: "sockeon.ping",
      data: OPEN_DATA,
      summary: "Application-level heartbeat for clients that cannot see protocol pongs",
      rateLimited: false,
      replies: ["toClient.sockeon.pong"],
    });
    for (const e of [...source.events].sort((x, y) => x.event.localeCompare(y.event)))
      b.receive(receiveSpec(e, source.rateLimit));
    channels[key] = {
      address: source.path,
      title: `Namespace ${namespace}`,
      description:
        namespace === "/"
          ? "Every client joins namespace / on connect; the server may move it to another namespace."
          : `Clients the server moved to namespace ${namespace}; same socket path as /.`,
      messages: b.messages,
      ...(source.authKey
        ? {
            bindings: {
              ws: {
                query: { type: "object", required: ["key"], properties: { key: { type: "string" } } },
                bindingVersion: "0.1.0",
              },
            },
          }
        : {}),
    };
    Object.assign(operations, b.operations);
  }
  const security = source.authKey ? [{ $ref: "#/components/securitySchemes/authKey" }] : undefined;
  const servers: Record<string, unknown> = {};
  const entries = Object.entries(
    info.servers ?? { default: { host: source.port === 0 ? source.host : `${source.host}:${source.port}` } },
  );
  for (const [name, s] of entries) {
    servers[name] = {
      host: s.host,
      protocol: s.protocol ?? "ws",
      pathname: s.pathname ?? source.path,
      ...(s.description ? { description: s.description } : {}),
      ...(security ? { security } : {}),
    };
  }
  return {
    asyncapi: "3.0.0",
    info: {
      title: info.title ?? "sockeon-ts server",
      version: info.version ?? "1.0.0",
      ...(info.description ? { description: info.description } : {}),
    },
    defaultContentType: "application/json",
    servers,
    channels,
    operations,
    ...(security
      ? {
          components: {
            securitySchemes: {
              authKey: {
                type: "httpApiKey",
                name: "key",
                in: "query",
                description: "The server's auth key as ?key=...; a wrong or missing key is refused with 401",
              },
            },
          },
        }
      : {}),
    "x-sockeon-frame": {
      description: "Every WebSocket text frame is one JSON object {event, data, id?}; data is a JSON object or array.",
      maxMessageSize: source.maxMessageSize,
    },
    "x-sockeon-acks": source.acks
      ? {
          enabled: true,
          description:
            "A client frame may carry id (a non-negative safe integer). The server answers it exactly once: " +
            "{event: 'ack', data: {id, result}} (result null when the handler returns nothing) or an error frame whose data carries the id.",
        }
      : { enabled: false, description: "Acks are off: an id field is rejected as unsupported." },
    "x-sockeon-recovery": {
      description:
        "sockeon-ts clients reconnect by themselves and send join_room again for every room they were in, " +
        "so room membership survives a reconnect or a server restart; frames sent while disconnected are queued client-side.",
    },
    "x-sockeon-handshake": {
      description: "Refusals of the upgrade request, as a plain-text HTTP response instead of 101.",
      refusals: [
        ...(source.allowedOrigins.includes("*") ? [] : [{ status: 403, body: "Origin not allowed" }]),
        ...(source.authKey ? [{ status: 401, body: "Invalid authentication key" }] : []),
        { status: 403, body: "Access denied", when: "a handshake middleware returned false" },
        ...(source.perIpCap ? [{ status: 429, body: "Too many connections from this address" }] : []),
        { status: 503, body: "Connection limit reached" },
        { status: 503, body: "Server shutting down" },
      ],
    },
  };
}
