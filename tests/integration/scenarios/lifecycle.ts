/** Connect/disconnect handlers: what @OnDisconnect can still read, and what is freed after it. */
import { OnDisconnect, SocketController, SocketOn } from "../../../src/index.ts";
import { describe, expect, test } from "../../support/test.ts";
import type { Fixture } from "../support/fixture.ts";

class Farewell extends SocketController {
  @SocketOn("profile.set")
  setProfile(clientId: string, data: { name: string; room: string }): void {
    this.setClientData(clientId, "name", data.name);
    this.joinRoom(clientId, data.room);
    this.emit(clientId, "profile.saved", { clientId });
  }

  @OnDisconnect
  async farewell(clientId: string): Promise<void> {
    this.broadcast("user.gone", {
      clientId,
      name: await this.getClientData(clientId, "name"),
      data: await this.getClientData(clientId),
      rooms: await this.getClientRooms(clientId),
    });
  }
}

export function lifecycleScenarios(fx: Fixture): void {
  const { serve, connect, setup } = fx;

  describe(`${setup.name}: connect and disconnect handlers`, () => {
    test("@OnDisconnect still reads the leaving client's data and rooms; both are freed after it", async () => {
      const server = (await serve()).register(new Farewell());
      const a = await connect();
      const b = await connect();
      a.emit("profile.set", { name: "Ada", room: "lobby" });
      const { clientId } = (await a.next()).data;
      await a.close();
      expect(await b.next()).toEqual({
        event: "user.gone",
        data: { clientId, name: "Ada", data: { name: "Ada" }, rooms: ["lobby"] },
      });
      expect(await server.getClientData(clientId)).toBeNull();
      expect(await server.getClientData(clientId, "name")).toBeNull();
      expect(await server.getRooms()).toEqual([]);
    });
  });
}
