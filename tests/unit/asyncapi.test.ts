import type { Context } from "hono";
import * as v from "valibot";
import { parse as parseYaml } from "yaml";
import { type as markerType } from "../../client/index.ts";
import { SocketController } from "../../src/api/controller.ts";
import { SocketOn } from "../../src/api/decorators.ts";
import { createServer } from "../../src/api/server.ts";
import { toYaml } from "../../src/asyncapi/yaml.ts";
import { ConfigError } from "../../src/common/errors.ts";
import { HttpRoute } from "../../src/http/route-decorator.ts";
import { RateLimit } from "../../src/rate-limit/decorator.ts";
import { describe, expect, test } from "../support/test.ts";

type Doc = Record<string, any>;

const Move = v.object({ x: v.pipe(v.number(), v.integer()), y: v.optional(v.number()) });
const Moved = v.object({ at: v.number() });

class Game extends SocketController {
  @SocketOn("game.move", { schema: Move })
  move(_clientId: string, data: v.InferOutput<typeof Move>): number {
    return data.x;
  }

  @SocketOn("game.free")
  free(): void {}

  @RateLimit(2, 60)
  @SocketOn("game.limited")
  limited(): void {}

  @HttpRoute("POST", "/games/{id}", { body: Move, query: v.object({ dry: v.optional(v.string()) }) })
  create(_c: Context): unknown {
    return {};
  }
}

const events = {
  toServer: { "game.move": { data: Move, result: v.object({ score: v.number() }) } },
  toClient: { "game.moved": Moved, "game.untyped": markerType<{ n: number }>() },
};

const doc = (options: Parameters<typeof createServer>[0] = {}): Doc =>
  createServer({ events, ...options })
    .register(new Game())
    .asyncapi({ title: "Game" }) as Doc;

describe("asyncapi(): the WebSocket API as AsyncAPI 3.0", () => {
  test("every @SocketOn event is a receive operation whose message is the whole frame with the converted schema", () => {
    const d = doc();
    expect(d.asyncapi).toBe("3.0.0");
    expect(d.info).toEqual({ title: "Game", version: "1.0.0" });
    expect(d.servers).toEqual({ default: { host: "127.0.0.1:6001", protocol: "ws", pathname: "/" } });
    const ops = Object.keys(d.operations).sort();
    expect(ops).toEqual(
      [
        "receive_game.free",
        "receive_game.limited",
        "receive_game.move",
        "receive_join_room",
        "receive_leave_room",
        "receive_sockeon.ping",
        "send_error",
        "send_game.moved",
        "send_game.untyped",
        "send_rate_limit_exceeded",
        "send_room_joined",
        "send_room_left",
        "send_sockeon.pong",
      ].sort(),
    );
    const move = d.channels.root.messages["toServer.game.move"].payload;
    expect(move.required).toEqual(["event", "data"]);
    expect(move.additionalProperties).toBe(false);
    expect(move.properties.event).toEqual({ type: "string", const: "game.move" });
    expect(move.properties.data).toEqual({
      type: "object",
      properties: { x: { type: "integer" }, y: { type: "number" } },
      required: ["x"],
    });
    expect(move.properties.id.type).toBe("integer");
    // no schema: any object or array, as the decoder accepts
    expect(d.channels.root.messages["toServer.game.free"].payload.properties.data).toEqual({ type: ["object", "array"] });
  });

  test("acks: every receive operation replies with its ack (declared result schema) or an error frame", () => {
    const d = doc();
    const op = d.operations["receive_game.move"];
    expect(op.action).toBe("receive");
    expect(op.channel).toEqual({ $ref: "#/channels/root" });
    expect(op.reply.messages).toEqual([
      { $ref: "#/channels/root/messages/ack.game.move" },
      { $ref: "#/channels/root/messages/toClient.error" },
    ]);
    const ack = d.channels.root.messages["ack.game.move"].payload;
    expect(ack.properties.event).toEqual({ type: "string", const: "ack" });
    expect(ack.properties.data.properties.result).toEqual({
      type: "object",
      properties: { score: { type: "number" } },
      required: ["score"],
    });
    // an event without a declared result: any value (null when the handler returns nothing)
    expect(Object.keys(d.channels.root.messages["ack.game.free"].payload.properties.data.properties.result)).toEqual([
      "description",
    ]);
    expect(d["x-sockeon-acks"].enabled).toBe(true);
    expect(d.operations["receive_game.limited"].reply.messages).toContainEqual({
      $ref: "#/channels/root/messages/toClient.rate_limit_exceeded",
    });
    expect(d.operations["receive_game.move"].reply.messages).not.toContainEqual({
      $ref: "#/channels/root/messages/toClient.rate_limit_exceeded",
    });
  });

  test("with acks off a frame has no id and no operation has an ack", () => {
    const d = doc({ acks: false });
    expect(d.channels.root.messages["toServer.game.move"].payload.properties.id).toBeUndefined();
    expect(Object.keys(d.channels.root.messages).filter((k) => k.startsWith("ack."))).toEqual([]);
    expect(d.operations["receive_game.move"].reply.messages).toEqual([{ $ref: "#/channels/root/messages/toClient.error" }]);
    expect(d["x-sockeon-acks"].enabled).toBe(false);
  });

  test("toClient events are send operations; a type<T>() marker has no schema, so its data is open", () => {
    const d = doc();
    expect(d.channels.root.messages["toClient.game.moved"].payload.properties.data).toEqual({
      type: "object",
      properties: { at: { type: "number" } },
      required: ["at"],
    });
    expect(d.channels.root.messages["toClient.game.untyped"].payload.properties.data).toEqual({ type: ["object", "array"] });
    expect(d.operations["send_game.moved"]).toEqual({
      action: "send",
      summary: "Declared in the server's event map (toClient)",
      messages: [{ $ref: "#/channels/root/messages/toClient.game.moved" }],
      channel: { $ref: "#/channels/root" },
    });
  });

  test("the error frame lists Sockeon's fixed texts; system events have their known payloads", () => {
    const d = doc();
    const texts = d.channels.root.messages["toClient.error"].payload.properties.data.properties.message.examples;
    expect(texts).toContain("Invalid JSON format: Syntax error");
    expect(texts).toContain("Validation failed");
    const join = d.channels.root.messages["toServer.join_room"].payload.properties.data;
    expect(join.required).toEqual(["room"]);
    expect(d.operations.receive_join_room.reply.messages[0]).toEqual({ $ref: "#/channels/root/messages/toClient.room_joined" });
    const bare = createServer({ registerSystemControllers: false }).asyncapi() as Doc;
    expect(Object.keys(bare.operations).sort()).toEqual(["receive_sockeon.ping", "send_error", "send_sockeon.pong"]);
  });

  test("an auth key adds the ?key= security scheme, never the key itself", () => {
    const d = doc({ authKey: "top-secret-value" });
    expect(JSON.stringify(d)).not.toContain("top-secret-value");
    expect(d.components.securitySchemes.authKey).toMatchObject({ type: "httpApiKey", name: "key", in: "query" });
    expect(d.servers.default.security).toEqual([{ $ref: "#/components/securitySchemes/authKey" }]);
    expect(d["x-sockeon-handshake"].refusals).toContainEqual({ status: 401, body: "Invalid authentication key" });
    expect(doc().components).toBeUndefined();
    const perIp = { status: 429, body: "Too many connections from this address" };
    expect(doc()["x-sockeon-handshake"].refusals).not.toContainEqual(perIp);
    expect(doc({ maxConnectionsPerIp: 5 })["x-sockeon-handshake"].refusals).toContainEqual(perIp);
  });

  test("info sets public servers and namespaces; the document is deterministic", () => {
    const server = createServer().register(new Game());
    const d = server.asyncapi({
      servers: { production: { host: "game.example.com", protocol: "wss" } },
      namespaces: ["/", "/admin"],
    }) as Doc;
    expect(d.servers).toEqual({ production: { host: "game.example.com", protocol: "wss", pathname: "/" } });
    expect(Object.keys(d.channels)).toEqual(["root", "ns__admin"]);
    expect(d.operations["ns__admin_receive_game.move"].channel).toEqual({ $ref: "#/channels/ns__admin" });
    expect(JSON.stringify(server.asyncapi())).toBe(JSON.stringify(server.asyncapi()));
  });

  test("changing a handler's schema changes its message in the document, and nothing else", () => {
    const withSchema = (schema: v.GenericSchema): Doc => {
      class Shop extends SocketController {
        @SocketOn("shop.buy", { schema })
        buy(): void {}
      }
      return createServer().register(new Shop()).asyncapi() as Doc;
    };
    const before = withSchema(v.object({ sku: v.string(), count: v.number() }));
    const after = withSchema(v.object({ sku: v.string(), count: v.pipe(v.number(), v.integer(), v.minValue(1)) }));
    const data = (d: Doc) => d.channels.root.messages["toServer.shop.buy"].payload.properties.data;
    expect(data(before).properties.count).toEqual({ type: "number" });
    expect(data(after).properties.count).toEqual({ type: "integer", minimum: 1 });
    expect(JSON.stringify(after)).not.toBe(JSON.stringify(before));
    data(after).properties.count = { type: "number" };
    expect(after).toEqual(before);
  });
});

describe("openapi(): the HTTP routes as OpenAPI 3.1", () => {
  test("a route's path, parameters, body schema and Sockeon's answers", () => {
    const d = createServer({ healthCheckPath: "/health" }).register(new Game()).openapi() as Doc;
    expect(d.openapi).toBe("3.1.0");
    expect(Object.keys(d.paths)).toEqual(["/games/{id}", "/health"]);
    const op = d.paths["/games/{id}"].post;
    expect(op.operationId).toBe("Game.create");
    expect(op.parameters).toEqual([
      { name: "id", in: "path", required: true, schema: { type: "string" } },
      { name: "dry", in: "query", required: false, schema: { type: "string" } },
    ]);
    expect(op.requestBody.content["application/json"].schema.required).toEqual(["x"]);
    expect(Object.keys(op.responses)).toEqual(["200", "404", "422", "500"]);
    expect(d.paths["/health"].get.operationId).toBe("healthCheck");
    expect(d.servers).toEqual([{ url: "http://127.0.0.1:6001" }]);
  });
});

describe("toYaml", () => {
  test("reads back as the same JSON value with a YAML parser, tricky strings included", () => {
    const value = {
      asyncapi: "3.0.0",
      yes: "no",
      "200": { $ref: "#/x", empty: {}, none: [], n: null, t: true, f: 1.5, neg: -3 },
      list: [
        { a: 1, b: [1, "two", { c: "d: e" }] },
        "- dash",
        "trailing ",
        "a #comment",
        "",
        "line\nbreak",
        "ünï\u0000",
        '"q"\u0001',
        '"\\\\"',
      ],
      nested: [[1, 2], []],
      "key with: colon": "'quoted'",
      dq: 'say "hi"',
      both: `it's "x"`,
      on: "off",
      slash: "/",
    };
    expect(parseYaml(toYaml(value))).toEqual(value);
    expect(toYaml({ a: { b: ["x"] } })).toBe("a:\n  b:\n    - x\n");
  });

  test("a whole generated document round-trips", () => {
    const d = doc({ authKey: "k" });
    expect(parseYaml(toYaml(d))).toEqual(JSON.parse(JSON.stringify(d)));
  });

  test("values JSON cannot hold are refused", () => {
    expect(() => toYaml({ a: Number.NaN })).toThrow(TypeError);
    expect(() => toYaml({ a: () => 1 })).toThrow(TypeError);
  });
});

describe("asyncapi and events options", () => {
  test("asyncapi: true serves under /asyncapi, a path under that path, false or absent not at all", () => {
    expect(createServer({ asyncapi: true }).options.asyncapi).toBe("/asyncapi");
    expect(createServer({ asyncapi: "/docs/api" }).options.asyncapi).toBe("/docs/api");
    expect(createServer({ asyncapi: false }).options.asyncapi).toBe(null);
    expect(createServer().options.asyncapi).toBe(null);
  });

  test("bad values are ConfigErrors naming the option", () => {
    for (const bad of ["", "/", "docs", "/docs/", "/a b", "/{id}", "/a?x=1", 1, {}]) {
      expect(() => createServer({ asyncapi: bad as never })).toThrow(ConfigError);
      expect(() => createServer({ asyncapi: bad as never })).toThrow("Invalid server option asyncapi:");
    }
    expect(() => createServer({ events: [] as never })).toThrow("Invalid server option events:");
    expect(() => createServer({ events: { toClient: 1 } as never })).toThrow("Invalid server option events.toClient: 1");
    expect(() => createServer({ events: { fromServer: {} } as never })).toThrow("Invalid server option events.fromServer:");
  });
});

describe("served documents (through server.fetch)", () => {
  const served = () => createServer({ asyncapi: "/api-docs", events }).register(new Game());

  test("JSON and YAML of both documents, with the listener the request reached as the server", async () => {
    const server = served();
    const json = (await (await server.fetch(new Request("http://game.test:8080/api-docs/asyncapi.json"))).json()) as Doc;
    expect(json.servers).toEqual({ default: { host: "game.test:8080", protocol: "ws", pathname: "/" } });
    const yamlResponse = await server.fetch(new Request("https://game.test/api-docs/asyncapi.yaml"));
    expect(yamlResponse.headers.get("content-type")).toBe("application/yaml; charset=utf-8");
    const yaml = parseYaml(await yamlResponse.text()) as Doc;
    expect(yaml.servers.default).toEqual({ host: "game.test", protocol: "wss", pathname: "/" });
    expect(yaml.operations).toEqual(json.operations);
    const openapi = (await (await server.fetch(new Request("http://game.test/api-docs/openapi.json"))).json()) as Doc;
    expect(Object.keys(openapi.paths)).toEqual(["/games/{id}"]);
    expect(parseYaml(await (await server.fetch(new Request("http://game.test/api-docs/openapi.yaml"))).text())).toEqual(openapi);
  });

  test("the page loads the renderer installed in node_modules; the renderer's assets are served", async () => {
    const server = served();
    const page = await (await server.fetch(new Request("http://game.test/api-docs"))).text();
    expect(page).toContain('<script src="/api-docs/renderer.js"></script>');
    expect(page).toContain("AsyncApiStandalone.render");
    const js = await server.fetch(new Request("http://game.test/api-docs/renderer.js"));
    expect(js.status).toBe(200);
    expect(js.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(await js.text()).toContain("AsyncApiStandalone");
    const css = await server.fetch(new Request("http://game.test/api-docs/renderer.css"));
    expect(css.headers.get("content-type")).toBe("text/css; charset=utf-8");
  });

  test("off by default: no document routes", async () => {
    const server = createServer().register(new Game());
    expect((await server.fetch(new Request("http://game.test/asyncapi/asyncapi.json"))).status).toBe(404);
  });
});
