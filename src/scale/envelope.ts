/**
 * The messages nodes exchange through a broker. Every envelope carries a version and the sending node's id
 * (echo suppression); anything else on the channel is rejected by {@link parseEnvelope} with a reason.
 */

/** Version of the envelope format; a node ignores envelopes of another version. */
export const ENVELOPE_VERSION = 1;

/**
 * Where a broadcast goes: the members of any of `rooms` (of `namespace`, default `/`), else every client of
 * `namespace`, else every client; never the clients in `except`.
 */
export interface BroadcastEnvelope {
  kind: "broadcast";
  event: string;
  data: unknown;
  namespace?: string;
  rooms?: string[];
  except?: string[];
  /** The sender's sequence number for cross-node recovery (src/engine/positions.ts); absent without it. */
  seq?: number;
}

/** Sends an event to the listed clients, wherever they are connected (`emit`, `broadcastTo`). */
export interface ToEnvelope {
  kind: "to";
  event: string;
  data: unknown;
  clients: string[];
  /** As {@link BroadcastEnvelope.seq}. */
  seq?: number;
}

/** Acts on one client that may be connected to another node; the node that has it applies the operation. */
export interface ClientOpEnvelope {
  kind: "op";
  /** `handover`: the client resumed its session on the sending node; the node that held it lets it go quietly. */
  op: "disconnect" | "join" | "leave" | "leaveAll" | "move" | "setData" | "forgetData" | "handover";
  client: string;
  /** Room, namespace, data key or close reason, depending on `op`. */
  args: unknown[];
}

/** Asks every node for its local answer to a query; answers go to the asking node only. */
export interface QueryEnvelope {
  kind: "query";
  id: string;
  query: string;
  args: unknown[];
}

/** One node's answer to a query. */
export interface ReplyEnvelope {
  kind: "reply";
  id: string;
  result: unknown;
}

/** Any envelope body, before the version and node id are added. */
export type EnvelopeBody = BroadcastEnvelope | ToEnvelope | ClientOpEnvelope | QueryEnvelope | ReplyEnvelope;

/** A complete envelope as it travels: version, sender node id, body. */
export type Envelope = EnvelopeBody & { v: typeof ENVELOPE_VERSION; node: string };

const OPS = new Set<string>(["disconnect", "join", "leave", "leaveAll", "move", "setData", "forgetData", "handover"]);

const isString = (value: unknown): value is string => typeof value === "string" && value.length > 0;
const isStringList = (value: unknown): value is string[] => Array.isArray(value) && value.every(isString);

/** Why a body is not a valid envelope, or undefined when it is. */
function invalidBody(o: Record<string, unknown>): string | undefined {
  if (o.seq !== undefined && !(Number.isSafeInteger(o.seq) && (o.seq as number) > 0)) return "bad sequence number";
  switch (o.kind) {
    case "broadcast":
      if (!isString(o.event)) return "broadcast without an event name";
      if (o.namespace !== undefined && !isString(o.namespace)) return "broadcast with a bad namespace";
      if (o.rooms !== undefined && !isStringList(o.rooms)) return "broadcast with a bad room list";
      if (o.except !== undefined && !isStringList(o.except)) return "broadcast with a bad except list";
      return undefined;
    case "to":
      if (!isString(o.event)) return "to without an event name";
      return isStringList(o.clients) ? undefined : "to without a client list";
    case "op":
      if (typeof o.op !== "string" || !OPS.has(o.op)) return `unknown op ${JSON.stringify(o.op)}`;
      if (!isString(o.client)) return "op without a client id";
      return Array.isArray(o.args) ? undefined : "op without args";
    case "query":
      if (!isString(o.id) || !isString(o.query)) return "query without id or name";
      return Array.isArray(o.args) ? undefined : "query without args";
    case "reply":
      return isString(o.id) ? undefined : "reply without id";
    default:
      return `unknown kind ${JSON.stringify(o.kind)}`;
  }
}

/**
 * Decodes and checks one message from the channel.
 * @param raw the message text (or an already parsed value)
 * @returns the envelope, or a string saying why it was rejected
 * @example parseEnvelope('{"v":1,"node":"n1","kind":"reply","id":"q1","result":3}')
 */
export function parseEnvelope(raw: unknown): Envelope | string {
  let value: unknown = raw;
  if (typeof raw === "string") {
    try {
      value = JSON.parse(raw);
    } catch {
      return "not JSON";
    }
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return "not a JSON object";
  const o = value as Record<string, unknown>;
  if (o.v !== ENVELOPE_VERSION) return `unsupported version ${JSON.stringify(o.v)}`;
  if (!isString(o.node)) return "no sender node id";
  const invalid = invalidBody(o);
  return invalid ?? (o as unknown as Envelope);
}
