import type { IncomingData, SocketHandle } from "./connection.ts";
import type { Dispatcher } from "./dispatcher.ts";
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

  constructor(session: Session, dispatcher: Dispatcher, host: InboundHost) {
    this.#session = session;
    this.#dispatcher = dispatcher;
    this.#host = host;
  }

  message(data: IncomingData): void {
    const session = this.#session;
    if (session.state !== "open") return;
    session.replying = true;
    try {
      this.#dispatcher.dispatch(session, data);
    } finally {
      session.replying = false;
    }
  }

  closed(code = 1005, reason = ""): void {
    this.#host.socketClosed(this.#session);
    this.#session.release(code, reason);
  }
}
