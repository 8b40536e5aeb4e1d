import { describe } from "./errors.ts";

/** A parsed address: 4 bytes for IPv4, 16 for IPv6. IPv4-mapped IPv6 (`::ffff:1.2.3.4`) parses as IPv4. */
export type IpBytes = Uint8Array;

function parseV4(text: string): IpBytes | null {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const part = parts[i] as string;
    if (!/^\d{1,3}$/.test(part)) return null;
    const n = Number(part);
    if (n > 255) return null;
    out[i] = n;
  }
  return out;
}

function parseV6(text: string): IpBytes | null {
  let head = text;
  let v4tail: IpBytes | null = null;
  const lastColon = text.lastIndexOf(":");
  if (text.includes(".", lastColon)) {
    v4tail = parseV4(text.slice(lastColon + 1));
    if (!v4tail) return null;
    head = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = head.split("::");
  if (halves.length > 2) return null;
  const groups = (s: string) => (s === "" ? [] : s.split(":"));
  const left = groups(halves[0] as string);
  const right = halves.length === 2 ? groups(halves[1] as string) : [];
  const missing = 8 - left.length - right.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const all = [...left, ...Array(halves.length === 2 ? missing : 0).fill("0"), ...right];
  const out = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    const g = all[i] as string;
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
    const n = Number.parseInt(g, 16);
    out[i * 2] = n >> 8;
    out[i * 2 + 1] = n & 0xff;
  }
  if (v4tail) out.set(v4tail, 12);
  return out;
}

/**
 * Parses an IPv4 or IPv6 address (brackets and a `%zone` are ignored). IPv4-mapped IPv6 becomes IPv4, so
 * `::ffff:10.0.0.1` matches `10.0.0.0/8`.
 * @returns the bytes, or null when `text` is not an address
 */
export function parseIp(text: string): IpBytes | null {
  let s = text.trim();
  if (s.startsWith("[") && s.endsWith("]")) s = s.slice(1, -1);
  const zone = s.indexOf("%");
  if (zone >= 0) s = s.slice(0, zone);
  if (!s.includes(":")) return parseV4(s);
  const v6 = parseV6(s);
  if (v6?.slice(0, 10).every((b) => b === 0) && v6[10] === 0xff && v6[11] === 0xff) return v6.slice(12);
  return v6;
}

/** Canonical text of an address (RFC 5952; IPv4-mapped IPv6 shown as IPv4), or the input when it does not parse. */
export function normalizeIp(text: string): string {
  const bytes = parseIp(text);
  if (!bytes) return text;
  // the input itself when already canonical: a session keeps the runtime's string instead of an equal copy
  if (bytes.length === 4) return same(text, bytes.join("."));
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((((bytes[i] as number) << 8) | (bytes[i + 1] as number)).toString(16));
  // RFC 5952: "::" replaces the longest run of two or more zero groups, the first one on a tie
  let best = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === "0") j++;
    if (j - i > bestLength) [best, bestLength] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  if (best < 0) return same(text, groups.join(":"));
  return same(text, `${groups.slice(0, best).join(":")}::${groups.slice(best + bestLength).join(":")}`);
}

const same = (text: string, canonical: string): string => (text === canonical ? text : canonical);

interface Range {
  bytes: IpBytes;
  prefix: number;
}

function parseRange(rule: string): Range | null {
  const slash = rule.indexOf("/");
  const bytes = parseIp(slash < 0 ? rule : rule.slice(0, slash));
  if (!bytes) return null;
  const max = bytes.length * 8;
  let prefix = max;
  if (slash >= 0) {
    const p = rule.slice(slash + 1);
    if (!/^\d{1,3}$/.test(p)) return null;
    prefix = Number(p);
    // an IPv4-mapped IPv6 CIDR (::ffff:10.0.0.0/104) counts its prefix over 128 bits
    if (bytes.length === 4 && rule.includes(":")) prefix -= 96;
    if (prefix < 0 || prefix > max) return null;
  }
  return { bytes, prefix };
}

function inRange(ip: IpBytes, range: Range): boolean {
  if (ip.length !== range.bytes.length) return false;
  let bits = range.prefix;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if (((ip[i] as number) & mask) !== ((range.bytes[i] as number) & mask)) return false;
  }
  return true;
}

/**
 * Compiles a list of addresses and CIDR ranges (IPv4 and IPv6) into a matcher.
 * @param rules e.g. `["127.0.0.1", "10.0.0.0/8", "::1", "fd00::/8"]`
 * @param option the option name, for the error message
 * @throws TypeError naming the first rule that is not an address or range
 * @example createIpMatcher(["10.0.0.0/8"])("10.1.2.3") // true
 */
export function createIpMatcher(rules: readonly string[], option = "IP list"): (ip: string | null | undefined) => boolean {
  const ranges = rules.map((rule) => {
    const range = typeof rule === "string" ? parseRange(rule.trim()) : null;
    if (!range) throw new TypeError(`Invalid ${option} entry: ${describe(rule)} (expected an IPv4/IPv6 address or CIDR range)`);
    return range;
  });
  return (ip) => {
    if (!ip) return false;
    const bytes = parseIp(ip);
    return bytes !== null && ranges.some((range) => inRange(bytes, range));
  };
}

/** Which peers may set the client address through forwarding headers: none, all, or a list of IPs/CIDRs. */
export type TrustProxy = boolean | readonly string[];

/**
 * Decides a client's address. Forwarding headers (`X-Forwarded-For`, then `X-Real-IP`) count only when the
 * socket's peer is a trusted proxy; the chain is read right to left, skipping trusted proxies, so a client cannot
 * spoof its address by sending the header itself.
 * @param peer the socket's peer address
 * @param headers the request headers
 * @param trusted a matcher from {@link createIpMatcher}, or `true` to trust every peer, `false` for none
 */
export function resolveClientIp(
  peer: string | null | undefined,
  headers: Headers,
  trusted: boolean | ((ip: string | null | undefined) => boolean),
): string | null {
  const direct = peer ? normalizeIp(peer) : null;
  const isTrusted = typeof trusted === "function" ? trusted : () => trusted;
  if (!isTrusted(direct)) return direct;
  const forwarded = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  for (let i = forwarded.length - 1; i >= 0; i--) {
    const hop = forwarded[i] as string;
    if (!parseIp(hop)) break;
    if (i === 0 || !isTrusted(hop)) return normalizeIp(hop);
  }
  const real = headers.get("x-real-ip")?.trim();
  if (real && parseIp(real)) return normalizeIp(real);
  return direct;
}
