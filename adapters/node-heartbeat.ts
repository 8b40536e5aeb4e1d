import type { WebSocket, WebSocketServer } from "ws";

/**
 * The Node heartbeat (`ws` has none of its own): every `idleTimeout / 2` seconds each socket that answered
 * since the last round (a pong or any message) is pinged again, and one that did not is terminated, which
 * runs the usual close path (`@OnDisconnect`, rooms, data and counts freed). A dead peer goes within
 * `idleTimeout` seconds; a live client's WebSocket stack answers pings by itself.
 * @param wss the `ws` server whose clients to watch
 * @param idleTimeout seconds; 0 disables
 * @returns a function that stops the heartbeat
 */
export function startHeartbeat(wss: WebSocketServer, idleTimeout: number): () => void {
  if (idleTimeout <= 0) return () => {};
  const answered = new WeakSet<WebSocket>();
  // one listener for every socket (`this` is the socket), so a socket costs no closure here
  function alive(this: WebSocket): void {
    answered.add(this);
  }
  wss.on("connection", (ws: WebSocket) => {
    answered.add(ws);
    ws.on("pong", alive);
    ws.on("message", alive);
  });
  const timer = setInterval(
    () => {
      for (const ws of wss.clients) {
        if (!answered.has(ws)) {
          ws.terminate();
          continue;
        }
        answered.delete(ws);
        try {
          ws.ping();
        } catch {
          // a socket closing in this very turn: its close event does the cleanup
        }
      }
    },
    (idleTimeout * 1000) / 2,
  );
  // the heartbeat alone must not keep the process alive
  timer.unref?.();
  return () => clearInterval(timer);
}
