import { ConfigError } from "../common/errors.ts";

// The checks every option resolver shares, so each option fails with the same wording whichever module owns it.

/** A positive safe integer, or `fallback` when unset. @throws ConfigError naming the option */
export function positiveInt(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value <= 0)
    throw new ConfigError(name, value, "a positive integer");
  return value;
}

/** A safe integer `>= min` (default 0), or `fallback` when unset. @throws ConfigError naming the option */
export function integer(name: string, value: unknown, fallback: number, min = 0): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min)
    throw new ConfigError(name, value, min === 0 ? "a non-negative integer" : `an integer >= ${min}`);
  return value;
}

/** A boolean, or `fallback` when unset. @throws ConfigError naming the option */
export function bool(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== "boolean") throw new ConfigError(name, value, "true or false");
  return value;
}

/** A copy of an array of non-empty strings, or of `fallback` when unset. @throws ConfigError naming the option */
export function stringList(name: string, value: unknown, fallback: readonly string[]): string[] {
  if (value === undefined) return [...fallback];
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string" || v.length === 0))
    throw new ConfigError(name, value, "an array of non-empty strings");
  return [...value];
}

/** A plain object whose keys are all in `known`. @throws ConfigError naming the object or the unknown field */
export function knownFields(name: string, value: unknown, known: readonly string[]): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new ConfigError(name, value, "an object");
  for (const key of Object.keys(value))
    if (!known.includes(key))
      throw new ConfigError(
        `${name}.${key}`,
        (value as Record<string, unknown>)[key],
        `a known field; known: ${known.join(", ")}`,
      );
  return value as Record<string, unknown>;
}
