/**
 * A TLS server for tls.node.test.ts: `serve(server, { tls: { cert, key } })` with the PEM files named by TLS_CERT
 * and TLS_KEY, on whichever runtime runs this file. Prints its wss:// URL once bound; SIGTERM shuts it down.
 */
import { readFileSync } from "node:fs";
import process from "node:process";
import { serve } from "../../../adapters/serve.ts";
import { createServer, HttpRoute, SocketController, SocketOn } from "../../../src/index.ts";

class Echo extends SocketController {
  @SocketOn<{ text: string }>("echo")
  echo(_clientId: string, data: { text: string }): { text: string } {
    return { text: data.text.toUpperCase() };
  }

  @HttpRoute("GET", "/hello/{name}")
  hello(c: { req: { param(name: string): string } }): { hello: string } {
    return { hello: c.req.param("name") };
  }
}

const pem = (name: string): string => readFileSync(process.env[name] ?? "", "utf8");
const server = createServer({ host: "127.0.0.1", port: 0 }).register(new Echo());
const listener = await serve(server, { port: 0, hostname: "127.0.0.1", tls: { cert: pem("TLS_CERT"), key: pem("TLS_KEY") } });
console.log(`listening on wss://127.0.0.1:${listener.port}/`);
process.once("SIGTERM", async () => {
  await server.close({ timeout: 1000 });
  process.exit(0);
});
