/**
 * Compile-time checks, run by `tsc --noEmit` (never executed): `@SocketOn(event, { schema })` and
 * `@HttpRoute(..., { body })` accept only handlers whose data parameter matches the schema's output type. Each
 * `@ts-expect-error` fails the type check if the mismatch stops being reported.
 */
import type { Context } from "hono";
import * as v from "valibot";
import { HttpRoute, SocketController, SocketOn } from "../../src/index.ts";

const User = v.object({ name: v.pipe(v.string(), v.minLength(1)), age: v.number() });
const Coerced = v.object({ count: v.pipe(v.string(), v.transform(Number)) });

export class TypedHandlers extends SocketController {
  @SocketOn("user.update", { schema: User })
  exact(_clientId: string, data: { name: string; age: number }): string {
    return data.name;
  }

  @SocketOn("user.partial", { schema: User })
  wider(_clientId: string, data: { name: string }): string {
    return data.name;
  }

  @SocketOn("count", { schema: Coerced })
  transformed(_clientId: string, data: { count: number }): number {
    return data.count;
  }

  // @ts-expect-error age is a number in the schema, not a string
  @SocketOn("user.wrong", { schema: User })
  wrongType(_clientId: string, data: { name: string; age: string }): void {
    void data;
  }

  // @ts-expect-error the handler needs a field the schema does not produce
  @SocketOn("user.extra", { schema: User })
  extraField(_clientId: string, data: { name: string; email: string }): void {
    void data;
  }

  // @ts-expect-error the transform's output is a number, not the input string
  @SocketOn("count.wrong", { schema: Coerced })
  beforeTransform(_clientId: string, data: { count: string }): void {
    void data;
  }

  @SocketOn("untyped")
  untyped(_clientId: string, data: { anything: boolean }): void {
    void data;
  }

  @HttpRoute("POST", "/users/{id}", { body: User, params: v.object({ id: v.string() }) })
  create(_c: Context, input: { body: { name: string; age: number }; params: { id: string } }): object {
    return { id: input.params.id, ...input.body };
  }

  // @ts-expect-error the body's age is a number
  @HttpRoute("PUT", "/users/{id}", { body: User })
  replace(_c: Context, input: { body: { age: string } }): object {
    return input.body;
  }
}
