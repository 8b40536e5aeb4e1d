import { DEFAULT_NAMESPACE, Namespaces } from "../../src/engine/namespaces.ts";
import { describe, expect, test } from "../support/test.ts";

describe("Namespaces", () => {
  test("a client is in exactly one namespace; moving leaves the old one, which is deleted when empty", () => {
    const ns = new Namespaces();
    expect(DEFAULT_NAMESPACE).toBe("/");
    expect(ns.move("a", "/")).toBeUndefined();
    ns.move("b", "/");
    expect(ns.of("a")).toBe("/");
    expect(ns.move("a", "/admin")).toBe("/");
    expect(ns.of("a")).toBe("/admin");
    expect([...(ns.members("/") ?? [])]).toEqual(["b"]);
    expect([...(ns.members("/admin") ?? [])]).toEqual(["a"]);
    expect(ns.names().sort()).toEqual(["/", "/admin"]);
    expect(ns.move("a", "/")).toBe("/admin");
    expect(ns.members("/admin")).toBeUndefined();
    expect(ns.names()).toEqual(["/"]);
  });

  test("moving to the same namespace keeps the client once", () => {
    const ns = new Namespaces();
    ns.move("a", "/chat");
    expect(ns.move("a", "/chat")).toBe("/chat");
    expect([...(ns.members("/chat") ?? [])]).toEqual(["a"]);
  });

  test("remove returns the namespace left; unknown clients are a no-op", () => {
    const ns = new Namespaces();
    ns.move("a", "/x");
    expect(ns.remove("a")).toBe("/x");
    expect(ns.remove("a")).toBeUndefined();
    expect(ns.remove("nobody")).toBeUndefined();
    expect(ns.of("a")).toBeUndefined();
    expect(ns.names()).toEqual([]);
  });

  test('"0", "__proto__" and "constructor" are ordinary namespace names', () => {
    const ns = new Namespaces();
    ns.move("a", "__proto__");
    ns.move("b", "constructor");
    ns.move("c", "0");
    expect(ns.of("a")).toBe("__proto__");
    expect(ns.names().sort()).toEqual(["0", "__proto__", "constructor"]);
    expect(ns.members("toString")).toBeUndefined();
  });
});
