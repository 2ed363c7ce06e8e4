import type { Server } from "node:http";
import type { Config } from "../config";
import type { Database } from "../db";
import { DbRoomAccess } from "./access";
import { PgStorage } from "./pgStorage";
import { LocalRelay, RedisRelay } from "./relay";
import { RoomRegistry, type Logger, type RoomsOptions } from "./rooms";
import { attachCollabUpgrade } from "./upgrade";

export { RoomRegistry } from "./rooms";
export { taskRoom } from "../../shared/collab/protocol";

/** Tuning a caller (tests, benchmark) may override; storage, relay and access come from config and database. */
export type CollabOptions = Pick<RoomsOptions, "limits" | "compaction" | "unloadDelayMs" | "writer">;

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
 * when REDIS_URL is set, access from the tasks table.
 */
export function createCollabServer(config: Config, database: Database, options: CollabOptions = {}): CollabServer {
  const log = makeLogger(config);
  const relay = config.redisUrl
    ? new RedisRelay(config.redisUrl, (err) => log("error", `collab: redis: ${String(err)}`))
    : new LocalRelay();
  const access = new DbRoomAccess(database.db);
  const rooms = new RoomRegistry({ ...options, storage: new PgStorage(database.db), relay, access, log });
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
