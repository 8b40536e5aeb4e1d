import * as v from "valibot";
import { describe } from "../common/errors.ts";
import { isEmpty, phpRegex, RULES, type RuleDefinition } from "./rule-table.ts";

/** Sockeon rules for one field: `"required|string|min:3"` or `["required", "string", "min:3"]`. */
export type RuleSpec = string | readonly string[];

/** Sockeon's `messages` and `fieldNames` arguments. */
export interface RuleOptions {
  /** Custom messages keyed `field.rule` (e.g. `"name.required"`, `"tags.not_in"`); `{field}` is replaced. */
  messages?: Record<string, string>;
  /** Display names replacing the field in messages (`{ email: "E-mail address" }`). */
  fieldNames?: Record<string, string>;
}

interface ParsedRule {
  def: RuleDefinition;
  params: string[];
}

/**
 * Splits a rule string. A `regex:` rule takes the rest of the string, so its pattern may contain `|`.
 * @throws TypeError naming an unknown rule or a rule with missing parameters
 */
function parse(spec: RuleSpec, field: string): ParsedRule[] {
  const parts: string[] = [];
  if (typeof spec === "string") {
    let rest = spec;
    while (rest.length > 0) {
      if (rest.startsWith("regex:")) {
        parts.push(rest);
        break;
      }
      const bar = rest.indexOf("|");
      parts.push(bar < 0 ? rest : rest.slice(0, bar));
      rest = bar < 0 ? "" : rest.slice(bar + 1);
    }
  } else if (Array.isArray(spec)) parts.push(...spec);
  else throw new TypeError(`rules: the rules of field "${field}" must be a string or an array of strings, got ${describe(spec)}`);
  return parts
    .map((p) => (typeof p === "string" ? p.trim() : p))
    .filter((p) => p !== "")
    .map((part) => {
      if (typeof part !== "string") throw new TypeError(`rules: field "${field}" has a non-string rule ${describe(part)}`);
      const colon = part.indexOf(":");
      const name = colon < 0 ? part : part.slice(0, colon);
      const arg = colon < 0 ? "" : part.slice(colon + 1);
      const def = Object.hasOwn(RULES, name) ? RULES[name] : undefined;
      if (!def)
        throw new TypeError(
          `rules: unknown rule ${describe(name)} for field "${field}" (known: ${Object.keys(RULES).join(", ")})`,
        );
      const params = def.arity === "pattern" ? [arg] : arg === "" ? [] : arg.split(",").map((s) => s.trim());
      const want = { none: 0, one: 1, two: 2 }[def.arity as "none" | "one" | "two"];
      if (want !== undefined && params.length !== want)
        throw new TypeError(`rules: rule ${describe(part)} of field "${field}" takes ${want} parameter(s)`);
      if (def.arity === "list" && params.length === 0)
        throw new TypeError(`rules: rule ${describe(part)} of field "${field}" needs values`);
      if ((def.arity === "one" || def.arity === "two") && params.some((p) => !Number.isFinite(Number(p))))
        throw new TypeError(`rules: rule ${describe(part)} of field "${field}" takes numbers`);
      if (def.arity === "pattern") phpRegex(arg);
      return { def, params };
    });
}

/**
 * Compiles the Sockeon rules of one value into a valibot schema: one check per rule, stopping at the first
 * failure with Sockeon's message, then every rule's sanitiser in order.
 * @param spec e.g. `"required|email"`
 * @param field the field name used in messages (and for custom message keys)
 * @example v.parse(rule("required|integer|min:18", "age"), "21") // 21
 */
export function rule(spec: RuleSpec, field = "value", options: RuleOptions = {}): v.GenericSchema<unknown, unknown> {
  const parsed = parse(spec, field);
  const label = options.fieldNames?.[field] ?? field;
  const checks = parsed.map(({ def, params }) => {
    const custom = options.messages?.[`${field}.${def.key}`];
    const message = (custom ?? `The {field} field ${def.message(params)}`).replaceAll("{field}", label);
    const required = def.key === "required";
    return v.check((value: unknown) => (!required && isEmpty(value)) || def.passes(value, params), message);
  });
  const sanitizers = parsed.flatMap(({ def }) => (def.sanitize ? [def.sanitize] : []));
  const schema = v.pipe(
    v.unknown(),
    ...checks,
    v.transform((value: unknown) => (isEmpty(value) ? value : sanitizers.reduce((acc, fn) => fn(acc), value))),
  );
  return v.config(schema, { abortPipeEarly: true }) as v.GenericSchema<unknown, unknown>;
}

/**
 * Compiles Sockeon's `Validator::validate` rule table into a valibot schema for `@SocketOn(..., { schema })`,
 * `@HttpRoute(..., { body })` or `v.parse`. The output holds the ruled fields that were present, sanitised;
 * errors are Sockeon's `{field: [message]}` (the first failing rule per field).
 * @throws TypeError for an unknown rule or bad parameters, at compile time
 * @example
 * ```ts
 * const schema = rules({ name: "required|string|min:3", email: "required|email", role: "in:admin,user" });
 * ```
 */
export function rules<const F extends Record<string, RuleSpec>>(
  fields: F,
  options: RuleOptions = {},
): v.GenericSchema<unknown, { [K in keyof F]?: unknown }> {
  if (typeof fields !== "object" || fields === null || Array.isArray(fields))
    throw new TypeError(`rules: expected an object of field rules, got ${describe(fields)}`);
  const compiled = Object.entries(fields).map(([field, spec]) => [field, rule(spec, field, options)] as const);
  return v.pipe(
    v.unknown(),
    v.rawTransform(({ dataset, addIssue, NEVER }) => {
      const input = (typeof dataset.value === "object" && dataset.value !== null ? dataset.value : {}) as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      let failed = false;
      for (const [field, schema] of compiled) {
        const value = Object.hasOwn(input, field) ? input[field] : undefined;
        const result = v.safeParse(schema, value);
        if (result.success) {
          if (value !== undefined) out[field] = result.output;
          continue;
        }
        failed = true;
        for (const issue of result.issues)
          addIssue({ message: issue.message, path: [{ type: "object", origin: "value", input, key: field, value }] });
      }
      return failed ? NEVER : (out as { [K in keyof F]?: unknown });
    }),
  );
}
