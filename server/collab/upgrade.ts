import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import { STATUS_CODES } from "node:http";
import { WebSocketServer, type WebSocket } from "ws";
import { ACK_PARAM, COLLAB_PATH_PREFIX, roomFromPath, taskIdOfRoom } from "../../shared/collab/protocol";
import { CLOSE } from "../../shared/collab/closeCodes";
import { colourForUser } from "../../shared/collab/presence";
import type { Config } from "../config";
import type { Db } from "../db";
import { isAllowedOrigin } from "../auth/origin";
import { batchedUserFromCookieHeader } from "../auth/sessionBatch";
import { UNAVAILABLE_RETRY_AFTER_SEC, unavailableCode } from "../http/unavailable";
import { existingOutageGate } from "../http/outageGate";
import { CollabConnection } from "./connection";
import { roomGrant, type RoomGrant, type TaskAccessFor, type TaskAccessLookup } from "./grant";
import type { SessionUser } from "../auth/sessionUser";
import type { LiveRoom, RoomRegistry } from "./rooms";
import { describeError } from "./logSafe";
import { WsSocket } from "./wsSocket";
import type { LogFields } from "../observability/logger";
import { joinsRefused } from "../observability/metrics";

/** A join let in: its standing, its connection slot and its room (held until attached or given back). */
type Admitted = { grant: RoomGrant; slot: { release(): void }; loaded: LiveRoom; tAccess: number; tAuth: number };

/**
 * `draining`: the process is shutting down; joins are refused (503, retry at once) so clients go to another process.
 */
type UpgradeDeps = { config: Config; db: Db; access: TaskAccessLookup; registry: RoomRegistry; draining?: () => boolean };

/** Close code "service restart": the stock client reconnects, through the balancer, elsewhere. */
export const SERVICE_RESTART = CLOSE.SERVICE_RESTART;

/** A JSON error as a raw HTTP response on the upgrade socket: the WebSocket is never opened. */
function reject(socket: Duplex, status: number, code: string, message: string, retryAfterSec?: number): void {
  if (socket.destroyed) return;
  const body = JSON.stringify({ error: { code, message } });
  const retry = retryAfterSec === undefined ? "" : `Retry-After: ${retryAfterSec}\r\n`;
  socket.once("finish", () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ""}\r\nConnection: close\r\nContent-Type: application/json\r\n${retry}` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

type Settled<T> = Promise<{ ok: true; value: T } | { ok: false; error: unknown }>;

/** A promise's outcome as a value: work started ahead that a refused join never awaits cannot reject unhandled. */
function settle<T>(work: Promise<T>): Settled<T> {
  return work.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

/**
 * Attaches the collaboration endpoint to the HTTP server. Everything is decided before the WebSocket handshake:
 * path (404), session cookie (401), Origin and task access (403), connection bounds (429/503), room load (503).
 */
export function attachCollabUpgrade(
  httpServer: Server,
  deps: UpgradeDeps,
): { wss: WebSocketServer; closeAll(code: number, reason: string): void; detach(): void } {
  const { registry } = deps;
  /** A refused join: counted by code, logged with what is known (503s at debug: an outage is logged once, as such). */
  const refuse = (socket: Duplex, status: number, code: string, message: string, retryAfterSec?: number, fields: LogFields = {}) => {
    joinsRefused.inc({ code });
    registry.log(status === 503 ? "debug" : "info", "collab: join refused", { code, status, ...fields });
    reject(socket, status, code, message, retryAfterSec);
  };
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: registry.limits.maxMessageBytes,
    perMessageDeflate: false,
  });

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on("error", () => socket.destroy());
    void handle(req, socket, head).catch((err: unknown) => {
      // The database is down (session or access lookup): a retryable 503, logged by code only (no query values).
      const outage = unavailableCode(err);
      if (outage) {
        existingOutageGate(deps.db)?.markDown();
        registry.log("error", `collab: join refused, database unavailable: ${outage}`, { code: outage });
        return refuse(socket, 503, "unavailable", "the database cannot be reached right now; try again shortly", UNAVAILABLE_RETRY_AFTER_SEC);
      }
      registry.log("error", `collab: upgrade failed: ${describeError(err)}`);
      refuse(socket, 500, "internal", "could not open the room");
    });
  };

  /**
   * Access, bounds and the room for a verified person, or undefined once a refusal is sent. The room loads while
   * access and bounds are checked (only for a signed-in person from an allowed origin); a refused join gives it back.
   */
  async function admit(socket: Duplex, user: SessionUser, room: string, accessRead: Settled<TaskAccessFor>): Promise<Admitted | undefined> {
    const who = { room, userId: user.id };
    const loading = settle(registry.acquire(room));
    let handedOver = false;
    try {
      const read = await accessRead;
      if (!read.ok) throw read.error;
      const access = read.value(user);
      if (!access) return void refuse(socket, 403, "forbidden", "you have no access to this task", undefined, who);
      const tAccess = performance.now();
      // The bounds count this person's and this room's connections on every process (server/cluster), joins in
      // progress included; the slot is given back when the connection ends or the join fails.
      const slot = await registry.slots.take(user.id, room);
      if (!slot.ok && slot.full === "user") {
        return void refuse(socket, 429, "too_many_connections", "too many open rooms for this user", undefined, who);
      }
      if (!slot.ok) return void refuse(socket, 503, "room_full", "this room has too many participants", undefined, who);
      const tAuth = performance.now();
      const outcome = await loading;
      if (!outcome.ok) {
        slot.release();
        registry.log("error", `collab: loading ${room} failed: ${describeError(outcome.error)}`, who);
        return void refuse(socket, 503, "room_unavailable", "the room could not be loaded; try again", UNAVAILABLE_RETRY_AFTER_SEC, who);
      }
      handedOver = true;
      return { grant: roomGrant(access), slot, loaded: outcome.value, tAccess, tAuth };
    } finally {
      if (!handedOver) void loading.then((r) => r.ok && registry.release(r.value));
    }
  }

  async function handle(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const t0 = performance.now();
    const url = new URL(req.url ?? "/", "http://localhost");
    if (!url.pathname.startsWith(COLLAB_PATH_PREFIX) && httpServer.listenerCount("upgrade") > 1) return; // someone else's
    const room = roomFromPath(url.pathname);
    if (!room) return refuse(socket, 404, "not_found", "no such room; rooms are /collab/task:<taskId>");
    // Shutting down: another process takes the join (the client retries at once, through the balancer).
    if (deps.draining?.()) return refuse(socket, 503, "restarting", "this server is restarting; try again", 1, { room });
    if (existingOutageGate(deps.db)?.isDown) {
      return refuse(socket, 503, "unavailable", "the database cannot be reached right now; try again shortly", UNAVAILABLE_RETRY_AFTER_SEC, { room });
    }
    // The task's access facts are read while the session is looked up, both batched with concurrent upgrades (a few
    // statements for a connection storm) and never cached; nothing is answered before the session is verified.
    const accessRead = settle(deps.access(taskIdOfRoom(room)!));
    const user = await batchedUserFromCookieHeader(deps.db, req.headers.cookie);
    const tSession = performance.now();
    if (!user) return refuse(socket, 401, "unauthorized", "sign in first: no valid session cookie", undefined, { room });
    const who = { room, userId: user.id };
    if (!isAllowedOrigin(deps.config, req.headers.origin, req.headers.host)) {
      return refuse(socket, 403, "forbidden_origin", "this origin may not open collaboration rooms", undefined, who);
    }
    const admitted = await admit(socket, user, room, accessRead);
    if (!admitted) return;
    const { grant, slot, loaded, tAccess, tAuth } = admitted;
    if (socket.destroyed) {
      slot.release();
      return registry.release(loaded);
    }
    registry.log("debug", `collab: join ${room}: auth ${(tAuth - t0).toFixed(1)} ms (session ${(tSession - t0).toFixed(1)}, access ${(tAccess - tSession).toFixed(1)}), room ready ${(performance.now() - tAuth).toFixed(1)} ms later`, who);
    let attached = false;
    // A handshake that ws rejects (bad key, version) never reaches the callback: give the room and the slot back.
    socket.once("close", () => {
      if (attached) return;
      slot.release();
      registry.release(loaded);
    });
    wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      attached = true;
      const wsSocket = new WsSocket(ws);
      const conn = new CollabConnection(
        wsSocket,
        loaded,
        { ...grant, user, wantsAcks: url.searchParams.get(ACK_PARAM) === "1" },
        { id: user.id, name: user.displayName, role: user.role, relation: grant.relation, colour: colourForUser(user.id) },
        registry,
      );
      wsSocket.listen({
        message: (data, isBinary) => conn.receive(data, isBinary),
        closed: () => {
          conn.socketClosed();
          registry.detach(conn);
          slot.release();
        },
      });
      registry.attach(conn);
      registry.release(loaded);
    });
  }

  httpServer.on("upgrade", onUpgrade);
  return {
    wss,
    closeAll(code, reason) {
      for (const client of wss.clients) client.close(code, reason);
    },
    detach() {
      httpServer.off("upgrade", onUpgrade);
      for (const client of wss.clients) client.terminate();
      wss.close();
    },
  };
}
