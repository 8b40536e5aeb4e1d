import { assertName, describe } from "../common/errors.ts";

/** Event names mapped to their payload types, for typed emits: `{ "chat.message": { text: string } }`. */
export type EventMap = Record<string, unknown>;

/** Who a builder broadcast reaches. */
export interface BroadcastTarget {
  /** Rooms (of `namespace`, default `/`) whose members receive it; empty means no room filter. */
  readonly rooms: readonly string[];
  /** The namespace; absent with no rooms means every client of every namespace. */
  readonly namespace?: string;
  /** Client ids that never receive it. */
  readonly except: readonly string[];
}

/** What the builder needs from the server: one delivery method. */
export interface BroadcastSink {
  broadcastToTarget(event: string, data: unknown, target: BroadcastTarget): void;
}

const EVERYONE: BroadcastTarget = Object.freeze({ rooms: Object.freeze([]), except: Object.freeze([]) });

function ids(values: ReadonlyArray<string | readonly string[]>): string[] {
  const out: string[] = [];
  for (const value of values.flat()) {
    if (typeof value !== "string" || value.length === 0)
      throw new TypeError(`except: client ids are non-empty strings, got ${describe(value)}`);
    out.push(value);
  }
  return out;
}

/**
 * An immutable, typed broadcast builder (socket.io's `BroadcastOperator`): every call returns a new builder,
 * so a partial one can be kept and reused safely.
 * @example
 * ```ts
 * this.to("lobby").in("/chat").except(clientId).emit("chat.message", { text });
 * const admins = this.in("/admin"); admins.emit("alert", {}); admins.to("ops").emit("page", {});
 * ```
 */
export class BroadcastOperator<Events extends EventMap = EventMap> {
  readonly #sink: BroadcastSink;
  /** Who an `emit` from this builder reaches. */
  readonly target: BroadcastTarget;

  constructor(sink: BroadcastSink, target: BroadcastTarget = EVERYONE) {
    this.#sink = sink;
    this.target = target;
    Object.freeze(this);
  }

  /** Adds rooms: members of any of them receive it (each once). Rooms are looked up in the builder's namespace. */
  to(...rooms: Array<string | readonly string[]>): BroadcastOperator<Events> {
    const added = rooms.flat();
    for (const room of added) assertName("room", room);
    return new BroadcastOperator(
      this.#sink,
      Object.freeze({ ...this.target, rooms: Object.freeze([...this.target.rooms, ...added]) }),
    );
  }

  /** Sets the namespace: alone it reaches the whole namespace; with rooms, the rooms of that namespace. */
  in(namespace: string): BroadcastOperator<Events> {
    assertName("namespace", namespace);
    return new BroadcastOperator(this.#sink, Object.freeze({ ...this.target, namespace }));
  }

  /** Leaves these clients out. */
  except(...clientIds: Array<string | readonly string[]>): BroadcastOperator<Events> {
    return new BroadcastOperator(
      this.#sink,
      Object.freeze({ ...this.target, except: Object.freeze([...this.target.except, ...ids(clientIds)]) }),
    );
  }

  /** Sends the event to the target; the frame is encoded once. */
  emit<E extends keyof Events & string>(event: E, data: Events[E]): void {
    this.#sink.broadcastToTarget(event, data, this.target);
  }
}
