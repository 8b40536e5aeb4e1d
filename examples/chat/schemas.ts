/** The chat's payload schemas (valibot), shared by the server's checks and the client's types. */
import * as v from "valibot";

/** A room name: what `joinRoom` sends and `chat.say` names. */
export const RoomName = v.pipe(v.string(), v.trim(), v.minLength(1, "a room name is required"), v.maxLength(40));

/** `chat.say`: one message to a room the sender is in. */
export const ChatSay = v.object({
  room: RoomName,
  name: v.pipe(v.string(), v.trim(), v.minLength(1, "a name is required"), v.maxLength(32)),
  text: v.pipe(v.string(), v.trim(), v.minLength(1, "say something"), v.maxLength(500)),
});

/** `chat.message`: what every member of the room receives. */
export const ChatMessage = v.object({ room: v.string(), name: v.string(), text: v.string(), at: v.number(), from: v.string() });

/** What `chat.say` answers (its ack result): how many members got the message, or why it was refused. */
export const SayResult = v.union([v.object({ delivered: v.number() }), v.object({ error: v.string() })]);
