import type { Config } from "./config";
import type { Database } from "./db";
import type { Role } from "../shared/domain";
import type { RoomRegistry } from "./collab/rooms";

/** The signed-in person, as the server knows them (never as the client claims). */
export type SessionUser = { id: string; email: string; displayName: string; role: Role };

/** Everything the HTTP app and its routes depend on; built once in main.ts (or by a test). */
export type AppDeps = {
  config: Config;
  database: Database;
  /** The collaboration rooms, for server-side document writes (the CHAI loop); absent in API-only tests. */
  rooms?: RoomRegistry;
};

export type AppEnv = {
  Variables: {
    user: SessionUser | null;
  };
};
