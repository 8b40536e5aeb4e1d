/** A controller for the recovery scenarios: records lifecycle handlers, joins rooms with a name. */
import { OnReconnect } from "../../../src/extend.ts";
import { OnConnect, OnDisconnect, SocketController, SocketOn } from "../../../src/index.ts";

/** Records `connect <id>`, `reconnect <id>`, `disconnect <id>` in order; `enter` joins a room and sets a name. */
export class Presence extends SocketController {
  readonly events: string[] = [];
  #waiters: Array<() => void> = [];

  @SocketOn("enter")
  enter(clientId: string, data: { room: string; name: string }): { id: string } {
    this.joinRoom(clientId, data.room);
    this.setClientData(clientId, "name", data.name);
    return { id: clientId };
  }

  @OnConnect
  onArrive(clientId: string): void {
    this.events.push(`connect ${clientId}`);
  }

  @OnReconnect
  onResume(clientId: string): void {
    this.events.push(`reconnect ${clientId}`);
  }

  @OnDisconnect
  onLeave(clientId: string): void {
    this.events.push(`disconnect ${clientId}`);
    for (const wake of this.#waiters.splice(0)) wake();
  }

  /** Resolves once `disconnect <id>` was recorded. */
  async left(clientId: string): Promise<void> {
    while (!this.events.includes(`disconnect ${clientId}`)) await new Promise<void>((resolve) => this.#waiters.push(resolve));
  }
}

/** Polls `check` until it holds (state with no frame to await, e.g. a drop the server noticed); fails after `boundMs` (default 5 s). */
export async function until(check: () => Promise<boolean> | boolean, what: string, boundMs = 5000): Promise<void> {
  const deadline = Date.now() + boundMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
