import { ClientData } from "../../src/engine/client-data.ts";
import { describe, expect, test } from "../support/test.ts";

describe("ClientData", () => {
  test("missing keys read as null, set values read back, clients are separate", () => {
    const data = new ClientData();
    expect(data.get("a", "name")).toBeNull();
    data.set("a", "name", "Ada");
    data.set("a", "n", 0);
    data.set("a", "f", false);
    data.set("b", "name", "Bob");
    expect(data.get("a", "name")).toBe("Ada");
    expect(data.get("a", "n")).toBe(0);
    expect(data.get("a", "f")).toBe(false);
    expect(data.get("b", "name")).toBe("Bob");
    expect(data.has("a", "name")).toBe(true);
    expect(data.has("a", "missing")).toBe(false);
    expect(data.size).toBe(2);
  });

  test("all() is a null-prototype record; __proto__ is an ordinary key", () => {
    const data = new ClientData();
    data.set("a", "__proto__", { polluted: true });
    data.set("a", "constructor", 1);
    const all = data.all("a");
    expect(Object.getPrototypeOf(all)).toBeNull();
    expect(Object.keys(all).sort()).toEqual(["__proto__", "constructor"]);
    expect(Object.getOwnPropertyDescriptor(all, "__proto__")?.value).toEqual({ polluted: true });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(data.all("nobody"))).toEqual([]);
  });

  test("forget one key, then the last key frees the client; forget all at once", () => {
    const data = new ClientData();
    data.set("a", "x", 1);
    data.set("a", "y", 2);
    data.forget("a", "x");
    expect(data.get("a", "x")).toBeNull();
    expect(data.size).toBe(1);
    data.forget("a", "y");
    expect(data.size).toBe(0);
    data.set("b", "x", 1);
    data.set("b", "y", 1);
    data.forget("b");
    expect(data.size).toBe(0);
    expect(data.has("b", "x")).toBe(false);
    data.forget("nobody", "x");
    data.forget("nobody");
    expect(data.size).toBe(0);
  });
});
