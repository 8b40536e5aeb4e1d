import { ConnectionLimits, resolveConnectionLimits } from "../../src/handshake/connection-limits.ts";
import { ConfigError, createServer } from "../../src/index.ts";
import { describe, expect, test } from "../support/test.ts";

describe("ConnectionLimits", () => {
  test("counts admitted handshakes against both caps and frees slots on close", async () => {
    const limits = new ConnectionLimits({ maxConnections: 3, maxConnectionsPerIp: 2 });
    expect(limits.admit("a", "10.0.0.1")).toBe(undefined);
    expect(limits.admit("b", "10.0.0.1")).toBe(undefined);
    const perIp = limits.admit("c", "10.0.0.1");
    expect(perIp?.status).toBe(429);
    expect(await perIp?.text()).toBe("Too many connections from this address");
    expect(limits.admit("d", "10.0.0.2")).toBe(undefined);
    const total = limits.admit("e", "10.0.0.3");
    expect(total?.status).toBe(503);
    expect(await total?.text()).toBe("Connection limit reached");
    limits.opened("a", "10.0.0.1");
    limits.closed("a");
    expect(limits.total).toBe(2);
    expect(limits.countFor("10.0.0.1")).toBe(1);
    // closing twice, or a client that never held a slot, changes nothing
    limits.closed("a");
    limits.closed("zzz");
    expect(limits.total).toBe(2);
  });

  test("a resume replacing its own half-open socket is not turned away by that socket's slot", () => {
    const limits = new ConnectionLimits({ maxConnections: 2, maxConnectionsPerIp: 1 });
    expect(limits.admit("a", "10.0.0.1")).toBe(undefined);
    limits.opened("a", "10.0.0.1");
    // another client from the same address is over the per-address cap
    expect(limits.admit("b", "10.0.0.1")?.status).toBe(429);
    // the same session resuming (its old socket still counted) takes the old socket's place
    expect(limits.admit("a", "10.0.0.1")).toBe(undefined);
    limits.closed("a"); // the engine retires the old socket
    limits.opened("a", "10.0.0.1");
    expect(limits.total).toBe(1);
    expect(limits.countFor("10.0.0.1")).toBe(1);
    // from another address the old slot still counts against maxConnections only
    expect(limits.admit("c", "10.0.0.2")).toBe(undefined);
    expect(limits.admit("d", "10.0.0.3")?.status).toBe(503);
  });

  test("an address-less client counts only against maxConnections", () => {
    const limits = new ConnectionLimits({ maxConnections: 2, maxConnectionsPerIp: 1 });
    expect(limits.admit("a", null)).toBe(undefined);
    expect(limits.admit("b", null)).toBe(undefined);
    expect(limits.admit("c", null)?.status).toBe(503);
  });

  test("options: defaults and errors naming the offending value", () => {
    const resolved = resolveConnectionLimits({});
    expect(resolved.maxConnections).toBe(10000);
    expect(resolved.maxConnectionsPerIp).toBe(null);
    expect(createServer().options.isTrustedProxy("127.0.0.1")).toBe(false);
    expect(createServer({ trustProxy: ["10.0.0.0/8"] }).options.isTrustedProxy("10.2.3.4")).toBe(true);
    expect(() => createServer({ maxConnections: 0 })).toThrow(ConfigError);
    expect(() => createServer({ maxConnections: 0 })).toThrow("Invalid server option maxConnections: 0");
    expect(() => createServer({ maxConnectionsPerIp: 1.5 })).toThrow("maxConnectionsPerIp: 1.5");
    expect(() => createServer({ trustProxy: ["10.0.0.0/33"] })).toThrow('"10.0.0.0/33"');
    expect(() => createServer({ trustProxy: "yes" as unknown as boolean })).toThrow('trustProxy: "yes"');
  });
});
