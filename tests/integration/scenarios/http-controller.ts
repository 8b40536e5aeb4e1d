/** Controllers the HTTP, validation and rate-limit scenarios drive. */
import type { Context, MiddlewareHandler } from "hono";
import * as v from "valibot";
import { HttpRoute, RateLimit, rules, SocketController, SocketOn } from "../../../src/index.ts";

export const requireToken: MiddlewareHandler = async function requireToken(c, next) {
  if (c.req.header("authorization") !== "Bearer ok") return c.json({ error: "Unauthorized" }, 401);
  await next();
};

export const tagGlobal: MiddlewareHandler = async function tagGlobal(c, next) {
  await next();
  c.header("x-global", "yes");
};

const NewUser = v.object({
  name: v.pipe(v.string(), v.minLength(2, "Name is too short")),
  address: v.object({ city: v.string("City must be a string") }),
});

export class HttpProbe extends SocketController {
  @HttpRoute("GET", "/users/{id}")
  showUser(c: Context): object {
    return { id: c.req.param("id") };
  }

  // registered after the param route: Sockeon's precedence still picks it
  @HttpRoute("GET", "/users/me")
  me(): object {
    return { me: true };
  }

  @HttpRoute("GET", "/hello/:name")
  hello(c: Context): string {
    return `hello ${c.req.param("name")}`;
  }

  @HttpRoute("POST", "/echo")
  async echo(c: Context): Promise<object> {
    return { method: c.req.method, body: await c.req.json(), q: c.req.query("q") ?? null };
  }

  @HttpRoute("GET", "/nothing")
  nothing(): null {
    return null;
  }

  @HttpRoute("GET", "/raw")
  raw(): Response {
    return new Response("raw body", { status: 202, headers: { "x-raw": "1" } });
  }

  @HttpRoute("GET", "/boom")
  boom(): never {
    throw new Error("secret database password");
  }

  @HttpRoute("GET", "/private", { middlewares: [requireToken] })
  secret(): object {
    return { secret: 42 };
  }

  @HttpRoute("GET", "/bare", { excludeGlobalMiddlewares: ["tagGlobal"] })
  bare(): string {
    return "bare";
  }

  @HttpRoute("POST", "/users", { body: NewUser })
  createUser(_c: Context, input: { body: { name: string; address: { city: string } } }): Response {
    return Response.json({ created: input.body.name, city: input.body.address.city }, { status: 201 });
  }

  @HttpRoute("GET", "/search", {
    query: v.object({ q: v.pipe(v.string(), v.minLength(1)), page: v.pipe(v.string(), v.digits(), v.transform(Number)) }),
  })
  search(_c: Context, input: { query: { q: string; page: number } }): object {
    return { q: input.query.q, page: input.query.page, pageType: typeof input.query.page };
  }

  @HttpRoute("POST", "/form", { body: v.object({ name: v.string(), age: v.pipe(v.string(), v.transform(Number)) }) })
  form(_c: Context, input: { body: { name: string; age: number } }): object {
    return input.body;
  }

  @RateLimit(2, 60, { burstAllowance: 0 })
  @HttpRoute("GET", "/limited")
  limited(): object {
    return { ok: true };
  }

  @RateLimit(1, 60, { burstAllowance: 0, bypassGlobal: true })
  @HttpRoute("GET", "/limited/{id}")
  limitedParam(c: Context): object {
    return { id: c.req.param("id") };
  }
}

export class ValidatedSockets extends SocketController {
  @SocketOn("user.update", { schema: NewUser })
  update(clientId: string, data: { name: string; address: { city: string } }): string {
    this.emit(clientId, "user.updated", data);
    return data.name;
  }

  @SocketOn("signup", { schema: rules({ email: "required|email", age: "required|integer|min:18", name: "string" }) })
  signup(clientId: string, data: Record<string, unknown>): void {
    this.emit(clientId, "signed.up", data);
  }

  @RateLimit(2, 60, { burstAllowance: 0 })
  @SocketOn("limited")
  limitedEvent(clientId: string): void {
    this.emit(clientId, "limited.ok", {});
  }

  @RateLimit(1, 60, { burstAllowance: 0, whitelist: ["127.0.0.1", "::1"] })
  @SocketOn("limited.whitelisted")
  whitelisted(clientId: string): void {
    this.emit(clientId, "whitelisted.ok", {});
  }

  @SocketOn("free")
  free(clientId: string): void {
    this.emit(clientId, "free.ok", {});
  }
}

/** Registered after HttpProbe: replaces its GET /users/me, as a later Sockeon registration does. */
export class HttpOverride extends SocketController {
  @HttpRoute("GET", "/users/me")
  me(): object {
    return { me: "replaced" };
  }
}
