import type { Context, MiddlewareHandler } from "hono";
import { readMetadata, recordMetadata } from "../api/decorators.ts";
import { describe } from "../common/errors.ts";
import { type AnySchema, assertSchema, type Output } from "../validation/schema.ts";

const HTTP_ROUTES: unique symbol = Symbol.for("sockeon-ts.http-routes");

/** Options of `@HttpRoute`: Hono middleware, Sockeon's exclusions, and valibot schemas for the input. */
export interface HttpRouteOptions {
  /** Hono middleware run after the global HTTP middleware, in order. */
  middlewares?: MiddlewareHandler[];
  /** Global HTTP middleware to skip for this route, by reference or by function name. */
  excludeGlobalMiddlewares?: Array<MiddlewareHandler | string>;
  /** Schema of the request body (JSON, or form fields for urlencoded/multipart bodies). */
  body?: AnySchema;
  /** Schema of the query string, as `Record<string, string>`. */
  query?: AnySchema;
  /** Schema of the path parameters, as `Record<string, string>`. */
  params?: AnySchema;
}

type Field<O, K extends "body" | "query" | "params", Default> = O extends { [P in K]: infer S extends AnySchema }
  ? Output<S>
  : Default;

/**
 * The second argument of an HTTP handler: the input after validation. Without a schema, `query` and `params` are
 * the raw strings and `body` is undefined (the body is read only for a body schema; use `c.req.json()`).
 */
export type HttpInput<O extends HttpRouteOptions = HttpRouteOptions> = {
  body: Field<O, "body", undefined>;
  query: Field<O, "query", Record<string, string>>;
  params: Field<O, "params", Record<string, string>>;
};

/** A decorated HTTP handler: Hono's `Context` and the validated input; its return value becomes the response. */
export type HttpHandler<I = HttpInput> = (c: Context, input: I) => unknown;

/** What `@HttpRoute` records about one method. */
export interface HttpRouteMetadata {
  readonly httpMethod: string;
  /** The path as written (`/users/{id}` or `/users/:id`). */
  readonly path: string;
  readonly method: string | symbol;
  readonly options: HttpRouteOptions;
}

const METHOD = /^[A-Z]+$/;
const PATH = /^\/[^\s?#]*$/;

/**
 * Marks a method as an HTTP route on the server's Hono app, Sockeon's `#[HttpRoute]`. Paths take Sockeon's
 * `{param}` or Hono's `:param`; exact paths win over parameterised ones whatever the registration order.
 * Return an object (JSON), a string (text), a `Response` (sent as is), or null/undefined (404
 * `{"error":"Not Found"}`); a thrown error becomes a 500 that does not reveal its message.
 * With `body`/`query`/`params` schemas the input is validated first (422 `Validation failed` otherwise), and the
 * handler's `input` parameter must accept the schemas' output types, or `tsc` fails.
 * @param method HTTP method, e.g. `GET`
 * @param path e.g. `/users/{id}`
 * @example
 * ```ts
 * @HttpRoute("GET", "/users/{id}") show(c: Context) { return { id: c.req.param("id") }; }
 * ```
 */
export function HttpRoute<const O extends HttpRouteOptions = {}>(
  method: string,
  path: string,
  options?: O,
): (handler: HttpHandler<HttpInput<O>>, context: ClassMethodDecoratorContext) => void {
  const httpMethod = typeof method === "string" ? method.toUpperCase() : method;
  if (typeof httpMethod !== "string" || !METHOD.test(httpMethod))
    throw new TypeError(`@HttpRoute: invalid HTTP method ${describe(method)}`);
  if (typeof path !== "string" || !PATH.test(path))
    throw new TypeError(`@HttpRoute: invalid path ${describe(path)} (expected a path starting with "/", no query)`);
  const opts: HttpRouteOptions = options ?? {};
  for (const key of ["body", "query", "params"] as const)
    if (opts[key] !== undefined) assertSchema(`@HttpRoute(${httpMethod} ${path}) ${key}`, opts[key]);
  for (const mw of opts.middlewares ?? [])
    if (typeof mw !== "function")
      throw new TypeError(`@HttpRoute(${httpMethod} ${path}): a middleware must be a function, got ${describe(mw)}`);
  return (_handler, context) => {
    recordMetadata<HttpRouteMetadata>(context, HTTP_ROUTES, { httpMethod, path, method: context.name, options: opts });
  };
}

/** Every `@HttpRoute` of a controller's class chain, base class first. */
export function readHttpRoutes(controller: object): HttpRouteMetadata[] {
  return readMetadata<HttpRouteMetadata>(controller.constructor as abstract new (...args: never[]) => unknown, HTTP_ROUTES);
}

/** Sockeon's `{name}` segments as Hono's `:name`; Hono paths pass unchanged. */
export function toHonoPath(path: string): string {
  return path.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, ":$1");
}

/** Whether a path has parameters or wildcards (so an exact route must win over it). */
export function isPatternPath(honoPath: string): boolean {
  return /[:*]/.test(honoPath);
}
