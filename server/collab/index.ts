/**
 * The collaboration server. Frames are encoded and decoded in shared/collab/protocol.ts only. Here, one concern a file:
 *   index.ts        this composition: registry + storage + relay + upgrade, access injected by the app
 *   upgrade.ts      the HTTP upgrade: path, session, origin, access, bounds, then a connection over a WsSocket
 *   wsSocket.ts     the ws adapter of the CollabSocket interface (socket.ts) the rest of the code talks to
 *   connection.ts   one client in one room: the y-websocket exchange, SAVED/REFUSED/ABILITIES, the write queue bound
 *   writeGate.ts    authority per field: each client update is judged on a shadow copy before the room applies it
 *   floodGuard.ts   per-connection rate limit;  awarenessStamp.ts  server-stamped presence identity
 *   room.ts         a loaded room: document, presence, members;  rooms.ts  the registry (load, unload, server writes)
 *   persistence.ts  group commit (groupCommit.ts), SAVED after commit, compaction;  storage/pgStorage/memoryStorage
 *   relay.ts        pub/sub between processes;  peerSync.ts  applying peers' messages to a room
 *   peerWrites.ts   peers' relayed updates held until their origin commits them (written here if it falls silent)
 *   logSafe.ts      errors in words for the log, never the document bytes a driver error repeats
 *   grant.ts        what the task policy answers;  revalidation.ts  re-checking connections after a task change
 */
import type { Server } from "node:http";
import type { Config } from "../config";
import type { Database } from "../db";
import type { TaskAccessLookup } from "./grant";
import { PgStorage } from "./pgStorage";
import { LocalRelay, RedisRelay } from "./relay";
import { RoomRegistry, type Logger, type RoomsOptions } from "./rooms";
import { SERVICE_RESTART, attachCollabUpgrade } from "./upgrade";
import { loggerFor, type Logger as PinoLogger } from "../observability/logger";
import { registerCollabSource } from "../observability/metrics";

export { RoomRegistry } from "./rooms";
export { taskRoom } from "../../shared/collab/protocol";

/** Tuning a caller (tests, benchmark) may override; storage, relay and access come from config and database. */
export type CollabOptions = Pick<RoomsOptions, "limits" | "compaction" | "unloadDelayMs" | "writer" | "log">;

/**
 * What the composition root provides: the task policy (who may enter a room, with which abilities), and the
 * process's structured logger (the configuration's when absent; `log` in the tuning overrides both).
 */
export type CollabWiring = { access: TaskAccessLookup; logger?: PinoLogger };

export type { TaskAccessLookup } from "./grant";

export type CollabServer = {
  rooms: RoomRegistry;
  /** Starts answering WebSocket upgrades on /collab/… of this HTTP server. */
  attach(httpServer: Server): void;
  /** Shutting down: new joins are refused (503) from now on; open rooms carry on until close(). */
  drain(): void;
  /**
   * Closes every room socket with 1012 (service restart: clients reconnect elsewhere), flushes the log (waiting at
   * most timeoutMs), stops.
   */
  close(timeoutMs?: number): Promise<void>;
};

/** The collaboration log onto the structured logger: one line per event, its ids and counts as fields. */
function makeLogger(logger: PinoLogger): Logger {
  const collab = logger.child({ component: "collab" });
  return (level, msg, fields) => collab[level](fields ?? {}, msg);
}

/**
 * The collaboration server of one process: rooms registry on PostgreSQL (doc_updates / doc_snapshots), Redis relay
 * when REDIS_URL is set, access from the task policy the composition root hands in.
 */
export function createCollabServer(config: Config, database: Database, options: CollabOptions & CollabWiring): CollabServer {
  const { access, logger, ...tuning } = options;
  const log = tuning.log ?? makeLogger(logger ?? loggerFor(config));
  const relay = config.redisUrl
    ? new RedisRelay(config.redisUrl, (err) => log("error", `collab: redis: ${String(err)}`))
    : new LocalRelay();
  const rooms = new RoomRegistry({ ...tuning, storage: new PgStorage(database.db, database.appendDb), relay, access, log });
  let upgrade: ReturnType<typeof attachCollabUpgrade> | undefined;
  let draining = false;
  const unregister = registerCollabSource({
    connections: () => rooms.totalConnections(),
    roomsLoaded: () => rooms.loadedRooms().length,
    pendingWrites: () => rooms.pendingWrites,
  });
  return {
    rooms,
    attach(httpServer) {
      upgrade = attachCollabUpgrade(httpServer, { config, db: database.db, access, registry: rooms, draining: () => draining });
    },
    drain() {
      draining = true;
    },
    async close(timeoutMs?: number) {
      draining = true;
      // Connections first (1012: the client reconnects at once, to another process), then the log drains (bounded),
      // then the sockets that are left go.
      upgrade?.closeAll(SERVICE_RESTART, "service restart");
      await rooms.close(timeoutMs);
      upgrade?.detach();
      unregister();
    },
  };
}
