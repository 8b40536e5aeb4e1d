/** Controllers the scenarios drive: echo, failing handlers, acks, ordered bursts, a second OnConnect. */
import { OnConnect, SocketController, SocketOn } from "../../../src/index.ts";

export class ProbeController extends SocketController {
  @SocketOn("echo")
  echo(clientId: string, data: unknown): unknown {
    this.emit(clientId, "echo", data);
    return data;
  }

  @SocketOn("boom")
  boom(): never {
    throw new Error("handler failed on purpose");
  }

  @SocketOn("boom.async")
  async boomAsync(): Promise<never> {
    await Promise.resolve();
    throw new Error("async handler failed on purpose");
  }

  @SocketOn("sum")
  async sum(_clientId: string, data: { a: number; b: number }): Promise<number> {
    await Promise.resolve();
    return data.a + data.b;
  }

  @SocketOn("burst")
  burst(clientId: string, data: { count: number }): void {
    for (let i = 0; i < data.count; i++) this.emit(clientId, "seq", { i });
    this.disconnect(clientId, 4000, "burst done");
  }
}

export class ExtraConnect extends SocketController {
  @OnConnect
  second(clientId: string): void {
    this.emit(clientId, "second.connect", { clientId });
  }
}
