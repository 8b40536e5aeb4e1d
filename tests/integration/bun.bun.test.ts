import { serveBun } from "../../adapters/bun.ts";
import { describe, expect, test } from "../support/test.ts";
import { scenarioSuite } from "./scenarios/index.ts";
import { testServer } from "./support/servers.ts";

scenarioSuite({ name: "bun", listen: async (server, port = 0) => serveBun(server, { port, hostname: "127.0.0.1" }) });

describe("bun: Bun's own WebSocket settings pass through serveBun", () => {
  test("perMessageDeflate is negotiated when passed, absent by default", async () => {
    for (const [websocket, expected] of [
      [{ perMessageDeflate: true }, true],
      [undefined, false],
    ] as const) {
      const listener = serveBun(testServer(), { port: 0, hostname: "127.0.0.1", websocket });
      try {
        const ws = new WebSocket(`ws://127.0.0.1:${listener.port}/`);
        await new Promise((resolve, reject) => {
          ws.onopen = resolve;
          ws.onerror = reject;
        });
        expect(ws.extensions.includes("permessage-deflate")).toBe(expected);
        ws.close();
      } finally {
        await listener.stop();
      }
    }
  });
});
