/**
 * The chat page's script, bundled with the client by esbuild when the server starts. Typed by the shared
 * event map (`import type`: no server code is bundled).
 */
import { createClient, ServerError } from "../../client/index.ts";
import type { ChatEvents } from "./events.ts";

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const status = $<HTMLSpanElement>("status");
const log = $<HTMLUListElement>("log");
const rooms = $<HTMLSpanElement>("rooms");
const nameInput = $<HTMLInputElement>("name");
const roomInput = $<HTMLInputElement>("room");
const textInput = $<HTMLInputElement>("text");

const url = new URL("/", location.href);
url.protocol = location.protocol === "https:" ? "wss:" : "ws:";
const client = createClient<ChatEvents>(url, {
  reconnect: { delay: 250, maxDelay: 2000 },
  heartbeat: { interval: 5000, timeout: 5000 },
});

function line(text: string, kind: "message" | "system" | "error"): void {
  const li = document.createElement("li");
  li.className = kind;
  li.textContent = text;
  log.append(li);
  log.scrollTop = log.scrollHeight;
}

function showRooms(): void {
  rooms.textContent = client.rooms.map((r) => r.room).join(", ") || "none";
}

client.onStatus((state, detail) => {
  status.textContent = state === "reconnecting" ? `reconnecting (attempt ${detail.attempt})` : state;
  status.dataset.status = state;
  if (state === "reconnecting") line(`connection lost (${detail.code}); retrying in ${detail.delay} ms`, "system");
  if (state === "open" && detail.recovered) line("reconnected; session resumed", "system");
  else if (state === "open")
    line(`connected${client.rooms.length ? `; rejoining ${client.rooms.map((r) => r.room).join(", ")}` : ""}`, "system");
});
if (client.status === "open") status.dataset.status = status.textContent = "open";

client.on("chat.message", (m) => line(`[${m.room}] ${m.name}: ${m.text}`, "message"));
client.on("room_joined", (r) => line(`joined ${r.room}`, "system"));
client.on("error", (e) => line(`server error: ${e.message}`, "error"));

$<HTMLFormElement>("join").addEventListener("submit", async (event) => {
  event.preventDefault();
  try {
    await client.joinRoom(roomInput.value.trim());
  } catch (error) {
    line(String((error as Error).message), "error");
  }
  showRooms();
});

$<HTMLFormElement>("say").addEventListener("submit", async (event) => {
  event.preventDefault();
  const room = client.rooms.at(-1)?.room ?? roomInput.value.trim();
  const text = textInput.value;
  textInput.value = "";
  try {
    const result = await client.request("chat.say", { room, name: nameInput.value, text }, { timeout: 5000 });
    if ("error" in result) line(result.error, "error");
  } catch (error) {
    line(error instanceof ServerError ? `server: ${error.message}` : String((error as Error).message), "error");
  }
});
showRooms();
