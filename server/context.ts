import type { Config } from "./config";
import type { Database } from "./db";
import type { RoomRegistry } from "./collab/rooms";
import type { Loop } from "./loop";
import type { CoachingHub } from "./training/coachingHub";
import type { Cluster } from "./cluster";
import type { SessionUser } from "./auth/sessionUser";

/** The signed-in person (defined in a leaf module so the collaboration server need not import this one). */
export type { SessionUser };

/** What the composition root (createServices in app.ts) starts from. */
export type AppBase = {
  config: Config;
  database: Database;
  /** The collaboration rooms of the WebSocket server; absent in API-only tests (a registry on the database is made). */
  rooms?: RoomRegistry;
};

/**
 * Every service the HTTP app's routes use, built once by createServices (app.ts) and handed to each route factory.
 * Routes pass services the narrow part they need (a Db, the loop's deps), never this whole object.
 */
export type AppDeps = {
  config: Config;
  database: Database;
  /** The collaboration rooms, for server-side document writes (the CHAI loop). */
  rooms: RoomRegistry;
  /** The CHAI loop of this process: its deps (providers, spec), drafts and the revisions (one per task everywhere). */
  loop: Loop;
  /** Coaching events: the notes route publishes, the stream route subscribes; relayed to every process. */
  coaching: CoachingHub;
  /** This process's membership of the deployment (server/cluster): its bus, shared slots and presence. */
  cluster: Cluster;
};

export type AppEnv = {
  Variables: {
    user: SessionUser | null;
    /** Who sent the request, forwarded headers believed only from trusted proxies (server/auth/middleware.ts). */
    client: { address: string; https: boolean };
  };
};
