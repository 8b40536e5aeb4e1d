/**
 * Debian's chromium for the browser tests, driven by playwright-core: the machine's flags (no sandbox in
 * containers, nothing phoning home) and the binary, installed when missing and root, else a clear error.
 */
import process from "node:process";
import { type Browser, chromium } from "playwright-core";
import { requireBinary } from "../support/debian-package.ts";

const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Launches headless chromium (CHROMIUM_PATH overrides the binary). */
export function launchChromium(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? requireBinary("chromium", "chromium");
  return chromium.launch({ executablePath, headless: true, args: FLAGS });
}
