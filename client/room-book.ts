import { RequestTimeoutError } from "./errors.ts";

/** A room the client is in (and rejoins after every reconnect). */
export interface RoomRef {
  room: string;
  namespace: string;
}

interface Waiter {
  resolve(): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

type Kind = "join_room" | "leave_room";

const keyOf = (room: string, namespace: string): string => `${namespace}\u0000${room}`;

/**
 * The rooms a client wants to be in, kept across connections so every reconnect can rejoin them, and the
 * `joinRoom`/`leaveRoom` calls waiting for the server's `room_joined`/`room_left`.
 */
export class RoomBook {
  readonly #rooms = new Map<string, RoomRef>();
  readonly #waiters: Record<Kind, Map<string, Waiter[]>> = { join_room: new Map(), leave_room: new Map() };

  /** The rooms, in join order. */
  list(): RoomRef[] {
    return [...this.#rooms.values()].map((r) => ({ ...r }));
  }

  /** Remembers a room. */
  add(room: string, namespace: string): void {
    this.#rooms.set(keyOf(room, namespace), { room, namespace });
  }

  /** Forgets a room. */
  remove(room: string, namespace: string): void {
    this.#rooms.delete(keyOf(room, namespace));
  }

  /** A promise settled by the server's confirmation of `kind` for the room, or rejected after `timeout` ms. */
  wait(kind: Kind, room: string, namespace: string, timeout: number): Promise<void> {
    const key = keyOf(room, namespace);
    const waiters = this.#waiters[kind];
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          const list = waiters.get(key);
          list?.splice(list.indexOf(waiter), 1);
          reject(new RequestTimeoutError(kind, 0, timeout));
        }, timeout),
      };
      let list = waiters.get(key);
      if (!list) waiters.set(key, (list = []));
      list.push(waiter);
    });
  }

  /** The server confirmed `kind` for a room (`room_joined`/`room_left` data); resolves its waiters. */
  confirmed(kind: Kind, data: { room?: unknown; namespace?: unknown }): void {
    if (typeof data?.room !== "string") return;
    const key = keyOf(data.room, typeof data.namespace === "string" ? data.namespace : "/");
    const list = this.#waiters[kind].get(key);
    this.#waiters[kind].delete(key);
    for (const w of list ?? []) {
      clearTimeout(w.timer);
      w.resolve();
    }
  }

  /**
   * The server refused a `kind` (an `error` frame naming the event, without the room): rejects the oldest room's
   * waiters, since the server answers in order.
   */
  refused(kind: Kind, error: Error): void {
    const first = this.#waiters[kind].entries().next().value;
    if (!first) return;
    this.#waiters[kind].delete(first[0]);
    for (const w of first[1]) {
      clearTimeout(w.timer);
      w.reject(error);
    }
  }

  /** Rejects every waiter (the client closed). */
  failAll(error: (kind: Kind) => Error): void {
    for (const kind of ["join_room", "leave_room"] as const) {
      for (const list of this.#waiters[kind].values())
        for (const w of list) {
          clearTimeout(w.timer);
          w.reject(error(kind));
        }
      this.#waiters[kind].clear();
    }
  }
}
