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
import { attachCollabUpgrade } from "./upgrade";

export { RoomRegistry } from "./rooms";
export { taskRoom } from "../../shared/collab/protocol";

/** Tuning a caller (tests, benchmark) may override; storage, relay and access come from config and database. */
export type CollabOptions = Pick<RoomsOptions, "limits" | "compaction" | "unloadDelayMs" | "writer" | "log">;

/** What the composition root provides: the task policy (who may enter a room, with which abilities). */
export type CollabWiring = { access: TaskAccessLookup };

export type { TaskAccessLookup } from "./grant";

export type CollabServer = {
  rooms: RoomRegistry;
  /** Starts answering WebSocket upgrades on /collab/… of this HTTP server. */
  attach(httpServer: Server): void;
  close(): Promise<void>;
};

function makeLogger(config: Config): Logger {
  const order = { silent: 0, error: 1, info: 2, debug: 3 } as const;
  const max = order[config.logLevel];
  return (level, msg) => {
    if (order[level] <= max) console.error(msg);
  };
}

/**
 * The collaboration server of one process: rooms registry on PostgreSQL (doc_updates / doc_snapshots), Redis relay
 * when REDIS_URL is set, access from the task policy the composition root hands in.
 */
export function createCollabServer(config: Config, database: Database, options: CollabOptions & CollabWiring): CollabServer {
  const { access, ...tuning } = options;
  const log = tuning.log ?? makeLogger(config);
  const relay = config.redisUrl
    ? new RedisRelay(config.redisUrl, (err) => log("error", `collab: redis: ${String(err)}`))
    : new LocalRelay();
  const rooms = new RoomRegistry({ ...tuning, storage: new PgStorage(database.db), relay, access, log });
  let upgrade: ReturnType<typeof attachCollabUpgrade> | undefined;
  return {
    rooms,
    attach(httpServer) {
      upgrade = attachCollabUpgrade(httpServer, { config, db: database.db, access, registry: rooms });
    },
    async close() {
      // Connections first (with GOING_AWAY), then the log drains, then the sockets that are left go.
      await rooms.close();
      upgrade?.detach();
    },
  };
}
