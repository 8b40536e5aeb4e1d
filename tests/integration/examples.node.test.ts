/**
 * Runs the example files as a new user would, under bun, deno and tsx, and talks to them with a plain
 * WebSocket client: the same file must give the same answers on every runtime.
 */
import { readFileSync } from "node:fs";
import { WebSocket } from "ws";
import { createClient, type SockeonClient, type WebSocketConstructor } from "../../client/index.ts";
import type { ChatEvents } from "../../examples/chat/events.ts";
import { describe, expect, test } from "../support/test.ts";
import { TestClient } from "./support/client.ts";
import { RUNTIMES, startExample, stopExample } from "./support/example-process.ts";
import { scrape } from "./support/exposition.ts";

// `npm start` is `tsx <file>`: the chat demo; the same file is also run under bun and deno below
const startScript = (JSON.parse(readFileSync("package.json", "utf8")) as { scripts: { start: string } }).scripts.start;
const startFile = startScript.replace(/^tsx /, "");

describe("examples run unchanged on every runtime", () => {
  test("npm start runs the chat demo", () => {
    expect(startScript).toBe("tsx examples/chat/server.ts");
  });

  for (const [name, command] of RUNTIMES) {
    test(`${name}: examples/connection-management.ts answers the docs page's events`, async () => {
      const { url, child } = await startExample(command, "examples/connection-management.ts");
      try {
        const a = await TestClient.connect(url);
        const welcome = await a.nextEvent("welcome");
        const id = welcome.data.clientId as string;
        const b = await TestClient.connect(url);
        const bId = (await b.nextEvent("welcome")).data.clientId as string;
        a.emit("client.info");
        expect((await a.nextEvent("client.info")).data).toEqual({ id, type: "ws", connected: true });
        a.emit("server.stats");
        const stats = (await a.nextEvent("server.stats")).data;
        expect(stats.total_clients).toBe(2);
        expect([...stats.client_ids].sort()).toEqual([id, bId].sort());
        a.emit("user.update", { name: "Ada", email: "ada@example.com" });
        await a.nextEvent("user.updated");
        a.emit("user.info");
        expect((await a.nextEvent("user.info")).data).toMatchObject({ name: "Ada", email: "ada@example.com" });
        const outsider = await TestClient.connect(url);
        await outsider.nextEvent("welcome");
        await outsider.nextEvent("user.connected");
        a.emit("room.join", { room: "lobby" });
        expect((await a.nextEvent("room.user_joined")).data).toEqual({ clientId: id, room: "lobby" });
        b.emit("room.join", { room: "lobby" });
        expect((await a.nextEvent("room.user_joined")).data).toEqual({ clientId: bId, room: "lobby" });
        expect((await b.nextEvent("room.user_joined")).data).toEqual({ clientId: bId, room: "lobby" });
        b.emit("room.leave", { room: "lobby" });
        expect((await b.nextEvent("room.left")).data).toEqual({ room: "lobby" });
        expect((await a.nextEvent("room.user_left")).data).toEqual({ clientId: bId, room: "lobby" });
        // room frames reach only the room's current members: b left first, the outsider never joined
        expect(await b.nothingPending()).toBeUndefined();
        expect(await outsider.nothingPending()).toBeUndefined();
        a.emit("room.join", {});
        expect((await a.nextEvent("error")).data).toEqual({ message: "Room is required" });
        a.emit("namespace.join", { namespace: "/admin" });
        expect((await a.nextEvent("namespace.joined")).data).toEqual({ namespace: "/admin" });
        a.emit("namespace.join", {});
        expect((await a.nextEvent("error")).data).toEqual({ message: "Namespace is required" });
        a.emit("namespace.leave");
        expect((await a.nextEvent("namespace.left")).data).toEqual({ message: "Left namespace" });
        await b.close();
        expect((await a.nextEvent("user.disconnected")).data.clientId).toBe(bId);
        await a.close();
        await outsider.close();
      } finally {
        await stopExample(child);
      }
    }, 60000);

    test(`${name}: ${startFile} serves the chat page, its bundles and the WebSocket on one port`, async () => {
      const { url, child } = await startExample(command, startFile);
      const clients: SockeonClient<ChatEvents>[] = [];
      try {
        const http = url.replace(/^ws/, "http");
        const page = await fetch(http);
        expect(page.headers.get("content-type")).toContain("text/html");
        expect(await page.text()).toContain('<script type="module" src="/chat.js"></script>');
        for (const path of ["chat.js", "client.js"]) {
          const res = await fetch(`${http}${path}`);
          expect(res.headers.get("content-type")).toContain("text/javascript");
          const body = await res.text();
          expect(body).toContain("sockeon.ping");
          expect(body).not.toContain("node:");
        }
        const options = { WebSocket: WebSocket as unknown as WebSocketConstructor };
        const alice = createClient<ChatEvents>(url, options);
        const bob = createClient<ChatEvents>(url, options);
        clients.push(alice, bob);
        await Promise.all([alice.joinRoom("lobby"), bob.joinRoom("lobby")]);
        const heard = new Promise((resolve) => bob.once("chat.message", resolve));
        expect(await alice.request("chat.say", { room: "lobby", name: "alice", text: " hi bob " })).toEqual({ delivered: 2 });
        expect(await heard).toMatchObject({ room: "lobby", name: "alice", text: "hi bob" });
        expect(await alice.request("chat.say", { room: "kitchen", name: "alice", text: "hi" })).toEqual({
          error: "join kitchen first",
        });
        expect(await alice.request("chat.say", { room: "lobby", name: "", text: "hi" })).toEqual({ error: "a name is required" });
      } finally {
        for (const c of clients) c.close();
        await stopExample(child);
      }
    }, 60000);

    test(`${name}: examples/hono-app.ts serves HTTP and the WebSocket side by side`, async () => {
      const { url, child } = await startExample(command, "examples/hono-app.ts");
      try {
        const http = url.replace(/^ws/, "http").replace(/\/ws$/, "/");
        const res = await fetch(http);
        expect(res.status).toBe(200);
        const client = await TestClient.connect(url);
        await client.nextEvent("welcome");
        client.emit("client.info");
        expect((await client.nextEvent("client.info")).data.type).toBe("ws");
        await client.close();
      } finally {
        await stopExample(child);
      }
    }, 60000);

    test(`${name}: examples/observability.ts serves metrics, probes and the dashboard, and prints OpenTelemetry spans`, async () => {
      const { url, child } = await startExample(command, "examples/observability.ts");
      let output = "";
      child.stdout?.on("data", (chunk: Buffer) => {
        output += chunk.toString();
      });
      try {
        const http = url.replace(/^ws/, "http").replace(/\/$/, "");
        const client = await TestClient.connect(url);
        client.emit("chat.join", { room: "lobby" });
        await client.nextEvent("chat.joined");
        client.emit("chat.say", { room: "lobby", text: "hi" });
        await client.nextEvent("chat.message");
        const { series } = await scrape(`${http}/metrics`);
        expect(series.get('sockeon_connections{namespace="/"}')).toBe(1);
        expect(series.get('sockeon_messages_received_total{event="chat.say"}')).toBe(1);
        expect((await fetch(`${http}/readyz`)).status).toBe(200);
        const admin = await fetch(`${http}/admin`);
        expect(admin.status).toBe(401);
        await admin.text();
        await client.close();
        // spans are printed as they end, on stdout: wait for the lines (bounded by the test's timeout)
        const printed = (text: string): Promise<void> =>
          new Promise((resolve) => {
            const check = (): void => {
              if (!output.includes(text)) return;
              child.stdout?.off("data", check);
              resolve();
            };
            child.stdout?.on("data", check);
            check();
          });
        await printed("span sockeon.handshake");
        await printed("span broadcast chat.message");
        await printed("span process chat.say");
      } finally {
        await stopExample(child);
      }
    }, 60000);
  }
});
