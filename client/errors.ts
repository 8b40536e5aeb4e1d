/**
 * Errors the client raises. Every one names what went wrong and the offending value, and carries the event
 * and request id where there is one, so callers can branch on the class instead of parsing messages.
 */

/** Base class of every client error. */
export class SockeonClientError extends Error {
  override name = "SockeonClientError";
}

/** What the server put in an `error` frame: Sockeon's `{message, timestamp}` plus any extra fields. */
export interface ServerErrorData {
  message: string;
  timestamp?: number;
  /** The request id, when the error answers a {@link SockeonClient.request}. */
  id?: number;
  /** The event that failed, when the server says (e.g. `join_room`). */
  event?: string;
  [field: string]: unknown;
}

/**
 * The server answered with an `error` frame: a failed request (validation, unknown event, handler exception),
 * or an unsolicited error delivered to `on("error")` listeners.
 */
export class ServerError extends SockeonClientError {
  override name = "ServerError";
  /** The frame's `data` as the server sent it. */
  readonly data: ServerErrorData;
  /** The event of the request that failed, when known. */
  readonly event: string | undefined;
  /** The request id, when the error answers a request. */
  readonly id: number | undefined;

  constructor(data: ServerErrorData, event?: string) {
    super(event ? `${event}: ${data.message}` : data.message);
    this.data = data;
    this.event = event ?? data.event;
    this.id = data.id;
  }
}

/** A request got no answer within its timeout. */
export class RequestTimeoutError extends SockeonClientError {
  override name = "RequestTimeoutError";
  readonly event: string;
  readonly id: number;
  readonly timeout: number;

  constructor(event: string, id: number, timeout: number) {
    super(`Request '${event}' (id ${id}) got no answer within ${timeout} ms`);
    this.event = event;
    this.id = id;
    this.timeout = timeout;
  }
}

/**
 * A request or queued emit can no longer be answered or sent: the connection dropped while it was in flight,
 * the emit queue overflowed, or the client was closed. `reason` says which.
 */
export class ConnectionError extends SockeonClientError {
  override name = "ConnectionError";
  readonly reason: "disconnected" | "queue-full" | "closed";
  readonly event: string;

  constructor(reason: ConnectionError["reason"], event: string, detail: string) {
    super(`'${event}' was not ${reason === "disconnected" ? "answered" : "sent"}: ${detail}`);
    this.reason = reason;
    this.event = event;
  }
}
