/**
 * TLS on every runtime: `serve(server, { tls: { cert, key } })` with a self-signed certificate made by openssl
 * for 127.0.0.1. The client trusts only that certificate (`ca`), so a plain-text or wrongly certified server
 * fails the handshake; over wss a request gets its ack, and over https a `{param}` route answers.
 */
import { execFileSync } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { WebSocket } from "ws";
import { afterAll, describe, expect, test } from "../support/test.ts";
import { RUNTIMES, spawnExample, stopExample } from "./support/example-process.ts";

const dir = mkdtempSync(join(tmpdir(), "sockeon-tls-"));
const certFile = join(dir, "cert.pem");
const keyFile = join(dir, "key.pem");
execFileSync(
  "openssl",
  [
    ...["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1"],
    ...["-keyout", keyFile, "-out", certFile, "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
  ],
  { stdio: "ignore" },
);
const ca = readFileSync(certFile, "utf8");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Starts the TLS server under `command`; resolves with its wss:// URL (bounded wait: 20 s). */
async function start(command: string[]) {
  const child = spawnExample(command, "tests/integration/support/tls-server.ts", { TLS_CERT: certFile, TLS_KEY: keyFile });
  let output = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the TLS server did not start within 20 s:\n${output}`)), 20000);
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /(wss:\/\/[\d.]+:\d+\/)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1] as string);
      }
    });
    child.stderr?.on("data", (c: Buffer) => (output += c.toString()));
    child.on("exit", (code) => reject(new Error(`the TLS server exited with ${code}:\n${output}`)));
  });
  return { url, child };
}

/** One request over wss, trusting only the test certificate: resolves with the ack frame. */
async function wssRoundTrip(url: string): Promise<unknown> {
  const socket = new WebSocket(url, { ca });
  await once(socket, "open");
  const reply = once(socket, "message");
  socket.send(JSON.stringify({ event: "echo", data: { text: "hi" }, id: 1 }));
  const [data] = (await reply) as [Buffer];
  socket.close();
  return JSON.parse(data.toString());
}

function httpsGet(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request(url, { ca }, (res) => {
      let body = "";
      res.on("data", (c: Buffer) => (body += c.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    })
      .on("error", reject)
      .end();
  });
}

describe("serve() with tls", () => {
  for (const [name, command] of RUNTIMES) {
    test(`${name}: wss round trip and an https {param} route with a self-signed certificate`, async () => {
      const { url, child } = await start(command);
      try {
        expect(await wssRoundTrip(url)).toEqual({ event: "ack", data: { id: 1, result: { text: "HI" } } });
        const https = url.replace(/^wss:/, "https:");
        expect(await httpsGet(`${https}hello/ada`)).toEqual({ status: 200, body: '{"hello":"ada"}' });
      } finally {
        await stopExample(child);
      }
    }, 60000);
  }
});
