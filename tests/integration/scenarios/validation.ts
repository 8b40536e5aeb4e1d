/** Validation before the handler: valibot schemas and Sockeon rule strings, over WebSocket and HTTP. */

import { describe, expect, test } from "../../support/test.ts";
import type { Fixture } from "../support/fixture.ts";
import { recordLogs } from "../support/servers.ts";
import { HttpProbe, ValidatedSockets } from "./http-controller.ts";

export function validationScenarios(fx: Fixture): void {
  const { serve, connect, setup } = fx;
  const post = (path: string, body: string, type = "application/json") =>
    fetch(`${fx.served.http}${path}`, { method: "POST", body, headers: { "content-type": type } });

  describe(`${setup.name}: validation`, () => {
    test("valid WebSocket data reaches the handler, typed and acked", async () => {
      (await serve()).register(new ValidatedSockets());
      const a = await connect();
      a.emit("user.update", { name: "Ada", address: { city: "London" } }, 1);
      expect(await a.next()).toEqual({ event: "user.updated", data: { name: "Ada", address: { city: "London" } } });
      expect(await a.next()).toEqual({ event: "ack", data: { id: 1, result: "Ada" } });
    });

    test("invalid WebSocket data gets Sockeon's error shape with dot paths; the handler is skipped", async () => {
      (await serve()).register(new ValidatedSockets());
      const a = await connect();
      a.emit("user.update", { name: "A", address: { city: 5 } }, 2);
      const error = await a.next();
      expect(error.event).toBe("error");
      expect(error.data).toMatchObject({
        message: "Validation failed",
        event: "user.update",
        id: 2,
        errors: { name: ["Name is too short"], "address.city": ["City must be a string"] },
      });
      expect(Number.isInteger(error.data.timestamp)).toBe(true);
      expect(await a.nothingPending()).toBeUndefined();
    });

    test("Sockeon rule strings: first failing rule per field, Sockeon's messages, sanitised output", async () => {
      (await serve()).register(new ValidatedSockets());
      const a = await connect();
      a.emit("signup", { email: "not-an-email", age: "12" });
      expect((await a.next()).data.errors).toEqual({
        email: ["The email field must be a valid email address."],
        age: ["The age field must be at least 18."],
      });
      a.emit("signup", { age: "x" });
      expect((await a.next()).data.errors).toEqual({
        email: ["The email field is required."],
        age: ["The age field must be an integer."],
      });
      a.emit("signup", { email: "Ada@Example.COM", age: "21", name: "  Ada  ", ignored: true });
      expect(await a.next()).toEqual({ event: "signed.up", data: { email: "ada@example.com", age: 21, name: "Ada" } });
    });

    test("failures are logged once with client id and event, never the payload", async () => {
      const logs = recordLogs();
      (await serve({ logger: logs.logger })).register(new ValidatedSockets(), new HttpProbe());
      const a = await connect();
      a.emit("user.update", { name: "x", address: { city: "secret-city-value" } });
      expect((await a.next()).data.message).toBe("Validation failed");
      expect((await fetch(`${fx.served.http}/boom`)).status).toBe(500);
      const failures = logs.lines.filter((l) => l.level === "warning" || l.level === "error");
      expect(failures.length).toBe(2);
      expect(failures[0]?.context).toMatchObject({ event: "user.update", fields: ["name"] });
      expect(failures[0]?.context?.clientId).toBeDefined();
      expect(failures[1]).toMatchObject({ level: "error", message: "Exception: secret database password" });
      expect(failures[1]?.context).toMatchObject({ source: "http", event: "GET /boom" });
      expect(JSON.stringify(logs.lines)).not.toContain("secret-city-value");
    });

    test("HTTP body and query schemas: 422 with the same shape, typed success", async () => {
      (await serve()).register(new HttpProbe());
      const ok = await post("/users", JSON.stringify({ name: "Ada", address: { city: "Paris" } }));
      expect(ok.status).toBe(201);
      expect(await ok.json()).toEqual({ created: "Ada", city: "Paris" });
      const bad = await post("/users", JSON.stringify({ name: "A", address: {} }));
      expect(bad.status).toBe(422);
      const body = await bad.json();
      expect(body).toMatchObject({ message: "Validation failed", event: "POST /users" });
      expect(body.errors["body.name"]).toEqual(["Name is too short"]);
      expect(Object.keys(body.errors)).toContain("body.address.city");
      const broken = await post("/users", "{not json");
      expect(broken.status).toBe(400);
      expect(await broken.json()).toEqual({ error: "Invalid request body" });
      const urlencoded = await post("/form", "name=Ada&age=36", "application/x-www-form-urlencoded");
      expect(await urlencoded.json()).toEqual({ name: "Ada", age: 36 });
      const form = new FormData();
      form.set("name", "Bo");
      form.set("age", "7");
      const multipart = await fetch(`${fx.served.http}/form`, { method: "POST", body: form });
      expect(await multipart.json()).toEqual({ name: "Bo", age: 7 });
      const search = await fetch(`${fx.served.http}/search?q=ws&page=3`);
      expect(await search.json()).toEqual({ q: "ws", page: 3, pageType: "number" });
      const badSearch = await fetch(`${fx.served.http}/search?page=x`);
      expect(badSearch.status).toBe(422);
      expect(Object.keys((await badSearch.json()).errors).sort()).toEqual(["query.page", "query.q"]);
    });
  });
}
