import { parseIp } from "../common/ip.ts";

const pad = (n: number): string => String(n).padStart(2, "0");

function stripTags(text: string, allowed: readonly string[] = []): string {
  const keep = new Set(allowed.map((t) => t.toLowerCase()));
  // comments go entirely, as PHP's strip_tags drops them; like strip_tags, only the tags of a script or style
  // element go, its text stays (Sockeon's own test: "<script>alert('xss')</script>John Doe" -> "alert('xss')John Doe")
  return text
    .replace(/<!--[\s\S]*?-->/g, "")
    .replace(/<\/?([A-Za-z][A-Za-z0-9-]*)\b[^>]*>/g, (tag, name: string) => (keep.has(name.toLowerCase()) ? tag : ""));
}

function formatDate(date: Date, format: string): string {
  const map: Record<string, string> = {
    Y: String(date.getFullYear()),
    m: pad(date.getMonth() + 1),
    d: pad(date.getDate()),
    H: pad(date.getHours()),
    i: pad(date.getMinutes()),
    s: pad(date.getSeconds()),
  };
  return format.replace(/[YmdHis]/g, (c) => map[c] as string);
}

function parseDate(value: unknown): Date | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (typeof value === "number") return new Date(value * 1000);
  if (typeof value !== "string" || value.trim() === "") return null;
  const text = value.trim();
  // a bare time (strtotime reads it as today)
  const time = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(text);
  if (time) {
    const d = new Date();
    d.setHours(Number(time[1]), Number(time[2]), Number(time[3] ?? 0), 0);
    return d;
  }
  const parsed = new Date(/^\d{4}-\d{2}-\d{2} \d/.test(text) ? text.replace(" ", "T") : text);
  return Number.isNaN(parsed.getTime()) ? null : parsed;
}

/** The helpers of {@link Sanitizer} (each documented there). */
export interface SanitizerHelpers {
  string(value: unknown, trim?: boolean, removeTags?: boolean): string;
  email(value: unknown): string;
  url(value: unknown): string;
  html(value: unknown, allowedTags?: readonly string[]): string;
  integer(value: unknown, fallback?: number): number;
  float(value: unknown, fallback?: number): number;
  boolean(value: unknown): boolean;
  array(value: unknown): unknown[];
  json(value: unknown): unknown;
  filename(value: unknown): string;
  phone(value: unknown): string;
  creditCard(value: unknown): string;
  ipAddress(value: unknown): string;
  color(value: unknown): string;
  cssClass(value: unknown): string;
  id(value: unknown): string;
  date(value: unknown, format?: string): string;
  time(value: unknown, format?: string): string;
  datetime(value: unknown, format?: string): string;
}

const helpers: SanitizerHelpers = {
  /** Text: optionally trimmed and with HTML tags stripped (both on by default). */
  string(value: unknown, trim = true, removeTags = true): string {
    let text = value === null || value === undefined ? "" : String(value);
    if (removeTags) text = stripTags(text);
    return trim ? text.trim() : text;
  },
  /** A trimmed, lower-cased e-mail address with characters outside an address removed. */
  email(value: unknown): string {
    return String(value ?? "")
      .trim()
      .toLowerCase()
      .replace(/[^a-z0-9!#$%&'*+/=?^_`{|}~@.[\]-]/g, "");
  },
  /** A trimmed URL; `http://` is added when it has no scheme. */
  url(value: unknown): string {
    const text = String(value ?? "")
      .trim()
      .replace(/\s/g, "");
    if (text === "") return "";
    return /^[A-Za-z][A-Za-z0-9+.-]*:/.test(text) ? text : `http://${text}`;
  },
  /** HTML with every tag removed except the allowed ones (`["b", "i", "a"]`). */
  html(value: unknown, allowedTags: readonly string[] = []): string {
    return stripTags(String(value ?? ""), allowedTags);
  },
  /** An integer, or `fallback` when the value has none. */
  integer(value: unknown, fallback = 0): number {
    const n = typeof value === "number" ? Math.trunc(value) : Number.parseInt(String(value ?? ""), 10);
    return Number.isFinite(n) ? n : fallback;
  },
  /** A float, or `fallback`. */
  float(value: unknown, fallback = 0): number {
    const n = typeof value === "number" ? value : Number.parseFloat(String(value ?? ""));
    return Number.isFinite(n) ? n : fallback;
  },
  /** `true` for true, 1, "1", "true", "yes", "on" (any case); false otherwise. */
  boolean(value: unknown): boolean {
    return value === true || value === 1 || ["1", "true", "yes", "on"].includes(String(value).trim().toLowerCase());
  },
  /** An array: a JSON string decoded, an array as is, anything else wrapped (empty for null). */
  array(value: unknown): unknown[] {
    if (Array.isArray(value)) return value;
    if (value === null || value === undefined || value === "") return [];
    if (typeof value === "string") {
      try {
        const parsed: unknown = JSON.parse(value);
        if (Array.isArray(parsed)) return parsed;
        if (typeof parsed === "object" && parsed !== null) return Object.values(parsed);
      } catch {
        // not JSON: wrap the string below
      }
    }
    return [value];
  },
  /** A decoded JSON value, or null when the text is not JSON. */
  json(value: unknown): unknown {
    if (typeof value !== "string") return value ?? null;
    try {
      return JSON.parse(value);
    } catch {
      return null;
    }
  },
  /** A safe file name: characters outside `[a-zA-Z0-9._-]` removed, then any path dropped. */
  filename(value: unknown): string {
    const cleaned = String(value ?? "").replace(/[^a-zA-Z0-9._/\\-]/g, "");
    const base = cleaned.split(/[/\\]/).pop() ?? "";
    return base === "." || base === ".." ? "" : base;
  },
  /** A phone number keeping digits, `+`, `-`, `(`, `)` and spaces. */
  phone(value: unknown): string {
    return String(value ?? "").replace(/[^0-9+\-() ]/g, "");
  },
  /** Digits only. */
  creditCard(value: unknown): string {
    return String(value ?? "").replace(/\D/g, "");
  },
  /** The trimmed address when it is an IPv4/IPv6 address, else "". */
  ipAddress(value: unknown): string {
    const text = String(value ?? "").trim();
    return parseIp(text) && !text.startsWith("[") ? text : "";
  },
  /** A CSS colour as `#RRGGBB`/`#RGB`, `rgb()` or `rgba()`, else "". */
  color(value: unknown): string {
    const text = String(value ?? "")
      .trim()
      .toLowerCase();
    if (/^#([0-9a-f]{3}|[0-9a-f]{6})$/.test(text)) return text;
    if (/^rgb\(\s*\d{1,3}\s*,\s*\d{1,3}\s*,\s*\d{1,3}\s*\)$/.test(text)) return text;
    if (/^rgba\(\s*\d{1,3}\s*,\s*\d{1,3}\s*,\s*\d{1,3}\s*,\s*(0|1|0?\.\d+|1\.0+)\s*\)$/.test(text)) return text;
    return "";
  },
  /** A CSS class name: characters outside `[a-zA-Z0-9_-]` removed. */
  cssClass(value: unknown): string {
    return String(value ?? "").replace(/[^a-zA-Z0-9_-]/g, "");
  },
  /** An HTML id: characters outside `[a-zA-Z0-9_-]` removed, `id_` prefixed unless it starts with a letter. */
  id(value: unknown): string {
    const text = String(value ?? "").replace(/[^a-zA-Z0-9_-]/g, "");
    return /^[A-Za-z]/.test(text) ? text : `id_${text}`;
  },
  /** A date formatted with PHP letters `Y m d H i s` (default `Y-m-d`), "" when it does not parse. */
  date(value: unknown, format = "Y-m-d"): string {
    const d = parseDate(value);
    return d ? formatDate(d, format) : "";
  },
  /** A time, default format `H:i:s`. */
  time(value: unknown, format = "H:i:s"): string {
    const d = parseDate(value);
    return d ? formatDate(d, format) : "";
  },
  /** A date and time, default format `Y-m-d H:i:s`. */
  datetime(value: unknown, format = "Y-m-d H:i:s"): string {
    const d = parseDate(value);
    return d ? formatDate(d, format) : "";
  },
};

/**
 * Sockeon's `Sanitizer` static helpers, for values the platform has no one-liner for. Where JavaScript has one,
 * use it: `value.trim()`, `Number.parseInt(v, 10)`, `JSON.parse`, `encodeURIComponent`.
 */
export const Sanitizer: Readonly<SanitizerHelpers> = Object.freeze(helpers);
