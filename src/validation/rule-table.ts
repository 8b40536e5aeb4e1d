/**
 * Sockeon's validation rules (`src/Validation/Rules/*`): what passes, how the value is sanitised, and the
 * message. Every rule but `required` passes on an empty value (null, undefined, "" or []).
 */

/** One rule: its check, its sanitiser, and its message after "The {field} field ". */
export interface RuleDefinition {
  /** The key custom messages use (`field.<key>`), Sockeon's snake-cased class name. */
  readonly key: string;
  /** Whether the value passes; `params` are the rule's arguments (`min:3` -> ["3"]). */
  passes(value: unknown, params: readonly string[]): boolean;
  /** The value after this rule's sanitising, applied in rule order once every rule passed. */
  sanitize?(value: unknown): unknown;
  /** The message tail, e.g. "is required." */
  message(params: readonly string[]): string;
  /** How many parameters the rule takes, for checking rule strings early. */
  readonly arity: "none" | "one" | "two" | "list" | "pattern";
}

/** PHP's `empty`-like test Sockeon's rules use to let optional fields through. */
export function isEmpty(value: unknown): boolean {
  return value === null || value === undefined || value === "" || (Array.isArray(value) && value.length === 0);
}

const NUMERIC = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/;
/** PHP's `is_numeric`: finite numbers and numeric strings. */
export function isNumeric(value: unknown): boolean {
  return (typeof value === "number" && Number.isFinite(value)) || (typeof value === "string" && NUMERIC.test(value));
}

// a practical FILTER_VALIDATE_EMAIL: local part of atext/dots, a dotted domain of labels
const EMAIL =
  /^(?!\.)(?!.*\.\.)[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}(?<!\.)@(?=.{1,253}$)([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;

function isUrl(value: unknown): boolean {
  if (typeof value !== "string" || /\s/.test(value) || !/^[A-Za-z][A-Za-z0-9+.-]*:/.test(value)) return false;
  try {
    const url = new URL(value);
    // FILTER_VALIDATE_URL wants a host for hierarchical schemes such as http://
    return !value.includes("//") || url.host !== "";
  } catch {
    return false;
  }
}

/** Sockeon's size measure for min/max/between: the number, the string's length in characters, the count. */
export function measure(value: unknown): number | null {
  if (isNumeric(value)) return Number(value);
  if (typeof value === "string") return [...value].length;
  if (Array.isArray(value)) return value.length;
  if (typeof value === "object" && value !== null) return Object.keys(value).length;
  return null;
}

function toArray(value: unknown): unknown {
  if (typeof value === "string") {
    try {
      return JSON.parse(value);
    } catch {
      return [value];
    }
  }
  return typeof value === "object" && value !== null ? value : [value];
}

function parseJson(value: unknown): { ok: boolean; value?: unknown } {
  if (typeof value !== "string") return { ok: false };
  try {
    return { ok: true, value: JSON.parse(value) };
  } catch {
    return { ok: false };
  }
}

/**
 * Compiles a PHP `preg_match` pattern (`/a+b/i`, `#x#u`) into a RegExp: the delimiter is the first character,
 * the pattern runs to its last occurrence, flags follow.
 * @throws TypeError for a pattern that is not delimited or does not compile
 */
export function phpRegex(pattern: string): RegExp {
  const open = pattern[0] ?? "";
  const close = ({ "(": ")", "[": "]", "{": "}", "<": ">" } as Record<string, string>)[open] ?? open;
  const end = pattern.lastIndexOf(close);
  if (open === "" || /[A-Za-z0-9\\\s]/.test(open) || end <= 0)
    throw new TypeError(`Invalid regex rule pattern ${JSON.stringify(pattern)} (expected a delimited pattern such as /^a+$/i)`);
  const flags = pattern.slice(end + 1);
  if (!/^[imsxuU]*$/.test(flags))
    throw new TypeError(`Unsupported regex flags ${JSON.stringify(flags)} in ${JSON.stringify(pattern)}`);
  let body = pattern.slice(1, end);
  // PCRE's x flag: whitespace and #-comments are not part of the pattern (an escaped \# is kept)
  if (flags.includes("x"))
    body = body
      .split("\\#")
      .map((part) => part.replace(/\s+|#.*$/gm, ""))
      .join("\\#");
  try {
    return new RegExp(body, [...new Set(flags.replace(/[xU]/g, ""))].join(""));
  } catch (error) {
    throw new TypeError(`Invalid regex rule pattern ${JSON.stringify(pattern)}: ${(error as Error).message}`);
  }
}

const integer: RuleDefinition = {
  key: "integer",
  arity: "none",
  passes: (v) => (typeof v === "number" && Number.isInteger(v)) || (typeof v === "string" && /^\d+$/.test(v)),
  sanitize: (v) => (typeof v === "number" ? Math.trunc(v) : Number.parseInt(String(v), 10) || 0),
  message: () => "must be an integer.",
};

const float: RuleDefinition = {
  key: "float",
  arity: "none",
  passes: isNumeric,
  sanitize: (v) => (isNumeric(v) ? Number(v) : 0),
  message: () => "must be a number.",
};

const boolean: RuleDefinition = {
  key: "boolean",
  arity: "none",
  passes: (v) => typeof v === "boolean" || v === 0 || v === 1 || v === "0" || v === "1" || v === "true" || v === "false",
  sanitize: (v) => (v === true ? true : ["true", "1", "yes", "on"].includes(String(v).toLowerCase())),
  message: () => "must be a boolean.",
};

const alphaNum: RuleDefinition = {
  key: "alpha_numeric",
  arity: "none",
  passes: (v) => typeof v === "string" && /^[A-Za-z0-9]+$/.test(v),
  sanitize: (v) => String(v).replace(/[^A-Za-z0-9]/g, ""),
  message: () => "must contain only alphanumeric characters.",
};

/** Every rule name Sockeon accepts, aliases included (`int`, `bool`, `numeric`, `alpha_num`). */
export const RULES: Readonly<Record<string, RuleDefinition>> = Object.freeze({
  required: { key: "required", arity: "none", passes: (v: unknown) => !isEmpty(v), message: () => "is required." },
  string: {
    key: "string",
    arity: "none",
    passes: (v: unknown) => typeof v === "string",
    sanitize: (v: unknown) => (typeof v === "string" ? v.trim() : v),
    message: () => "must be a string.",
  },
  integer,
  int: integer,
  float,
  // Sockeon maps `numeric` to its FloatRule (its NumericRule is unreachable)
  numeric: float,
  boolean,
  bool: boolean,
  array: {
    key: "array",
    arity: "none",
    passes: (v: unknown) => typeof v === "object" && v !== null,
    sanitize: toArray,
    message: () => "must be an array.",
  },
  email: {
    key: "email",
    arity: "none",
    passes: (v: unknown) => typeof v === "string" && EMAIL.test(v),
    sanitize: (v: unknown) => String(v).trim().toLowerCase(),
    message: () => "must be a valid email address.",
  },
  url: {
    key: "url",
    arity: "none",
    passes: isUrl,
    sanitize: (v: unknown) => String(v).trim(),
    message: () => "must be a valid URL.",
  },
  min: {
    key: "min",
    arity: "one",
    passes: (v: unknown, [n]: readonly string[]) => (measure(v) ?? Number.NaN) >= Number(n),
    message: ([n]: readonly string[]) => `must be at least ${n}.`,
  },
  max: {
    key: "max",
    arity: "one",
    passes: (v: unknown, [n]: readonly string[]) => (measure(v) ?? Number.NaN) <= Number(n),
    message: ([n]: readonly string[]) => `must not exceed ${n}.`,
  },
  between: {
    key: "between",
    arity: "two",
    passes: (v: unknown, [a, b]: readonly string[]) => {
      const size = measure(v) ?? Number.NaN;
      return size >= Number(a) && size <= Number(b);
    },
    message: ([a, b]: readonly string[]) => `must be between ${a} and ${b}.`,
  },
  // strict comparison against the string parameters, as Sockeon's in_array(..., true)
  in: {
    key: "in",
    arity: "list",
    passes: (v: unknown, params: readonly string[]) => typeof v === "string" && params.includes(v),
    message: (params: readonly string[]) => `must be one of: ${params.join(", ")}.`,
  },
  not_in: {
    key: "not_in",
    arity: "list",
    passes: (v: unknown, params: readonly string[]) => !(typeof v === "string" && params.includes(v)),
    message: (params: readonly string[]) => `must not be one of: ${params.join(", ")}.`,
  },
  regex: {
    key: "regex",
    arity: "pattern",
    passes: (v: unknown, [p]: readonly string[]) =>
      (typeof v === "string" || typeof v === "number") && phpRegex(p as string).test(String(v)),
    message: () => "format is invalid.",
  },
  alpha: {
    key: "alpha",
    arity: "none",
    passes: (v: unknown) => typeof v === "string" && /^[A-Za-z]+$/.test(v),
    sanitize: (v: unknown) => String(v).replace(/[^A-Za-z]/g, ""),
    message: () => "must contain only alphabetic characters.",
  },
  alpha_num: alphaNum,
  alpha_numeric: alphaNum,
  json: {
    key: "json",
    arity: "none",
    passes: (v: unknown) => parseJson(v).ok,
    sanitize: (v: unknown) => parseJson(v).value,
    message: () => "must be valid JSON.",
  },
});
