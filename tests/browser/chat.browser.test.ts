/**
 * The chat demo in a real browser: Debian's chromium driven by playwright-core. Two pages join a room and
 * chat; the server restarts on the same port; both pages reconnect by themselves, get their room back and chat
 * again. A screenshot of each page is written to artifacts/browser/.
 */
import { mkdirSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { startChat } from "../../examples/chat/app.ts";
import type { Listener, SockeonServer } from "../../src/index.ts";
import { type SilentRelay, startRelay } from "../integration/support/proxy.ts";
import { recordLogs } from "../integration/support/servers.ts";
import { afterAll, describe, expect, test } from "../support/test.ts";
import { launchChromium } from "./chromium.ts";

const ARTIFACTS = "artifacts/browser";

async function chat(port = 0): Promise<{ server: SockeonServer; listener: Listener }> {
  return await startChat({ port, host: "127.0.0.1", logger: recordLogs().logger });
}

/** Opens the chat as `name`, waits for the connection and joins `room`. */
async function joinAs(page: Page, origin: string, name: string, room: string): Promise<void> {
  await page.goto(origin);
  await page.waitForSelector('#status[data-status="open"]');
  await page.fill("#name", name);
  await page.fill("#room", room);
  await page.click("#join button");
  await page.locator("#log li.system", { hasText: `joined ${room}` }).waitFor();
  expect(await page.textContent("#rooms")).toBe(room);
}

async function say(page: Page, text: string): Promise<void> {
  await page.fill("#text", text);
  await page.press("#text", "Enter");
}

let browser: Browser | undefined;
let listener: Listener | undefined;
let relay: SilentRelay | undefined;
afterAll(async () => {
  await browser?.close();
  await relay?.close();
  await listener?.stop();
});

async function launch(): Promise<Browser> {
  browser ??= await launchChromium();
  return browser;
}

describe("chat demo in chromium", () => {
  test("two pages chat in a room, survive a server restart with their room, and chat again", async () => {
    let served = await chat();
    listener = served.listener;
    const port = listener.port;
    const origin = `http://127.0.0.1:${port}/`;
    const context = await (await launch()).newContext({ viewport: { width: 720, height: 640 } });
    const alice = await context.newPage();
    const bob = await context.newPage();
    const pageErrors: string[] = [];
    for (const page of [alice, bob]) page.on("pageerror", (error) => pageErrors.push(error.message));

    await joinAs(alice, origin, "alice", "lobby");
    await joinAs(bob, origin, "bob", "lobby");
    expect(Object.keys(await served.server.getClientsInRoom("lobby"))).toHaveLength(2);
    await say(alice, "hello bob");
    await bob.locator("#log li.message", { hasText: "[lobby] alice: hello bob" }).waitFor();
    await say(bob, "hi alice");
    await alice.locator("#log li.message", { hasText: "[lobby] bob: hi alice" }).waitFor();

    // restart: every socket drops and the new server knows no rooms; the pages must restore them themselves
    await listener.stop();
    listener = undefined;
    served = await chat(port);
    listener = served.listener;
    for (const page of [alice, bob]) {
      await page.locator("#log li.system", { hasText: "connection lost" }).first().waitFor();
      await page.locator("#log li.system", { hasText: "connected; rejoining lobby" }).waitFor();
      await page.locator("#log li.system", { hasText: "joined lobby" }).nth(1).waitFor();
      await page.waitForSelector('#status[data-status="open"]');
    }
    expect(Object.keys(await served.server.getClientsInRoom("lobby"))).toHaveLength(2);
    await say(bob, "back after the restart");
    await alice.locator("#log li.message", { hasText: "[lobby] bob: back after the restart" }).waitFor();
    await say(alice, "welcome back");
    await bob.locator("#log li.message", { hasText: "[lobby] alice: welcome back" }).waitFor();
    expect(await alice.locator("#log li.error").count()).toBe(0);
    expect(pageErrors).toEqual([]);

    mkdirSync(ARTIFACTS, { recursive: true });
    await alice.screenshot({ path: `${ARTIFACTS}/chat-alice.png` });
    await bob.screenshot({ path: `${ARTIFACTS}/chat-bob.png` });
    await context.close();
    await listener.stop();
    listener = undefined;
  }, 120000);

  test("a network blip: the page resumes its session and shows every message it missed, once, in order", async () => {
    const served = await chat();
    listener = served.listener;
    const origin = `http://127.0.0.1:${listener.port}/`;
    relay = await startRelay(listener.port);
    const context = await (await launch()).newContext({ viewport: { width: 720, height: 640 } });
    const alice = await context.newPage(); // through the relay the test cuts
    const bob = await context.newPage();
    const pageErrors: string[] = [];
    for (const page of [alice, bob]) page.on("pageerror", (error) => pageErrors.push(error.message));
    await joinAs(alice, `http://127.0.0.1:${relay.port}/`, "alice", "lobby");
    await joinAs(bob, origin, "bob", "lobby");
    const members = Object.keys(await served.server.getClientsInRoom("lobby")).sort();

    relay.refuse = true; // the network stays down until the test says so
    relay.cut();
    await alice.locator("#log li.system", { hasText: "connection lost" }).waitFor();
    for (const text of ["missed one", "missed two", "missed three"]) await say(bob, text);
    await bob.locator("#log li.message", { hasText: "bob: missed three" }).waitFor();
    relay.refuse = false;
    await alice.locator("#log li.system", { hasText: "reconnected; session resumed" }).waitFor();
    await alice.locator("#log li.message", { hasText: "bob: missed three" }).waitFor();
    await say(bob, "after the blip");
    await alice.locator("#log li.message", { hasText: "bob: after the blip" }).waitFor();

    const messages = await alice.locator("#log li.message").allTextContents();
    expect(messages.filter((m) => m.includes("bob:"))).toEqual(
      ["missed one", "missed two", "missed three", "after the blip"].map((text) => `[lobby] bob: ${text}`),
    );
    // same session: same ids in the room, no rejoin, no error
    expect(Object.keys(await served.server.getClientsInRoom("lobby")).sort()).toEqual(members);
    expect(await alice.locator("#log li.system", { hasText: "joined lobby" }).count()).toBe(1);
    expect(await alice.locator("#log li.error").count()).toBe(0);
    expect(pageErrors).toEqual([]);
    mkdirSync(ARTIFACTS, { recursive: true });
    await alice.screenshot({ path: `${ARTIFACTS}/chat-alice-blip.png` });
    await context.close();
  }, 120000);
});
