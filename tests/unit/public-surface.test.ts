/** The main entry holds what applications write code with; internals stay unexported (issue 12). */
import { readFileSync } from "node:fs";
import * as extend from "../../src/extend.ts";
import * as main from "../../src/index.ts";
import { describe, expect, test } from "../support/test.ts";

/** The names an entry file re-exports, values and types alike, read from its `export {...}` statements. */
function exportedNames(file: string): string[] {
  const source = readFileSync(new URL(`../../src/${file}`, import.meta.url), "utf8");
  const names: string[] = [];
  for (const match of source.matchAll(/export\s+(?:type\s+)?\{([^}]*)\}\s+from/g))
    for (const part of (match[1] as string).split(",")) {
      const name = part.trim().replace(/^type\s+/, "");
      if (name) names.push(name);
    }
  return names;
}

describe("public surface", () => {
  test("the main entry exports at most 50 names, types included, and re-exports only", () => {
    const names = exportedNames("index.ts");
    expect(names.length).toBeLessThanOrEqual(50);
    expect(new Set(names).size).toBe(names.length);
    const source = readFileSync(new URL("../../src/index.ts", import.meta.url), "utf8");
    const statements = source.split("\n").filter((line) => /^(export|import|const|let|function|class)\b/.test(line));
    expect(statements.every((line) => /^export (type )?\{/.test(line) || line.startsWith("export {"))).toBe(true);
    // every runtime value the module has is one of the listed names
    for (const key of Object.keys(main)) expect({ key, listed: names.includes(key) }).toEqual({ key, listed: true });
  });

  test("internals are not exported from the main entry", () => {
    for (const internal of [
      "Session",
      "composeChain",
      "runChain",
      "REPLIED",
      "decodeFrame",
      "encodeFrame",
      "parseEnvelope",
      "ENVELOPE_VERSION",
      "runHandshake",
      "MemoryBus",
      "Engine",
      "Dispatcher",
      "bindApi",
      "hostOf",
    ])
      expect({ internal, exported: internal in main }).toEqual({ internal, exported: false });
  });

  test("sockeon-ts/extend gives adapter, broker and store authors their contracts", () => {
    for (const name of ["hostOf", "isUpgrade", "MemoryBroker", "MemoryStore", "SHUTDOWN_CLOSE", "reject", "REPLIED"])
      expect({ name, exported: name in extend }).toEqual({ name, exported: true });
    const types = exportedNames("extend.ts");
    for (const name of ["Host", "Connection", "SocketHandle", "Ticket", "Broker"])
      expect({ name, exported: types.includes(name) }).toEqual({ name, exported: true });
  });
});
