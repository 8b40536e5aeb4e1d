/**
 * The AsyncAPI page of the chat demo (`asyncapi: true`) in Debian's chromium driven by playwright-core: the
 * renderer from node_modules draws the document offline (every request the page makes goes to our server).
 * A screenshot is written to artifacts/browser/asyncapi.png.
 */
import { mkdirSync } from "node:fs";
import type { Browser } from "playwright-core";
import { serve } from "../../adapters/serve.ts";
import { createChatServer } from "../../examples/chat/app.ts";
import type { Listener } from "../../src/index.ts";
import { recordLogs } from "../integration/support/servers.ts";
import { afterAll, describe, expect, test } from "../support/test.ts";
import { launchChromium } from "./chromium.ts";

const ARTIFACTS = "artifacts/browser";

let browser: Browser | undefined;
let listener: Listener | undefined;
afterAll(async () => {
  await browser?.close();
  await listener?.stop();
});

describe("AsyncAPI page in chromium", () => {
  test("renders the chat demo's document offline: its operations and message payloads are on the page", async () => {
    const server = createChatServer({ port: 0, host: "127.0.0.1", asyncapi: true, logger: recordLogs().logger });
    listener = await serve(server);
    const origin = `http://127.0.0.1:${listener.port}`;
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const foreign: string[] = [];
    const pageErrors: string[] = [];
    page.on("pageerror", (error) => pageErrors.push(error.message));
    // offline: anything not from our server is recorded and refused
    await page.route("**/*", (route) => {
      const url = route.request().url();
      if (url.startsWith(origin) || url.startsWith("data:")) return route.continue();
      foreign.push(url);
      return route.abort();
    });
    await page.goto(`${origin}/asyncapi`);
    // the renderer's own markup: an element per operation, drawn from the served document
    // (the renderer draws a receive operation that has a reply under an "operation-reply-" id)
    await page.locator('[id="operation-reply-receive_chat.say"]').waitFor();
    await page.locator('[id="operation-send-send_chat.message"]').waitFor();
    const text = (await page.textContent("#asyncapi")) ?? "";
    for (const expected of ["sockeon-ts server 1.0.0", "ws://127.0.0.1:", "join_room", "sockeon.ping", "delivered"])
      expect(text).toContain(expected);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: `${ARTIFACTS}/asyncapi.png`, fullPage: false });
    expect(pageErrors).toEqual([]);
    expect(foreign).toEqual([]);
  });
});
