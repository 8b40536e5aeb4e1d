/** Client addresses: every setup passes the socket's peer address to the core (the Hono middleware via getConnInfo). */
import { describe, expect, test } from "../../support/test.ts";
import type { Fixture } from "../support/fixture.ts";
import { ProbeController } from "./probe-controller.ts";

export function clientAddressScenarios(fx: Fixture): void {
  const { serve, connect, setup } = fx;

  describe(`${setup.name}: client addresses`, () => {
    test("getClientIp gives the peer's address; unknown clients give null", async () => {
      const server = (await serve()).register(new ProbeController());
      const a = await connect();
      a.emit("echo", {});
      await a.next();
      const [id] = Object.keys(await server.getAllClients());
      expect(await server.getClientIp(id as string)).toBe("127.0.0.1");
      expect(await server.getClientIp("nobody")).toBeNull();
    });
  });
}
