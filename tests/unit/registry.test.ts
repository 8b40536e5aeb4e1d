import { SocketController } from "../../src/api/controller.ts";
import { OnConnect, OnDisconnect, SocketOn } from "../../src/api/decorators.ts";
import { createServer } from "../../src/api/server.ts";
import { Registry } from "../../src/engine/registry.ts";
import { describe, expect, test } from "../support/test.ts";

const reserved = (): ReadonlySet<string> => new Set(["joinRoom", "emit", "server", "constructor"]);

describe("Registry", () => {
  test("registers events and lifecycle handlers, bound to the right instance", () => {
    class Chat {
      constructor(readonly tag: string) {}
      @OnConnect
      hello(): string {
        return this.tag;
      }
      @SocketOn("chat.say")
      say(_id: string, data: unknown): unknown {
        return [this.tag, data];
      }
      @OnDisconnect
      bye(): void {}
    }
    const registry = new Registry(reserved);
    const controller = new Chat("one");
    const entries = registry.add(controller);
    expect(entries).toHaveLength(3);
    const route = registry.events.get("chat.say");
    expect(route?.controller).toBe(controller);
    expect(route?.handler.call(route.controller, "c", { a: 1 })).toEqual(["one", { a: 1 }]);
    expect(registry.connect.map((r) => r.method)).toEqual(["hello"]);
    expect(registry.disconnect.map((r) => r.method)).toEqual(["bye"]);
  });

  test("a later controller's handler replaces an earlier one for the same event; lifecycle handlers accumulate", () => {
    class A {
      @SocketOn("same") a(): void {}
      @OnConnect first(): void {}
    }
    class B {
      @SocketOn("same") b(): void {}
      @OnConnect second(): void {}
    }
    const registry = new Registry(reserved);
    registry.add(new A());
    registry.add(new B());
    expect(registry.events.get("same")?.method).toBe("b");
    expect(registry.connect.map((r) => r.method)).toEqual(["first", "second"]);
  });

  test("lookups of prototype names are unknown events", () => {
    const registry = new Registry(reserved);
    for (const name of ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf"]) {
      expect(registry.events.get(name)).toBeUndefined();
    }
  });

  test("a handler shadowing a SocketController member throws a TypeError naming class and method", () => {
    class RoomController extends SocketController {
      @SocketOn("room.join")
      // @ts-expect-error tsc catches the shadowing too, but bun, deno and tsx run without checking types
      joinRoom(_clientId: string): void {}
    }
    const server = createServer({ port: 0 });
    expect(() => server.register(new RoomController())).toThrow(TypeError);
    expect(() => server.register(new RoomController())).toThrow(
      'RoomController.joinRoom: a decorated handler may not be named "joinRoom": it shadows SocketController.joinRoom',
    );
    // the docs page's other shadowing names, and lifecycle handlers too
    for (const name of ["leaveRoom", "joinNamespace", "leaveNamespace", "getServerStats", "server"]) {
      const Shadowing = class extends SocketController {
        @OnConnect
        [name](): void {}
      };
      expect(() => createServer({ port: 0 }).register(new Shadowing())).toThrow(`may not be named "${name}"`);
    }
    // nothing of a rejected controller was registered
    const fresh = createServer({ port: 0, registerSystemControllers: false });
    expect(() => fresh.register(new RoomController())).toThrow(TypeError);
  });

  test('a method named "constructor" hides the class: registering throws instead of silently finding no handler', () => {
    const key: string = "constructor";
    class Hidden {
      @SocketOn("hidden.event")
      handler(): void {}
      // an undecorated computed "constructor" method replaces prototype.constructor
      [key](): void {}
    }
    const registry = new Registry(reserved);
    expect(() => registry.add(new Hidden())).toThrow(TypeError);
    expect(() => registry.add(new Hidden())).toThrow('has a method named "constructor"');
    expect(registry.events.size).toBe(0);
    class Child extends SocketController {
      [key](): void {}
    }
    expect(() => createServer({ port: 0 }).register(new Child())).toThrow("(extending SocketController)");
  });

  test("a decorated name that is not a method fails with the offending value", () => {
    class Broken {
      @SocketOn("broken") handler(): void {}
    }
    const instance = new Broken();
    (instance as unknown as Record<string, unknown>).handler = 42;
    expect(() => new Registry(reserved).add(instance)).toThrow("Broken.handler is not a method (got 42)");
  });

  test("objects without a class or handlers register nothing", () => {
    const registry = new Registry(reserved);
    expect(registry.add(Object.create(null))).toEqual([]);
    expect(registry.add({})).toEqual([]);
    expect(registry.events.size).toBe(0);
  });
});
