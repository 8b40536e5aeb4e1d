/**
 * Runs the HTTP, validation, rate-limit and logging examples under bun, deno and tsx, as a new user would, and
 * checks the same answers on every runtime through real HTTP requests and WebSocket clients.
 */
import { describe, expect, test } from "../support/test.ts";
import { TestClient } from "./support/client.ts";
import { RUNTIMES, spawnExample, stopExample } from "./support/example-process.ts";

interface Example {
  ws: string;
  http: string;
  /** Everything the process wrote so far (stdout and stderr). */
  output(): string;
  /** Resolves once the output contains `text` (bounded wait, not a timing assertion). */
  waitFor(text: string | RegExp): Promise<string>;
  stop(): Promise<void>;
}

async function start(command: string[], file: string, env: Record<string, string> = {}): Promise<Example> {
  const child = spawnExample(command, file, env);
  let output = "";
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    for (const l of listeners) l();
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  const waitFor = (text: string | RegExp) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const hit = typeof text === "string" ? output.includes(text) : text.test(output);
        if (!hit) return false;
        clearTimeout(timer);
        listeners.delete(listener);
        resolve(output);
        return true;
      };
      const listener = () => void check();
      const timer = setTimeout(() => {
        listeners.delete(listener);
        reject(new Error(`${file}: no ${String(text)} within 20 s:\n${output}`));
      }, 20000);
      listeners.add(listener);
      check();
    });
  child.on("exit", (code) => {
    output += `\n[exited ${code}]`;
    for (const l of listeners) l();
  });
  const ready = await waitFor(/ws:\/\/[\d.]+:\d+\//);
  const ws = (/(ws:\/\/[\d.]+:\d+\/)/.exec(ready) as RegExpExecArray)[1] as string;
  return {
    ws,
    http: ws.replace(/^ws/, "http").replace(/\/$/, ""),
    output: () => output,
    waitFor,
    stop: () => stopExample(child),
  };
}

describe("HTTP, validation, rate-limit and logging examples run unchanged on every runtime", () => {
  for (const [name, command] of RUNTIMES) {
    test(`${name}: examples/http-routes.ts`, async () => {
      const ex = await start(command, "examples/http-routes.ts");
      try {
        const ada = await fetch(`${ex.http}/users/1`);
        expect(await ada.json()).toEqual({ id: "1", name: "Ada" });
        expect(ada.headers.get("x-served-by")).toBe("sockeon-ts");
        expect(await (await fetch(`${ex.http}/users/me`)).json()).toEqual({ id: "me", name: "You" });
        expect(await (await fetch(`${ex.http}/greet/Bob`)).text()).toBe("Hello, Bob!");
        expect((await fetch(`${ex.http}/users/2`)).status).toBe(404);
        const fail = await fetch(`${ex.http}/fail`);
        expect(fail.status).toBe(500);
        expect(await fail.text()).not.toContain("password");
        expect((await fetch(`${ex.http}/health`)).status).toBe(200);
        const pre = await fetch(`${ex.http}/users/1`, {
          method: "OPTIONS",
          headers: { origin: "http://localhost:3000", "access-control-request-method": "DELETE" },
        });
        expect(pre.headers.get("access-control-allow-origin")).toBe("http://localhost:3000");
        expect(pre.headers.get("access-control-allow-credentials")).toBe("true");
        const client = await TestClient.connect(ex.ws);
        expect((await fetch(`${ex.http}/users/1`, { method: "DELETE" })).status).toBe(401);
        const del = await fetch(`${ex.http}/users/1`, { method: "DELETE", headers: { authorization: "Bearer demo-token" } });
        expect(del.status).toBe(204);
        expect((await client.nextEvent("user.deleted")).data).toEqual({ id: "1" });
        client.emit("users.count");
        expect((await client.nextEvent("users.count")).data).toEqual({ count: 0 });
        await client.close();
      } finally {
        await ex.stop();
      }
    }, 60000);

    test(`${name}: examples/validation.ts`, async () => {
      const ex = await start(command, "examples/validation.ts");
      try {
        const client = await TestClient.connect(ex.ws);
        client.emit("user.update", { name: " Ada ", email: "ADA@example.com" }, 1);
        expect((await client.nextEvent("user.updated")).data).toEqual({ name: "Ada", email: "ada@example.com" });
        expect((await client.next()).data).toEqual({ id: 1, result: { name: "Ada", email: "ada@example.com" } });
        client.emit("user.update", { name: "A", email: "nope", age: 3 });
        const error = await client.nextEvent("error");
        expect(error.data).toMatchObject({ message: "Validation failed", event: "user.update" });
        expect(Object.keys(error.data.errors).sort()).toEqual(["age", "email", "name"]);
        client.emit("user.register", { name: "A", email: "ada@example.com", role: "admin" });
        expect((await client.nextEvent("error")).data.errors).toEqual({
          name: ["The name field must be at least 2."],
          role: ["The role field must be one of: reader, writer."],
        });
        const bad = await fetch(`${ex.http}/profiles`, {
          method: "POST",
          body: "{}",
          headers: { "content-type": "application/json" },
        });
        expect(bad.status).toBe(422);
        const ok = await fetch(`${ex.http}/profiles`, {
          method: "POST",
          body: JSON.stringify({ name: "Bo", email: "bo@example.com", age: 30 }),
          headers: { "content-type": "application/json" },
        });
        expect(ok.status).toBe(201);
        await client.close();
      } finally {
        await ex.stop();
      }
    }, 60000);

    test(`${name}: examples/rate-limits.ts`, async () => {
      const ex = await start(command, "examples/rate-limits.ts");
      try {
        const client = await TestClient.connect(ex.ws);
        for (let i = 0; i < 4; i++) client.emit("chat.message", { text: `m${i}` });
        for (let i = 0; i < 3; i++) expect((await client.next()).event).toBe("chat.message");
        expect((await client.next()).data).toMatchObject({ type: "event-specific", limit: 3, original_event: "chat.message" });
        for (let i = 0; i < 6; i++) client.emit("ping.me");
        for (let i = 0; i < 5; i++) expect((await client.next()).event).toBe("pong.you");
        expect((await client.next()).data).toMatchObject({ type: "global", limit: 5 });
        const login = (ip: string) => fetch(`${ex.http}/login`, { method: "POST", headers: { "x-forwarded-for": ip } });
        expect((await login("203.0.113.9")).status).toBe(200);
        expect((await login("203.0.113.9")).status).toBe(200);
        const limited = await login("203.0.113.9");
        expect(limited.status).toBe(429);
        expect(limited.headers.get("retry-after")).not.toBeNull();
        expect((await login("203.0.113.10")).status).toBe(200);
        for (let i = 0; i < 3; i++) expect((await login("10.1.2.3")).status).toBe(200);
        await client.close();
      } finally {
        await ex.stop();
      }
    }, 60000);

    test(`${name}: examples/logging.ts, default and JSON loggers`, async () => {
      for (const env of [{}, { LOGGER: "json" }] as Array<Record<string, string>>) {
        const ex = await start(command, "examples/logging.ts", env);
        try {
          const client = await TestClient.connect(ex.ws);
          client.emit("audit.note", { text: "hello" });
          await client.nextEvent("audit.noted");
          client.emit("audit.fail");
          expect((await client.nextEvent("error")).data.message).toBe("Internal server error processing message");
          if ("LOGGER" in env) {
            const out = await ex.waitFor('"msg":"Exception: audit store unavailable"');
            expect(out).toContain('"level":"debug","msg":"Client connected: ');
          } else {
            const out = await ex.waitFor(/ERROR: Exception: audit store unavailable \{[^\n]*"event":"audit\.fail"/);
            expect(out).toMatch(/\] DEBUG: Client connected: /);
            expect(out).toMatch(/\] NOTICE: Note from \S+ \{"length":5\}/);
            expect(out).toMatch(/\nFile: .*\nCode: 0\nTrace: /);
          }
          await client.close();
        } finally {
          await ex.stop();
        }
      }
    }, 60000);
  }
});
