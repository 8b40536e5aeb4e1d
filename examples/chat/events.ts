/**
 * The chat's event map. The server imports it at run time (it names the controller's handler); the browser
 * code imports it with `import type`, so no server code reaches the page.
 */
import { defineEvents } from "../../client/index.ts";
import { ChatController } from "./chat-controller.ts";
import { ChatMessage, ChatSay, SayResult } from "./schemas.ts";

export const chatEvents = defineEvents({
  toServer: {
    "chat.say": { data: ChatSay, result: SayResult, handler: ChatController.prototype.say },
  },
  toClient: {
    "chat.message": ChatMessage,
  },
});

/** The map's type, for `createClient<ChatEvents>()`. */
export type ChatEvents = typeof chatEvents;
