/** A listener of one event. */
export type Listener = (data: any) => void;

/** Event listeners by name, with `once` support; a throwing listener never stops the others. */
export class Listeners {
  readonly #byEvent = new Map<string, Map<Listener, boolean>>();

  /** Adds a listener (`once`: removed before its first call). */
  add(event: string, listener: Listener, once: boolean): void {
    if (typeof listener !== "function") throw new TypeError(`Listener for '${event}' must be a function, got ${typeof listener}`);
    let set = this.#byEvent.get(event);
    if (!set) this.#byEvent.set(event, (set = new Map()));
    set.set(listener, once);
  }

  /** Removes one listener, or all of the event's. */
  remove(event: string, listener?: Listener): void {
    if (listener) this.#byEvent.get(event)?.delete(listener);
    else this.#byEvent.delete(event);
  }

  /** Calls the event's listeners with `data`. */
  emit(event: string, data: unknown): void {
    const set = this.#byEvent.get(event);
    if (!set) return;
    for (const [listener, once] of [...set]) {
      if (once) set.delete(listener);
      try {
        listener(data);
      } catch (error) {
        console.error(`sockeon-ts client: a listener of '${event}' threw`, error);
      }
    }
  }
}
