/**
 * Type test of the shared event map: `tsc --noEmit` (the `types` check of `npm test`) compiles this file. Each
 * `@ts-expect-error` line must fail to compile, or tsc reports the directive as unused; the other lines must
 * compile. Nothing here runs.
 */
import * as v from "valibot";
import { WebSocket as WsWebSocket } from "ws";
import {
  createClient,
  defineEvents,
  type RequestTimeoutError,
  type ServerError,
  type SockeonClient,
  type,
  type WebSocketConstructor,
} from "../../client/index.ts";
import { SocketController, SocketOn } from "../../src/index.ts";

const UserUpdate = v.object({ name: v.string(), email: v.pipe(v.string(), v.email()), age: v.optional(v.number()) });
const Coerced = v.object({ n: v.pipe(v.string(), v.transform(Number)) });

class UserController extends SocketController {
  @SocketOn("user.update")
  async update(_clientId: string, data: v.InferOutput<typeof UserUpdate>): Promise<{ saved: true; name: string }> {
    return { saved: true, name: data.name };
  }

  @SocketOn("user.get")
  get(clientId: string, data: { id: string }): { id: string; name: string; by: string } {
    return { id: data.id, name: "Ada", by: clientId };
  }

  @SocketOn("user.ping")
  ping(): void {}
}

const events = defineEvents({
  toServer: {
    "user.update": { data: UserUpdate, handler: UserController.prototype.update },
    "user.get": { handler: UserController.prototype.get },
    "user.ping": { handler: UserController.prototype.ping },
    "user.count": { result: type<number>() },
    "user.coerce": { data: Coerced, result: Coerced },
  },
  toClient: {
    "user.updated": UserUpdate,
    "user.left": type<{ id: string }>(),
  },
});

export async function typedClient(client: SockeonClient<typeof events>): Promise<void> {
  // data is the schema's input type
  client.emit("user.update", { name: "Ada", email: "ada@example.com" });
  client.emit("user.update", { name: "Ada", email: "ada@example.com", age: 36 });
  // @ts-expect-error: name must be a string
  client.emit("user.update", { name: 1, email: "ada@example.com" });
  // @ts-expect-error: email is required
  client.emit("user.update", { name: "Ada" });
  // @ts-expect-error: data is required for an event with a schema
  client.emit("user.update");
  // @ts-expect-error: unknown event
  client.emit("user.delete", {});
  // @ts-expect-error: join_room goes through joinRoom(), not emit
  client.emit("join_room", { room: "lobby" });

  // results come from the handler's return type (awaited), or the `result` entry
  const saved: { saved: true; name: string } = await client.request("user.update", { name: "Ada", email: "a@b.c" });
  const user = await client.request("user.get", { id: "u1" }, { timeout: 500 });
  const name: string = user.name;
  // @ts-expect-error: the handler's result has no `email`
  user.email;
  // @ts-expect-error: the handler's data parameter is { id: string }
  await client.request("user.get", { id: 1 });
  const count: number = await client.request("user.count");
  // @ts-expect-error: the result is a number
  const wrong: string = await client.request("user.count");
  const nothing: null = await client.request("user.ping");
  // input and output of a transforming schema differ: send a string, get a number
  const coerced: { n: number } = await client.request("user.coerce", { n: "42" });
  // @ts-expect-error: the schema's input is a string
  await client.request("user.coerce", { n: 42 });
  // @ts-expect-error: the timeout option is a number
  await client.request("user.count", undefined, { timeout: "1s" });

  // listeners get the server event's type; `error` gets ServerError
  client.on("user.updated", (u) => u.email.toLowerCase());
  client.once("user.left", (u) => u.id.length);
  client.on("error", (e: ServerError) => e.data.message);
  client.on("room_joined", (r) => r.room.length + r.namespace.length);
  // @ts-expect-error: `id` is a string
  client.on("user.left", (u: { id: number }) => u.id);
  // @ts-expect-error: not an event the server sends
  client.on("user.created", () => {});
  void [saved, name, count, wrong, nothing, coerced];
}

export async function untypedClient(): Promise<void> {
  const client = createClient("ws://127.0.0.1:6001/", { autoConnect: false });
  client.emit("anything", { a: 1 });
  client.emit("anything");
  client.emit("list", [1, 2]);
  const result: unknown = await client.request("anything", { a: 1 }, { timeout: 100 });
  client.on("whatever", (data) => data.any.field);
  // @ts-expect-error: Sockeon frames carry an object or an array, not a string
  client.emit("anything", "text");
  void result;
}

export function errorClasses(e: RequestTimeoutError): number {
  return e.timeout + e.id;
}

// the WebSocket classes users pass as the `WebSocket` option fit it without a cast: the DOM's (browsers, Bun,
// Deno) and the ws package's (Node 20)
export const socketClasses: WebSocketConstructor[] = [WebSocket, WsWebSocket];
