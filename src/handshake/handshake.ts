import type { PeerInfo } from "../engine/connection.ts";

/** What a handshake step sees of an upgrade request; steps may add `data` for the new client. */
export interface HandshakeContext {
  readonly request: Request;
  readonly url: URL;
  /** The id the client will get if the handshake succeeds. */
  readonly clientId: string;
  /** The client's address (the peer's, or forwarded by a trusted proxy). */
  ip: string | null;
  /** The socket's own peer address. */
  readonly peer: PeerInfo;
  /** Data stored as the client's data once it connects (e.g. a user id from a token). */
  readonly data: Record<string, unknown>;
}

/**
 * One step of the handshake policy: return a `Response` to reject the upgrade, or nothing to continue.
 * Built-in steps (connection caps, origin, auth key) and user handshake middleware are all steps.
 */
export type HandshakeStep = (ctx: HandshakeContext) => Response | undefined | void | Promise<Response | undefined | void>;

/**
 * Runs the steps in order; the first `Response` wins.
 * @returns the rejection, or undefined when every step passed
 */
export async function runHandshake(steps: readonly HandshakeStep[], ctx: HandshakeContext): Promise<Response | undefined> {
  for (const step of steps) {
    const verdict = await step(ctx);
    if (verdict instanceof Response) return verdict;
  }
  return undefined;
}

/** A plain-text rejection, as Sockeon answers (`401 Invalid authentication key`, `403 Origin not allowed`, ...). */
export function reject(status: number, body: string, headers: Record<string, string> = {}): Response {
  return new Response(body, { status, headers: { "content-type": "text/plain; charset=utf-8", ...headers } });
}
