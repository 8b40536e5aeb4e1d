/** Helpers for cluster tests: clients that know their id and node, and request/answer calls through acks. */
import { TestClient } from "./client.ts";

/** A connected client with the id and node name from its `welcome` frame. */
export interface ChatClient {
  readonly client: TestClient;
  readonly id: string;
  readonly node: string;
}

let nextAckId = 1;

/** Connects to a node serving `ChatController` and reads its welcome frame. */
export async function join(url: string): Promise<ChatClient> {
  const client = await TestClient.connect(url);
  const welcome = await client.nextEvent("welcome");
  return { client, id: welcome.data.clientId as string, node: welcome.data.node as string };
}

/** Sends an event with an ack id and resolves with the handler's result (other frames before the ack are skipped). */
export async function call(client: TestClient, event: string, data: unknown = {}): Promise<any> {
  const id = nextAckId++;
  client.emit(event, data, id);
  const skipped: unknown[] = [];
  for (;;) {
    const frame = await client.next();
    if (frame.event === "ack" && frame.data.id === id) return frame.data.result;
    if (frame.event === "error" && frame.data?.id === id) throw new Error(`${event} failed: ${JSON.stringify(frame.data)}`);
    skipped.push(frame);
    if (skipped.length > 100) throw new Error(`no ack for ${event} within 100 frames`);
  }
}
