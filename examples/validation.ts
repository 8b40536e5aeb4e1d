/**
 * Validation before the handler runs: a valibot schema (typed: the handler's `data` must match the schema's
 * output or `tsc` fails), Sockeon rule strings for ported code, and an HTTP body schema (422 on failure).
 * Runs unchanged with bun, `deno run -A` and tsx.
 */
import process from "node:process";
import type { Context } from "hono";
import * as v from "valibot";
import { serve } from "../adapters/serve.ts";
import { createServer, HttpRoute, rules, Sanitizer, SocketController, SocketOn } from "../src/index.ts";

const Profile = v.object({
  name: v.pipe(v.string(), v.trim(), v.minLength(2, "Name must have at least 2 characters")),
  email: v.pipe(v.string(), v.email("Email is invalid"), v.toLowerCase()),
  age: v.optional(v.pipe(v.number(), v.integer(), v.minValue(13))),
});
type Profile = v.InferOutput<typeof Profile>;

class ProfileController extends SocketController {
  // invalid data never reaches this method: the client gets error {message: "Validation failed", errors, event}
  @SocketOn("user.update", { schema: Profile })
  async update(clientId: string, data: Profile): Promise<Profile> {
    this.setClientData(clientId, "profile", data);
    this.emit(clientId, "user.updated", data);
    return data; // the ack result, when the client sent an id
  }

  // the same checks written as Sockeon rule strings, with Sockeon's messages
  @SocketOn("user.register", {
    schema: rules({ name: "required|string|min:2", email: "required|email", role: "in:reader,writer", bio: "string|max:200" }),
  })
  register(clientId: string, data: Record<string, unknown>): void {
    this.emit(clientId, "user.registered", { ...data, bio: Sanitizer.string(data.bio ?? "") });
  }

  @HttpRoute("POST", "/profiles", { body: Profile })
  create(_c: Context, input: { body: Profile }): Response {
    return Response.json({ created: input.body }, { status: 201 });
  }
}

const server = createServer({ port: Number(process.env.PORT ?? 6001), host: process.env.HOST ?? "127.0.0.1" }).register(
  new ProfileController(),
);
const listener = await serve(server);
console.log(`validation example on ws://${listener.hostname}:${listener.port}/`);
