import { Sanitizer } from "../../src/validation/sanitizer.ts";
import { describe, expect, test } from "../support/test.ts";

describe("Sanitizer (Sockeon's static helpers)", () => {
  test("text", () => {
    expect(Sanitizer.string("  <b>hi</b> there<script>x()</script> ")).toBe("hi therex()");
    // Sockeon's own test of strip_tags
    expect(Sanitizer.string("<script>alert('xss')</script>John Doe")).toBe("alert('xss')John Doe");
    expect(Sanitizer.string(" <b>x</b> ", false, false)).toBe(" <b>x</b> ");
    expect(Sanitizer.email("  Ada (x)@Example.COM ")).toBe("adax@example.com");
    expect(Sanitizer.url(" example.com/a ")).toBe("http://example.com/a");
    expect(Sanitizer.url("https://x.io")).toBe("https://x.io");
    expect(Sanitizer.url("")).toBe("");
    expect(Sanitizer.html('<p>a <b>b</b> <a href="#">c</a></p>', ["b", "a"])).toBe('a <b>b</b> <a href="#">c</a>');
  });

  test("numbers and structures", () => {
    expect(Sanitizer.integer("42abc")).toBe(42);
    expect(Sanitizer.integer("abc", 7)).toBe(7);
    expect(Sanitizer.integer(3.9)).toBe(3);
    expect(Sanitizer.float("3.25kg")).toBe(3.25);
    expect(Sanitizer.float(null, 1.5)).toBe(1.5);
    expect(["1", "true", "YES", "on", 1, true].map(Sanitizer.boolean)).toEqual([true, true, true, true, true, true]);
    expect(["0", "no", "", null, 0].map(Sanitizer.boolean)).toEqual([false, false, false, false, false]);
    expect(Sanitizer.array("[1,2]")).toEqual([1, 2]);
    expect(Sanitizer.array("x")).toEqual(["x"]);
    expect(Sanitizer.array(null)).toEqual([]);
    expect(Sanitizer.json('{"a":1}')).toEqual({ a: 1 });
    expect(Sanitizer.json("{bad")).toBeNull();
  });

  test("character filters", () => {
    expect(Sanitizer.filename("../../etc/pa ss?wd.txt")).toBe("passwd.txt");
    expect(Sanitizer.filename("..")).toBe("");
    expect(Sanitizer.phone("+1 (555) 010-99 ext.7")).toBe("+1 (555) 010-99 7");
    expect(Sanitizer.creditCard("4111-1111 1111-1111")).toBe("4111111111111111");
    expect(Sanitizer.ipAddress(" 10.0.0.1 ")).toBe("10.0.0.1");
    expect(Sanitizer.ipAddress("::1")).toBe("::1");
    expect(Sanitizer.ipAddress("999.1.1.1")).toBe("");
    expect(Sanitizer.color("#A1B2C3")).toBe("#a1b2c3");
    expect(Sanitizer.color("rgba(1, 2, 3, 0.5)")).toBe("rgba(1, 2, 3, 0.5)");
    expect(Sanitizer.color("red; background: url(x)")).toBe("");
    expect(Sanitizer.cssClass("btn primary!")).toBe("btnprimary");
    expect(Sanitizer.id("1st item")).toBe("id_1stitem");
    expect(Sanitizer.id("main")).toBe("main");
  });

  test("dates", () => {
    expect(Sanitizer.date("2024-02-03 04:05:06")).toBe("2024-02-03");
    expect(Sanitizer.datetime("2024-02-03 04:05:06")).toBe("2024-02-03 04:05:06");
    expect(Sanitizer.time("07:08")).toBe("07:08:00");
    expect(Sanitizer.date("2024-02-03", "d/m/Y")).toBe("03/02/2024");
    expect(Sanitizer.date("not a date")).toBe("");
  });
});
