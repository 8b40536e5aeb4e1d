import { createIpMatcher, normalizeIp, parseIp, resolveClientIp } from "../../src/common/ip.ts";
import { describe, expect, test } from "../support/test.ts";

const list = (text: string) => (parseIp(text) ? [...(parseIp(text) as Uint8Array)] : null);

describe("parseIp / normalizeIp", () => {
  test("IPv4: four decimal octets 0-255", () => {
    expect(list("192.168.0.1")).toEqual([192, 168, 0, 1]);
    expect(list(" 10.0.0.255 ")).toEqual([10, 0, 0, 255]);
    for (const bad of ["256.0.0.1", "1.2.3", "1.2.3.4.5", "1.2.3.x", "", "1..2.3", "-1.2.3.4", "1.2.3.1234"]) {
      expect([bad, parseIp(bad)]).toEqual([bad, null]);
    }
  });

  test("IPv6: full, compressed, bracketed, zoned, with an IPv4 tail", () => {
    expect(list("::1")).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect(list("[2001:db8::1]")).toEqual(list("2001:0db8:0000:0000:0000:0000:0000:0001"));
    expect(list("fe80::1%eth0")).toEqual(list("fe80::1"));
    expect(list("::")).toEqual(new Array(16).fill(0));
    expect(list("64:ff9b::1.2.3.4")?.slice(12)).toEqual([1, 2, 3, 4]);
    for (const bad of ["1:2:3", ":::", "1::2::3", "g::1", "1:2:3:4:5:6:7:8:9", "1::2:3:4:5:6:7:8", "12345::1", "::1.2.3"]) {
      expect([bad, parseIp(bad)]).toEqual([bad, null]);
    }
  });

  test("IPv4-mapped IPv6 parses as IPv4", () => {
    expect(list("::ffff:10.0.0.1")).toEqual([10, 0, 0, 1]);
    expect(list("::ffff:a00:1")).toEqual([10, 0, 0, 1]);
    expect(normalizeIp("[::ffff:127.0.0.1]")).toBe("127.0.0.1");
  });

  test("canonical text per RFC 5952: lower case, longest zero run compressed, first on a tie", () => {
    expect(normalizeIp("2001:DB8:0:0:0:0:0:A")).toBe("2001:db8::a");
    expect(normalizeIp("1:0:0:1:0:0:0:1")).toBe("1:0:0:1::1");
    expect(normalizeIp("1:0:0:1:1:0:0:1")).toBe("1::1:1:0:0:1");
    expect(normalizeIp("0:0:1:0:0:0:0:0")).toBe("0:0:1::");
    expect(normalizeIp("1:0:2:3:4:5:6:7")).toBe("1:0:2:3:4:5:6:7");
    expect(normalizeIp("0:0:0:0:0:0:0:0")).toBe("::");
    expect(normalizeIp("0:0:0:0:0:0:0:1")).toBe("::1");
    expect(normalizeIp("not an ip")).toBe("not an ip");
    // every spelling of one address gives the same text, so it can key per-IP state
    for (const spelling of ["2001:db8::1", "2001:0DB8:0:0::0:1", "[2001:db8:0:0:0:0:0:1]"]) {
      expect(normalizeIp(spelling)).toBe("2001:db8::1");
    }
  });
});

describe("createIpMatcher", () => {
  test("addresses and CIDR ranges, IPv4 and IPv6, mapped addresses included", () => {
    const match = createIpMatcher(["127.0.0.1", "10.0.0.0/8", "192.168.1.128/25", "::1", "fd00::/8"]);
    expect(match("127.0.0.1")).toBe(true);
    expect(match("127.0.0.2")).toBe(false);
    expect(match("10.255.1.2")).toBe(true);
    expect(match("11.0.0.1")).toBe(false);
    expect(match("192.168.1.200")).toBe(true);
    expect(match("192.168.1.127")).toBe(false);
    expect(match("::ffff:10.1.2.3")).toBe(true);
    expect(match("::1")).toBe(true);
    expect(match("fdab::5")).toBe(true);
    expect(match("fe00::5")).toBe(false);
    expect(match(null)).toBe(false);
    expect(match(undefined)).toBe(false);
    expect(match("garbage")).toBe(false);
  });

  test("prefix edge cases: /0 matches its family, /32 one address, mapped CIDRs count over 128 bits", () => {
    expect(createIpMatcher(["0.0.0.0/0"])("203.0.113.9")).toBe(true);
    expect(createIpMatcher(["0.0.0.0/0"])("::1")).toBe(false);
    expect(createIpMatcher(["::/0"])("2001:db8::1")).toBe(true);
    expect(createIpMatcher(["1.2.3.4/32"])("1.2.3.5")).toBe(false);
    expect(createIpMatcher(["::ffff:10.0.0.0/104"])("10.9.9.9")).toBe(true);
    expect(createIpMatcher(["::ffff:10.0.0.0/104"])("11.0.0.0")).toBe(false);
  });

  test("a bad rule throws a TypeError naming it and the option", () => {
    for (const bad of ["10.0.0.0/33", "::/129", "10.0.0.0/x", "10.0.0/8", "nope", "", "1.2.3.4/"]) {
      expect(() => createIpMatcher(["127.0.0.1", bad], "trustProxy")).toThrow(
        `Invalid trustProxy entry: ${JSON.stringify(bad)} (expected an IPv4/IPv6 address or CIDR range)`,
      );
    }
    expect(() => createIpMatcher([5 as unknown as string])).toThrow("Invalid IP list entry: 5");
  });
});

describe("resolveClientIp", () => {
  const headers = (h: Record<string, string>) => new Headers(h);

  test("an untrusted peer's forwarding headers are ignored", () => {
    const h = headers({ "x-forwarded-for": "1.1.1.1", "x-real-ip": "2.2.2.2" });
    expect(resolveClientIp("203.0.113.7", h, false)).toBe("203.0.113.7");
    expect(resolveClientIp("203.0.113.7", h, createIpMatcher(["10.0.0.0/8"]))).toBe("203.0.113.7");
    expect(resolveClientIp("::ffff:203.0.113.7", headers({}), false)).toBe("203.0.113.7");
    expect(resolveClientIp(null, h, false)).toBeNull();
  });

  test("behind trusted proxies the chain is read right to left, skipping trusted hops", () => {
    const trusted = createIpMatcher(["10.0.0.0/8"]);
    const h = headers({ "x-forwarded-for": "6.6.6.6, 9.9.9.9, 10.0.0.2" });
    // the client wrote 6.6.6.6 itself; the first untrusted hop from the right is the real client
    expect(resolveClientIp("10.0.0.1", h, trusted)).toBe("9.9.9.9");
    // trust everyone: the leftmost entry
    expect(resolveClientIp("10.0.0.1", h, true)).toBe("6.6.6.6");
    expect(resolveClientIp("10.0.0.1", headers({ "x-forwarded-for": "10.0.0.9,10.0.0.8" }), trusted)).toBe("10.0.0.9");
  });

  test("X-Real-IP when there is no usable X-Forwarded-For; otherwise the peer", () => {
    const trusted = createIpMatcher(["127.0.0.1"]);
    expect(resolveClientIp("127.0.0.1", headers({ "x-real-ip": " 2001:DB8::1 " }), trusted)).toBe("2001:db8::1");
    expect(resolveClientIp("127.0.0.1", headers({ "x-forwarded-for": "1.1.1.1, junk", "x-real-ip": "2.2.2.2" }), trusted)).toBe(
      "2.2.2.2",
    );
    expect(resolveClientIp("127.0.0.1", headers({ "x-forwarded-for": "junk", "x-real-ip": "junk" }), trusted)).toBe("127.0.0.1");
    expect(resolveClientIp("127.0.0.1", headers({}), trusted)).toBe("127.0.0.1");
  });
});
