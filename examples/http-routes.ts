/**
 * HTTP routes beside the WebSocket on one port, as in Sockeon: `{param}` paths, exact routes winning over
 * param routes, return-value mapping, HTTP middleware, CORS and the health check. Runs unchanged with
 * `bun examples/http-routes.ts`, `deno run -A examples/http-routes.ts` and `npx tsx examples/http-routes.ts`.
 */
import process from "node:process";
import type { Context, MiddlewareHandler } from "hono";
import { serve } from "../adapters/serve.ts";
import { createServer, HttpRoute, SocketController, SocketOn } from "../src/index.ts";

const users = new Map([["1", { id: "1", name: "Ada" }]]);

/** Route middleware: a bearer token, answering 401 itself when it is missing. */
const requireToken: MiddlewareHandler = async (c, next) => {
  if (c.req.header("authorization") !== "Bearer demo-token") return c.json({ error: "Unauthorized" }, 401);
  await next();
};

class UserApi extends SocketController {
  @HttpRoute("GET", "/users/{id}")
  show(c: Context): object | null {
    return users.get(c.req.param("id") ?? "") ?? null; // null -> 404 {"error":"Not Found"}
  }

  @HttpRoute("GET", "/users/me") // exact: wins over /users/{id}
  me(): object {
    return { id: "me", name: "You" };
  }

  @HttpRoute("GET", "/greet/:name") // Hono's syntax works too; a string is sent as text
  greet(c: Context): string {
    return `Hello, ${c.req.param("name")}!`;
  }

  @HttpRoute("DELETE", "/users/{id}", { middlewares: [requireToken] })
  remove(c: Context): Response {
    users.delete(c.req.param("id") ?? "");
    this.broadcast("user.deleted", { id: c.req.param("id") }); // HTTP handlers reach WebSocket clients
    return new Response(null, { status: 204 });
  }

  @HttpRoute("GET", "/fail")
  fail(): never {
    throw new Error("database password in this message is never sent"); // -> 500, logged
  }

  @SocketOn("users.count")
  count(clientId: string): void {
    this.emit(clientId, "users.count", { count: users.size });
  }
}

const server = createServer({
  port: Number(process.env.PORT ?? 6001),
  host: process.env.HOST ?? "127.0.0.1",
  healthCheckPath: "/health",
  cors: { allowedOrigins: ["http://localhost:3000"], allowCredentials: true },
})
  .useHttp(async (c, next) => {
    await next();
    c.header("x-served-by", "sockeon-ts");
  })
  .register(new UserApi());

const listener = await serve(server);
console.log(`HTTP on http://${listener.hostname}:${listener.port}/ and WebSocket on ws://${listener.hostname}:${listener.port}/`);
