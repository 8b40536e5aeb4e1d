import type { IncomingData, SocketHandle } from "./connection.ts";
import type { Dispatcher } from "./dispatcher.ts";
import { DEFAULT_INBOUND_LIMITS, InboundBudget, type InboundLimits } from "./inbound-budget.ts";
import type { Session } from "./session.ts";

/** What a socket's handle tells the engine when the socket is gone. */
export interface InboundHost {
  /** The runtime reported the socket closed (graceful shutdown waits for it). */
  socketClosed(session: Session): void;
}

/**
 * The handle an adapter holds for an open socket ({@link SocketHandle}): frames go straight to the dispatcher,
 * the close to the session. The inbound path is adapter → here → dispatcher → handler.
 */
export class Inbound implements SocketHandle {
  readonly #session: Session;
  readonly #dispatcher: Dispatcher;
  readonly #host: InboundHost;
  /** At most a batch of frames per turn; the rest wait (fairness between connections). */
  readonly #budget: InboundBudget;

  constructor(session: Session, dispatcher: Dispatcher, host: InboundHost, limits: InboundLimits = DEFAULT_INBOUND_LIMITS) {
    this.#session = session;
    this.#dispatcher = dispatcher;
    this.#host = host;
    this.#budget = new InboundBudget(limits, this.#dispatch, () => session.close(1008, "Inbound queue limit exceeded"));
  }

  message(data: IncomingData): void {
    if (this.#session.state === "open" && this.#budget.admit(data)) this.#dispatch(data);
  }

  readonly #dispatch = (data: IncomingData): void => {
    const session = this.#session;
    if (session.state !== "open") return;
    session.replying = true;
    try {
      this.#dispatcher.dispatch(session, data);
    } finally {
      session.replying = false;
    }
  };

  closed(code = 1005, reason = ""): void {
    this.#budget.stop();
    this.#host.socketClosed(this.#session);
    this.#session.release(code, reason);
  }
}
