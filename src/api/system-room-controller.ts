import { LimitError } from "../common/errors.ts";
import { DEFAULT_NAMESPACE } from "../engine/namespaces.ts";
import { unixTime } from "../protocol/protocol.ts";
import { SockeonApi } from "./compat.ts";
import { SocketOn } from "./decorators.ts";

type RoomRequest = { room?: unknown; namespace?: unknown };

/**
 * Sockeon's built-in `join_room`/`leave_room` events, used by Sockeon's JS client. Registered unless
 * `registerSystemControllers: false`. Answers `room_joined`/`room_left {room, namespace, timestamp}`.
 */
export class SystemRoomController extends SockeonApi {
  @SocketOn("join_room")
  handleJoinRoom(clientId: string, data: RoomRequest): void {
    const target = this.#target(clientId, "join_room", data);
    if (!target || !this.#within(clientId, "join_room", () => this.joinRoom(clientId, target.room, target.namespace))) return;
    this.emit(clientId, "room_joined", { ...target, timestamp: unixTime() });
  }

  @SocketOn("leave_room")
  handleLeaveRoom(clientId: string, data: RoomRequest): void {
    const target = this.#target(clientId, "leave_room", data);
    if (!target || !this.#within(clientId, "leave_room", () => this.leaveRoom(clientId, target.room, target.namespace))) return;
    this.emit(clientId, "room_left", { ...target, timestamp: unixTime() });
  }

  /** Runs `change`; over a per-client bound (name, rooms) the client gets Sockeon's error frame naming it. */
  #within(clientId: string, event: string, change: () => void): boolean {
    try {
      change();
      return true;
    } catch (error) {
      if (!(error instanceof LimitError)) throw error;
      this.emit(clientId, "error", { message: error.message, event, timestamp: unixTime() });
      return false;
    }
  }

  #target(clientId: string, event: string, data: RoomRequest): { room: string; namespace: string } | undefined {
    const { room, namespace = DEFAULT_NAMESPACE } = data as RoomRequest;
    if (typeof room !== "string" || room.length === 0) {
      this.emit(clientId, "error", { message: "Invalid room name", event, timestamp: unixTime() });
      return undefined;
    }
    if (typeof namespace !== "string" || namespace.length === 0) {
      this.emit(clientId, "error", { message: "Invalid namespace", event, timestamp: unixTime() });
      return undefined;
    }
    return { room, namespace };
  }
}
