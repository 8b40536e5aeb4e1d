/**
 * A YAML 1.2 emitter for JSON values: the documents are plain JSON, so block mappings and sequences, plain
 * scalars where YAML reads them back unchanged, and JSON-style double quotes everywhere else (a JSON string
 * literal is a valid YAML double-quoted scalar). No dependency, same output on every runtime.
 */

// a plain scalar that YAML 1.2 (core schema) and YAML 1.1 readers both read back as this same string
const PLAIN = /^[A-Za-z_][A-Za-z0-9_ ./()-]*$/;
const RESERVED = /^(true|false|null|yes|no|on|off|y|n|~)$/i;

/** Text JSON writes with no escape but `\"` (no control characters, no backslash) and no YAML-special spaces. */
const printable = (value: string): boolean =>
  JSON.stringify(value).slice(1, -1) === value.replaceAll('"', '\\"') && !/[\u2028\u2029\ufeff\u0085]/.test(value);

function scalarString(value: string): string {
  if (PLAIN.test(value) && !RESERVED.test(value) && !value.endsWith(" ") && !value.includes(" #")) return value;
  // double quotes contained and no single ones: single quotes, as formatters (biome, prettier) write it
  if (value.includes('"') && !value.includes("'") && printable(value)) return `'${value}'`;
  return JSON.stringify(value);
}

function scalar(value: unknown): string | undefined {
  if (value === null) return "null";
  if (typeof value === "boolean") return String(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new TypeError(`toYaml: ${value} is not a JSON number`);
    return String(value);
  }
  if (typeof value === "string") return scalarString(value);
  if (Array.isArray(value) && value.length === 0) return "[]";
  if (typeof value === "object" && Object.keys(value).length === 0) return "{}";
  if (typeof value === "object") return undefined;
  throw new TypeError(`toYaml: a ${typeof value} is not a JSON value`);
}

function lines(value: unknown, indent: string, out: string[]): void {
  if (Array.isArray(value)) {
    for (const item of value) {
      const s = scalar(item);
      if (s !== undefined) out.push(`${indent}- ${s}`);
      else {
        // the item's first line goes after the dash, the rest align under it
        const inner: string[] = [];
        lines(item, `${indent}  `, inner);
        out.push(`${indent}- ${(inner[0] as string).slice(indent.length + 2)}`, ...inner.slice(1));
      }
    }
    return;
  }
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    if (item === undefined) continue;
    const s = scalar(item);
    if (s !== undefined) out.push(`${indent}${scalarString(key)}: ${s}`);
    else {
      out.push(`${indent}${scalarString(key)}:`);
      lines(item, `${indent}  `, out);
    }
  }
}

/**
 * Serialises a JSON value as YAML (keys in insertion order; `undefined` properties are left out, as in JSON).
 * @throws TypeError for values JSON cannot hold (functions, NaN, bigint)
 * @example toYaml({ asyncapi: "3.0.0", tags: ["a"] }) // 'asyncapi: 3.0.0\ntags:\n  - a\n'
 */
export function toYaml(value: unknown): string {
  const s = scalar(value);
  if (s !== undefined) return `${s}\n`;
  const out: string[] = [];
  lines(value, "", out);
  return `${out.join("\n")}\n`;
}
