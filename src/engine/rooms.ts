/** Told when a room gets its first member and when it loses its last one (a broker's room subscriptions). */
export interface RoomWatcher {
  roomOpened(namespace: string, room: string): void;
  roomClosed(namespace: string, room: string): void;
}

/**
 * Room membership keyed by (namespace, room), with the reverse index per client so leaving everything is
 * proportional to the client's own rooms. Empty rooms and namespaces are deleted. Pure state, no I/O.
 */
export class Rooms {
  readonly #rooms = new Map<string, Map<string, Set<string>>>();
  readonly #byClient = new Map<string, Map<string, Set<string>>>();
  #watcher: RoomWatcher | undefined;

  /** Tells `watcher` from now on when a room opens (first member) and closes (last member left). */
  watch(watcher: RoomWatcher): void {
    this.#watcher = watcher;
  }

  /**
   * Adds a client to a room. Returns false when it was already a member.
   * @example rooms.join("c1", "lobby", "/")
   */
  join(clientId: string, room: string, namespace: string): boolean {
    let inNamespace = this.#rooms.get(namespace);
    if (!inNamespace) this.#rooms.set(namespace, (inNamespace = new Map()));
    let members = inNamespace.get(room);
    if (!members) inNamespace.set(room, (members = new Set()));
    if (members.has(clientId)) return false;
    members.add(clientId);
    if (members.size === 1) this.#watcher?.roomOpened(namespace, room);
    let mine = this.#byClient.get(clientId);
    if (!mine) this.#byClient.set(clientId, (mine = new Map()));
    let names = mine.get(namespace);
    if (!names) mine.set(namespace, (names = new Set()));
    names.add(room);
    return true;
  }

  /** Removes a client from a room. Returns false when it was not a member. */
  leave(clientId: string, room: string, namespace: string): boolean {
    const inNamespace = this.#rooms.get(namespace);
    const members = inNamespace?.get(room);
    if (!inNamespace || !members?.delete(clientId)) return false;
    if (members.size === 0) {
      inNamespace.delete(room);
      if (inNamespace.size === 0) this.#rooms.delete(namespace);
      this.#watcher?.roomClosed(namespace, room);
    }
    const mine = this.#byClient.get(clientId);
    const names = mine?.get(namespace);
    if (mine && names) {
      names.delete(room);
      if (names.size === 0) mine.delete(namespace);
      if (mine.size === 0) this.#byClient.delete(clientId);
    }
    return true;
  }

  /** Removes a client from every room it is in, in every namespace. Returns how many rooms it left. */
  leaveAll(clientId: string): number {
    const mine = this.#byClient.get(clientId);
    if (!mine) return 0;
    let left = 0;
    for (const [namespace, names] of [...mine]) {
      for (const room of [...names]) if (this.leave(clientId, room, namespace)) left++;
    }
    return left;
  }

  /** The live member set of a room, or undefined when the room is empty. Do not mutate it. */
  members(room: string, namespace: string): ReadonlySet<string> | undefined {
    return this.#rooms.get(namespace)?.get(room);
  }

  /** Names of the non-empty rooms of a namespace. */
  roomsIn(namespace: string): string[] {
    const inNamespace = this.#rooms.get(namespace);
    return inNamespace ? [...inNamespace.keys()] : [];
  }

  /** The rooms a client is in, as (namespace, room) pairs. */
  roomsOf(clientId: string): Array<{ namespace: string; room: string }> {
    const out: Array<{ namespace: string; room: string }> = [];
    for (const [namespace, names] of this.#byClient.get(clientId) ?? []) {
      for (const room of names) out.push({ namespace, room });
    }
    return out;
  }

  /** How many rooms a client is in, over all namespaces. */
  countOf(clientId: string): number {
    let n = 0;
    for (const names of this.#byClient.get(clientId)?.values() ?? []) n += names.size;
    return n;
  }

  /** Whether a client is in a room. */
  has(clientId: string, room: string, namespace: string): boolean {
    return this.#rooms.get(namespace)?.get(room)?.has(clientId) ?? false;
  }

  /** Number of non-empty rooms over all namespaces. */
  get size(): number {
    let n = 0;
    for (const inNamespace of this.#rooms.values()) n += inNamespace.size;
    return n;
  }
}
