/** The chat's server side: one controller, rooms joined through the client's `joinRoom` (`join_room`). */
import * as v from "valibot";
import { SocketController, SocketOn } from "../../src/index.ts";
import { ChatSay } from "./schemas.ts";

/** What `chat.say` answers: how many members got the message, or why it was refused. */
export type SayResult = { delivered: number } | { error: string };

export class ChatController extends SocketController {
  @SocketOn("chat.say")
  async say(clientId: string, data: v.InferInput<typeof ChatSay>): Promise<SayResult> {
    const parsed = v.safeParse(ChatSay, data);
    if (!parsed.success) return { error: parsed.issues.map((issue) => issue.message).join("; ") };
    const { room, name, text } = parsed.output;
    if (!(await this.getClientRooms(clientId)).includes(room)) return { error: `join ${room} first` };
    this.broadcastToRoomClients("chat.message", { room, name, text, at: Math.floor(Date.now() / 1000), from: clientId }, room);
    return { delivered: Object.keys(await this.getClientsInRoom(room)).length };
  }
}
