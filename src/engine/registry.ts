import { type HandlerMetadata, readHandlers, type SocketOnOptions } from "../api/decorators.ts";
import { describe } from "../common/errors.ts";

/** A controller instance: any object whose class carries decorated handlers. */
export type ControllerInstance = object;

/** One registered event handler. */
export interface Route {
  readonly event: string;
  readonly controller: ControllerInstance;
  readonly method: string | symbol;
  readonly handler: (this: unknown, clientId: string, data: unknown) => unknown;
  readonly options: SocketOnOptions;
}

/** One registered `@OnConnect`/`@OnDisconnect` handler. */
export interface LifecycleRoute {
  readonly controller: ControllerInstance;
  readonly method: string | symbol;
  readonly handler: (this: unknown, clientId: string) => unknown;
}

/**
 * The class of a controller instance. A method named `constructor` (a computed key, or a decorated one on Bun)
 * replaces `prototype.constructor`, which would hide the class and with it every handler: reject that clearly.
 */
function classOf(controller: ControllerInstance): abstract new (...args: never[]) => unknown {
  const proto = Object.getPrototypeOf(controller) as { constructor?: unknown } | null;
  const ctor = proto?.constructor;
  if (proto !== null && (typeof ctor !== "function" || ctor.prototype !== proto)) {
    const parent = (Object.getPrototypeOf(proto) as { constructor?: { name?: string } } | null)?.constructor?.name;
    throw new TypeError(
      `a controller${parent ? ` (extending ${parent})` : ""} has a method named "constructor": it replaces the class's ` +
        `constructor property, so its handlers cannot be found. Rename the method; the event name can stay.`,
    );
  }
  return (ctor ?? Object) as abstract new (
    ...args: never[]
  ) => unknown;
}

/**
 * Event routes and lifecycle handlers of every registered controller. Event lookup is a Map, so names such as
 * `__proto__` or `constructor` are just unknown events.
 */
export class Registry {
  readonly events = new Map<string, Route>();
  readonly connect: LifecycleRoute[] = [];
  readonly disconnect: LifecycleRoute[] = [];
  readonly #reservedFor: (controller: ControllerInstance) => ReadonlySet<string>;

  /** @param reservedFor the member names a controller's decorated handlers may not reuse (its base classes') */
  constructor(reservedFor: (controller: ControllerInstance) => ReadonlySet<string> = () => new Set()) {
    this.#reservedFor = reservedFor;
  }

  /**
   * Registers every decorated handler of a controller.
   * @throws TypeError when a handler's method name shadows a base-class member, or is not a method
   */
  add(controller: ControllerInstance): HandlerMetadata[] {
    const ctor = classOf(controller);
    const entries = readHandlers(ctor);
    const className = ctor.name || "(anonymous controller)";
    const reserved = this.#reservedFor(controller);
    for (const entry of entries) {
      const name = String(entry.method);
      if (typeof entry.method === "string" && reserved.has(entry.method)) {
        throw new TypeError(
          `${className}.${name}: a decorated handler may not be named "${name}": it shadows SocketController.${name}, ` +
            `so this.${name}(...) inside it would call the handler itself. Rename the method; the event name can stay.`,
        );
      }
      const fn = (controller as Record<string | symbol, unknown>)[entry.method];
      if (typeof fn !== "function") throw new TypeError(`${className}.${name} is not a method (got ${describe(fn)})`);
    }
    for (const entry of entries) {
      const handler = (controller as Record<string | symbol, unknown>)[entry.method] as Route["handler"];
      if (entry.kind === "event") {
        this.events.set(entry.event as string, {
          event: entry.event as string,
          controller,
          method: entry.method,
          handler,
          options: entry.options,
        });
      } else {
        this[entry.kind].push({ controller, method: entry.method, handler: handler as LifecycleRoute["handler"] });
      }
    }
    return entries;
  }
}
