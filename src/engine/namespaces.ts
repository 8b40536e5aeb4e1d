/** The namespace every client starts in. */
export const DEFAULT_NAMESPACE = "/";

/**
 * Which namespace each client is in (exactly one), and the members of each namespace. Empty namespaces are
 * deleted. Pure state, no I/O.
 */
export class Namespaces {
  readonly #members = new Map<string, Set<string>>();
  // only clients outside the default namespace have an entry: most never leave it, and an idle connection
  // then costs one set entry here instead of two
  readonly #of = new Map<string, string>();

  /**
   * Puts a client in a namespace, leaving its previous one. Returns the previous namespace, if any.
   * @example namespaces.move("c1", "/admin")
   */
  move(clientId: string, namespace: string): string | undefined {
    const previous = this.remove(clientId);
    let members = this.#members.get(namespace);
    if (!members) this.#members.set(namespace, (members = new Set()));
    members.add(clientId);
    if (namespace !== DEFAULT_NAMESPACE) this.#of.set(clientId, namespace);
    return previous;
  }

  /** Removes a client from its namespace. Returns the namespace it was in, if any. */
  remove(clientId: string): string | undefined {
    const namespace = this.of(clientId);
    if (namespace === undefined) return undefined;
    this.#of.delete(clientId);
    const members = this.#members.get(namespace);
    if (members) {
      members.delete(clientId);
      if (members.size === 0) this.#members.delete(namespace);
    }
    return namespace;
  }

  /** The namespace of a client, or undefined when the client is unknown. */
  of(clientId: string): string | undefined {
    const namespace = this.#of.get(clientId);
    if (namespace !== undefined) return namespace;
    return this.#members.get(DEFAULT_NAMESPACE)?.has(clientId) ? DEFAULT_NAMESPACE : undefined;
  }

  /** The live member set of a namespace, or undefined when it is empty. Do not mutate it. */
  members(namespace: string): ReadonlySet<string> | undefined {
    return this.#members.get(namespace);
  }

  /** Names of the non-empty namespaces. */
  names(): string[] {
    return [...this.#members.keys()];
  }
}
