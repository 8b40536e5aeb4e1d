import { describe } from "../common/errors.ts";

/** Close codes a server may send (RFC 6455 7.4): normal, going away, policy, internal, or 3000-4999. */
const SERVER_CLOSE_CODES = new Set([1000, 1001, 1008, 1011]);

/** Checks a close code and reason a server may send, as `disconnect` takes them. @throws TypeError otherwise */
export function assertCloseFrame(code: unknown, reason: unknown): void {
  if (typeof code !== "number" || !(SERVER_CLOSE_CODES.has(code) || (Number.isInteger(code) && code >= 3000 && code <= 4999)))
    throw new TypeError(`disconnect: invalid close code ${describe(code)} (use 1000, 1001, 1008, 1011 or 3000-4999)`);
  if (typeof reason !== "string" || new TextEncoder().encode(reason).length > 123)
    throw new TypeError(`disconnect: close reason must be a string of at most 123 UTF-8 bytes, got ${describe(reason)}`);
}
