import { OnConnect, OnDisconnect, readHandlers, SocketOn } from "../../src/api/decorators.ts";
import { describe, expect, test } from "../support/test.ts";

const summary = (ctor: abstract new (...args: never[]) => unknown) =>
  readHandlers(ctor).map((h) => `${h.kind}:${h.event ?? "-"}:${String(h.method)}`);

class Base {
  @OnConnect
  hello(_clientId: string): void {}

  @SocketOn("shared")
  baseShared(_clientId: string, _data: unknown): void {}

  @SocketOn("base.only")
  baseOnly(_clientId: string, _data: unknown): void {}
}

class Middle extends Base {
  @SocketOn("shared")
  middleShared(_clientId: string, _data: unknown): void {}
}

class Undecorated extends Middle {}

class Leaf extends Undecorated {
  @OnDisconnect
  bye(_clientId: string): void {}

  @SocketOn("leaf.only", { custom: 1 })
  leafOnly(_clientId: string, _data: unknown): void {}
}

describe("decorators", () => {
  test("TC39 decorators record metadata under Symbol.metadata (polyfilled where the runtime lacks it)", () => {
    expect(typeof Symbol.metadata).toBe("symbol");
    expect(Object.hasOwn(Base, Symbol.metadata)).toBe(true);
    expect(summary(Base)).toEqual(["connect:-:hello", "event:shared:baseShared", "event:base.only:baseOnly"]);
  });

  test("handlers are read through the whole class chain, base class first, so a subclass's event wins", () => {
    expect(summary(Leaf)).toEqual([
      "connect:-:hello",
      "event:shared:baseShared",
      "event:base.only:baseOnly",
      "event:shared:middleShared",
      "disconnect:-:bye",
      "event:leaf.only:leafOnly",
    ]);
    // a class without decorators inherits every handler of its ancestors
    expect(summary(Undecorated)).toEqual(summary(Middle));
    expect(readHandlers(Leaf).find((h) => h.event === "leaf.only")?.options).toEqual({ custom: 1 });
  });

  test("a subclass's handlers never leak into its parent or siblings", () => {
    class Sibling extends Base {
      @SocketOn("sibling.only")
      siblingOnly(): void {}
    }
    expect(summary(Base)).toHaveLength(3);
    expect(summary(Middle)).toHaveLength(4);
    expect(summary(Sibling)).toEqual([...summary(Base), "event:sibling.only:siblingOnly"]);
    expect(summary(Leaf)).not.toContain("event:sibling.only:siblingOnly");
  });

  test("classes without handlers, and plain functions, read as empty", () => {
    class Plain {}
    expect(readHandlers(Plain)).toEqual([]);
    expect(readHandlers(Object)).toEqual([]);
  });

  test("@SocketOn rejects invalid and reserved event names, naming them", () => {
    for (const name of ["", "has space", "é", "a/b", 5 as unknown as string]) {
      expect(() => SocketOn(name)).toThrow(TypeError);
    }
    expect(() => SocketOn("has space")).toThrow('"has space"');
    expect(() => SocketOn("sockeon.ping")).toThrow('"sockeon.ping" is reserved');
    expect(() => SocketOn("sockeon")).not.toThrow();
  });

  test("decorators apply to instance methods only", () => {
    expect(() => {
      class Static {
        @SocketOn("x")
        static handler(): void {}
        instance(): void {}
      }
      return Static;
    }).toThrow("not static handler");
  });

  test('a decorated method named "constructor" (a computed key) is rejected where the runtime compiles it', () => {
    const key: string = "constructor";
    expect(() => {
      class Shadow {
        @SocketOn("x")
        [key](): void {}
      }
      return Shadow;
    }).toThrow('named "constructor"');
  });
});
