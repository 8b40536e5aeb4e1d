import type { Connection, IncomingData, SocketHandle } from "./connection.ts";
import { DEFAULT_INBOUND_LIMITS, InboundBudget, type InboundLimits } from "./inbound-budget.ts";
import { Outbound, type OutboundHost } from "./outbound.ts";

export type { SessionState } from "./outbound.ts";

/** What a session needs from its engine; kept narrow for unit tests. */
export interface SessionHost extends OutboundHost {
  /** Where the client's frames go (the engine's dispatcher). */
  readonly dispatcher: { dispatch(session: Session, data: IncomingData): void };
  /** The runtime reported the socket closed (graceful shutdown waits for it). */
  socketClosed(session: Session): void;
  /** Fairness bounds of the inbound path (the server options); defaults when absent. */
  readonly options?: InboundLimits;
}

/**
 * One client connection as the core sees it, and the {@link SocketHandle} its adapter holds: frames from the
 * client go straight to the dispatcher (adapter → here → dispatcher → handler), frames to it through the
 * outbound queue it extends (src/engine/outbound.ts). One object per socket.
 */
export class Session extends Outbound implements SocketHandle {
  readonly #host: SessionHost;
  /**
   * At most a batch of frames per turn; the rest wait (fairness between connections). Made on the first frame,
   * so an idle connection holds no budget.
   */
  #budget: InboundBudget | null = null;

  constructor(host: SessionHost, connection: Connection, id: string, ip: string | null, maxBuffered: number) {
    super(host, connection, id, ip, maxBuffered);
    this.#host = host;
  }

  /** One frame arrived from the client; ignored once the session ended. */
  message(data: IncomingData): void {
    if (this.state !== "open") return;
    const budget = (this.#budget ??= new InboundBudget(
      this.#host.options ?? DEFAULT_INBOUND_LIMITS,
      // a frame that waited is dispatched outside the runtime's read callback, where a direct write is one syscall
      // per reply: its replies are queued and leave in the turn's one corked flush instead
      (queued) => this.#dispatch(queued, false),
      () => this.close(1008, "Inbound queue limit exceeded"),
    ));
    if (budget.admit(data)) this.#dispatch(data, true);
  }

  #dispatch(data: IncomingData, replying: boolean): void {
    if (this.state !== "open") return;
    this.replying = replying;
    try {
      this.#host.dispatcher.dispatch(this, data);
    } finally {
      this.replying = false;
    }
  }

  /** The socket is closed (by either side): drops what is queued and ends the session. Safe to call twice. */
  closed(code = 1005, reason = ""): void {
    this.#budget?.stop();
    this.#host.socketClosed(this);
    // a recoverable session that dropped without a close frame is suspended instead of released
    this.dropped(code, reason);
  }
}
