/**
 * `npm start`: the chat demo. Open the printed http:// address in two tabs, join a room in each and chat.
 * Runs unchanged with `bun`, `deno run -A` and `npx tsx`. PORT (default 6001) and HOST (default 127.0.0.1).
 */
import process from "node:process";
import { startChat } from "./app.ts";

const { listener } = await startChat({ port: Number(process.env.PORT ?? 6001), host: process.env.HOST ?? "127.0.0.1" });
const origin = `${listener.hostname}:${listener.port}`;
console.log(`sockeon-ts chat on http://${origin}/ - WebSocket ws://${origin}/`);
