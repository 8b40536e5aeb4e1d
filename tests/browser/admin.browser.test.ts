/**
 * The admin dashboard in a real browser: Debian's chromium driven by playwright-core. Without credentials the
 * page is refused; logged in, it shows the numbers change as test clients connect, join rooms and chat, finds a
 * client by search, disconnects one and broadcasts a test message (both audited in the log), refuses an action
 * without the CSRF token, and loads nothing from anywhere but the server. Screenshots go to artifacts/admin/.
 */
import { mkdirSync } from "node:fs";
import type { Browser } from "playwright-core";
import { type NodeListener, serveNode } from "../../adapters/node.ts";
import { createServer, SocketController, SocketOn } from "../../src/index.ts";
import { TestClient } from "../integration/support/client.ts";
import { recordLogs } from "../integration/support/servers.ts";
import { afterAll, describe, expect, test } from "../support/test.ts";
import { launchChromium } from "./chromium.ts";

const ARTIFACTS = "artifacts/admin";
const AUTH = { username: "ops", password: "s3cret-pass" };

class Chat extends SocketController {
  @SocketOn("chat.join")
  join(clientId: string, data: { room: string; name: string }): void {
    this.joinRoom(clientId, data.room);
    this.setClientData(clientId, "name", data.name);
    this.emit(clientId, "chat.joined", { room: data.room });
  }

  @SocketOn("chat.say")
  say(_clientId: string, data: { room: string; text: string }): void {
    this.broadcastToRoomClients("chat.message", data, data.room);
  }
}

let browser: Browser | undefined;
let listener: NodeListener | undefined;
const clients: TestClient[] = [];
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await browser?.close();
  await listener?.stop();
});

describe("admin dashboard in chromium", () => {
  test("log in, watch the numbers change, search, disconnect a client, broadcast; CSRF and offline checked", async () => {
    const logs = recordLogs();
    const server = createServer({ port: 0, logger: logs.logger, admin: { auth: AUTH } }).register(new Chat());
    listener = await serveNode(server, { port: 0, hostname: "127.0.0.1" });
    const origin = `http://127.0.0.1:${listener.port}`;
    browser = await launchChromium();

    // no or wrong credentials: refused (sent from here: chromium turns a refused login into a network error)
    const basic = (user: string, password: string) => ({ authorization: `Basic ${btoa(`${user}:${password}`)}` });
    for (const path of ["/admin", "/admin/api/state"])
      for (const headers of [
        {},
        basic("ops", "wrong"),
        basic("nobody", AUTH.password),
        { authorization: "Bearer s3cret-pass" },
      ]) {
        const response = await fetch(`${origin}${path}`, { headers });
        expect([path, response.status]).toEqual([path, 401]);
        if (!("authorization" in headers)) expect(response.headers.get("www-authenticate")?.startsWith("Basic ")).toBe(true);
        await response.text();
      }
    const ok = await fetch(`${origin}/admin/api/state`, { headers: basic(AUTH.username, AUTH.password) });
    expect(ok.status).toBe(200);
    await ok.json();

    const context = await browser.newContext({ httpCredentials: AUTH, viewport: { width: 1100, height: 800 } });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    const foreign: string[] = [];
    page.on("pageerror", (error) => pageErrors.push(error.message));
    page.on("request", (request) => {
      if (!request.url().startsWith(`${origin}/`)) foreign.push(request.url());
    });
    const loaded = await page.goto(`${origin}/admin`);
    expect(loaded?.status()).toBe(200);
    await page.waitForFunction(() => document.getElementById("connections")?.textContent === "0");

    // three clients connect, join rooms and chat: the dashboard follows
    for (const [name, room] of [
      ["alice", "lobby"],
      ["bob", "lobby"],
      ["carol", "kitchen"],
    ] as const) {
      const client = await TestClient.connect(`ws://127.0.0.1:${listener.port}/`);
      clients.push(client);
      client.emit("chat.join", { room, name });
      await client.nextEvent("chat.joined");
    }
    const [alice, bob, carol] = clients as [TestClient, TestClient, TestClient];
    // chat over several polls of the page, so its rate chart has a history to draw
    const polls = (): Promise<number> => page.evaluate(() => Number(document.body.dataset.updated));
    let sent = 0;
    for (let round = 1; round <= 6; round++) {
      const seen = await polls();
      await page.waitForFunction((n) => Number(document.body.dataset.updated) > n, seen);
      for (let i = 0; i < round * 2; i++, sent++) {
        alice.emit("chat.say", { room: "lobby", text: `hello ${sent}` });
        await bob.nextEvent("chat.message");
      }
    }
    await page.waitForFunction(() => document.getElementById("connections")?.textContent === "3");
    await page.waitForFunction((n) => Number(document.getElementById("received")?.textContent) >= n, sent + 3);
    await page.locator('#namespaces tr[data-namespace="/"]', { hasText: "lobby (2)" }).waitFor();
    await page.locator('#namespaces tr[data-namespace="/"]', { hasText: "kitchen (1)" }).waitFor();
    expect(await page.locator("#clients tr").count()).toBe(3);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: `${ARTIFACTS}/dashboard.png`, fullPage: true });

    // search: by room, then by data key value's key
    await page.fill("#search", "kitchen");
    await page.waitForFunction(() => document.querySelectorAll("#clients tr").length === 1);
    const [carolId] = (await server.getClientsInRoom("kitchen")) ? Object.keys(await server.getClientsInRoom("kitchen")) : [];
    expect(await page.getAttribute("#clients tr", "data-client-id")).toBe(carolId ?? null);
    await page.screenshot({ path: `${ARTIFACTS}/search.png`, fullPage: true });

    // disconnect carol from the page: audited, her socket closed by the server
    await page.click(`#clients tr[data-client-id="${carolId}"] button.disconnect`);
    expect(await carol.closed).toEqual({ code: 1008, reason: "Disconnected by an administrator" });
    await page.fill("#search", "");
    await page.waitForFunction(() => document.getElementById("connections")?.textContent === "2");
    expect(logs.lines.some((l) => l.level === "notice" && l.message === `Admin ops disconnected client ${carolId}`)).toBe(true);

    // broadcast a test message from the page: every client gets it, audited
    await page.fill("#bc-event", "admin.test");
    await page.fill("#bc-data", '{"text":"maintenance at noon"}');
    await page.click("#broadcast button");
    expect((await alice.nextEvent("admin.test")).data).toEqual({ text: "maintenance at noon" });
    expect((await bob.nextEvent("admin.test")).data).toEqual({ text: "maintenance at noon" });
    await page.locator("#notice", { hasText: "broadcast done" }).waitFor();
    expect(logs.lines.some((l) => l.level === "notice" && l.message === "Admin ops broadcast 'admin.test'")).toBe(true);

    // an action without the CSRF token is refused, even with the credentials the browser holds
    const forged = await page.evaluate(async () => {
      const res = await fetch("/admin/api/disconnect", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ clientId: "x" }),
      });
      return res.status;
    });
    expect(forged).toBe(403);
    const csp = loaded?.headers()["content-security-policy"] ?? "";
    expect(csp.includes("default-src 'none'")).toBe(true);
    expect(foreign).toEqual([]);
    expect(pageErrors).toEqual([]);
    await page.screenshot({ path: `${ARTIFACTS}/after-actions.png`, fullPage: true });
  }, 120000);
});
