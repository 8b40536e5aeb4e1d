/**
 * The OpenAPI 3.1 document of a server's HTTP side: every `@HttpRoute` with its body, query and path-parameter
 * schemas, Sockeon's answers (422 on a failed schema, 429 when rate limited, 404 for a null return) and the
 * health check.
 */
import type { AsyncApiInfo } from "./asyncapi.ts";
import { type JsonSchema, toSchema } from "./json-schema.ts";
import { type DescribedServer, readSource, type SourceHttpRoute } from "./source.ts";

/** An OpenAPI 3.1 document as a plain JSON value. */
export type OpenApiDocument = { openapi: "3.1.0" } & { [field: string]: unknown };

const JSON_BODY = (schema: JsonSchema, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

const ERROR_BODY: JsonSchema = { type: "object", required: ["error"], properties: { error: { type: "string" } } };
const VALIDATION_BODY: JsonSchema = {
  type: "object",
  required: ["message", "errors"],
  properties: {
    message: { type: "string", const: "Validation failed" },
    errors: { type: "object", additionalProperties: { type: "array", items: { type: "string" } } },
    timestamp: { type: "integer" },
  },
};

/** `{id}` and `:id` both become OpenAPI's `{id}`. */
const openApiPath = (path: string): string => path.replace(/:(\w+)/g, "{$1}");

function parameters(route: SourceHttpRoute, path: string): unknown[] {
  const list: unknown[] = [];
  const params = toSchema(route.params) as { properties?: Record<string, JsonSchema> } | undefined;
  for (const match of path.matchAll(/\{(\w+)\}/g)) {
    const name = match[1] as string;
    list.push({ name, in: "path", required: true, schema: params?.properties?.[name] ?? { type: "string" } });
  }
  const query = toSchema(route.query) as { properties?: Record<string, JsonSchema>; required?: string[] } | undefined;
  for (const [name, schema] of Object.entries(query?.properties ?? {}))
    list.push({ name, in: "query", required: query?.required?.includes(name) ?? false, schema });
  return list;
}

function operation(route: SourceHttpRoute, path: string, operationId: string): Record<string, unknown> {
  const body = toSchema(route.body);
  const responses: Record<string, unknown> = {
    "200": { description: "The handler's return value: an object as JSON, a string as text, or its own Response" },
    "404": JSON_BODY(ERROR_BODY, "The handler returned null or undefined"),
    "500": JSON_BODY(ERROR_BODY, "The handler threw; the message is not revealed"),
  };
  if (route.body !== undefined || route.query !== undefined || route.params !== undefined)
    responses["422"] = JSON_BODY(VALIDATION_BODY, "Validation failed");
  if (route.rateLimited) responses["429"] = JSON_BODY(ERROR_BODY, "Rate limit exceeded");
  const params = parameters(route, path);
  return {
    operationId,
    summary: `Handled by ${route.handler}`,
    ...(params.length > 0 ? { parameters: params } : {}),
    ...(body ? { requestBody: { required: true, content: { "application/json": { schema: body } } } } : {}),
    responses,
  };
}

/**
 * The OpenAPI 3.1 document of a server's HTTP routes (`server.openapi(info)` delegates here).
 * @param server a server with its controllers registered
 * @param info title and version; `servers` entries become `http(s)://host` URLs
 * @example const doc = openapi(server, { title: "Profiles" }); Object.keys(doc.paths as object)
 */
export function openapi(server: DescribedServer, info: AsyncApiInfo = {}): OpenApiDocument {
  const source = readSource(server);
  const paths: Record<string, Record<string, unknown>> = {};
  const used = new Set<string>();
  const routes = [...source.http].sort((a, b) => `${a.path} ${a.method}`.localeCompare(`${b.path} ${b.method}`));
  for (const route of routes) {
    const path = openApiPath(route.path);
    let id = route.handler.replace(/[^A-Za-z0-9_.-]/g, "_");
    for (let n = 2; used.has(id); n++) id = `${route.handler}_${n}`;
    used.add(id);
    (paths[path] ??= {})[route.method.toLowerCase()] = operation(route, path, id);
  }
  if (source.healthCheckPath !== null) {
    (paths[source.healthCheckPath] ??= {}).get = {
      operationId: "healthCheck",
      summary: "Sockeon's health document",
      responses: {
        "200": JSON_BODY(
          {
            type: "object",
            required: ["status", "timestamp", "server"],
            properties: {
              status: { type: "string", const: "healthy" },
              timestamp: { type: "integer" },
              server: {
                type: "object",
                properties: { clients: { type: "integer" }, uptime: { type: "integer" }, uptime_human: { type: "string" } },
              },
            },
          },
          "The server is up",
        ),
      },
    };
  }
  const servers = Object.values(
    info.servers ?? { default: { host: source.port === 0 ? source.host : `${source.host}:${source.port}`, protocol: "ws" } },
  ).map((s) => ({ url: `${s.protocol === "wss" ? "https" : "http"}://${s.host}` }));
  return {
    openapi: "3.1.0",
    info: {
      title: info.title ?? "sockeon-ts server",
      version: info.version ?? "1.0.0",
      ...(info.description ? { description: info.description } : {}),
    },
    servers,
    paths,
  };
}
