import type { Config } from "./config";
import type { Database } from "./db";
import type { Role } from "../shared/domain";

/** The signed-in person, as the server knows them (never as the client claims). */
export type SessionUser = { id: string; email: string; displayName: string; role: Role };

/** Everything the HTTP app and its routes depend on; built once in main.ts (or by a test). */
export type AppDeps = {
  config: Config;
  database: Database;
};

export type AppEnv = {
  Variables: {
    user: SessionUser | null;
  };
};
