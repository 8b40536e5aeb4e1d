import { readMetadata, recordMetadata } from "../api/decorators.ts";
import { describe } from "../common/errors.ts";
import { createIpMatcher } from "../common/ip.ts";

const RATE_LIMITS: unique symbol = Symbol.for("sockeon-ts.rate-limits");

/** Options of `@RateLimit`, Sockeon's attribute arguments after the first two. */
export interface RateLimitRuleOptions {
  /** Extra hits allowed above `maxCount`; default 5 (Sockeon's attribute default). */
  burstAllowance?: number;
  /** Skip the global limit for this handler; default false. */
  bypassGlobal?: boolean;
  /** IPs and CIDR ranges never limited by this rule. */
  whitelist?: string[];
}

/** A checked per-handler limit. */
export interface RateLimitRule {
  readonly maxCount: number;
  /** Seconds. */
  readonly timeWindow: number;
  readonly burstAllowance: number;
  readonly bypassGlobal: boolean;
  readonly whitelist: readonly string[];
  /** Whether an IP is on this rule's whitelist. */
  readonly isWhitelisted: (ip: string | null | undefined) => boolean;
}

interface Entry {
  method: string | symbol;
  rule: RateLimitRule;
}

function positive(name: string, value: unknown, min: number): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min)
    throw new TypeError(`@RateLimit: ${name} must be an integer >= ${min}, got ${describe(value)}`);
  return value;
}

/**
 * Builds a checked rule (used by the decorator; exported for stores and tests).
 * @throws TypeError naming the offending argument
 */
export function rateLimitRule(maxCount: number, timeWindow = 60, options: RateLimitRuleOptions = {}): RateLimitRule {
  const whitelist = options.whitelist ?? [];
  if (!Array.isArray(whitelist)) throw new TypeError(`@RateLimit: whitelist must be an array, got ${describe(whitelist)}`);
  return {
    maxCount: positive("maxCount", maxCount, 1),
    timeWindow: positive("timeWindow", timeWindow, 1),
    burstAllowance: positive("burstAllowance", options.burstAllowance ?? 5, 0),
    bypassGlobal: options.bypassGlobal ?? false,
    whitelist: [...whitelist],
    isWhitelisted: createIpMatcher(whitelist, "@RateLimit whitelist"),
  };
}

/**
 * Limits one WebSocket event handler or HTTP route, Sockeon's `#[RateLimit]`: at most `maxCount` (+ burst) hits
 * per `timeWindow` seconds, per client for events and per IP for routes. Works whether or not the global
 * `rateLimit` option is enabled.
 * @param maxCount hits allowed per window
 * @param timeWindow window in seconds; default 60
 * @example
 * ```ts
 * @RateLimit(5, 60, { burstAllowance: 0, bypassGlobal: true })
 * @SocketOn("chat.message") onMessage(clientId: string, data: unknown) {}
 * ```
 */
export function RateLimit(
  maxCount: number,
  timeWindow = 60,
  options: RateLimitRuleOptions = {},
): (method: (...args: never[]) => unknown, context: ClassMethodDecoratorContext) => void {
  const rule = rateLimitRule(maxCount, timeWindow, options);
  return (_method: (...args: never[]) => unknown, context: ClassMethodDecoratorContext): void => {
    recordMetadata<Entry>(context, RATE_LIMITS, { method: context.name, rule });
  };
}

/** The `@RateLimit` rule of a controller method, if it has one (a subclass's wins). */
export function rateLimitOf(controller: object, method: string | symbol): RateLimitRule | undefined {
  const entries = readMetadata<Entry>(controller.constructor as abstract new (...args: never[]) => unknown, RATE_LIMITS);
  let found: RateLimitRule | undefined;
  for (const entry of entries) if (entry.method === method) found = entry.rule;
  return found;
}
