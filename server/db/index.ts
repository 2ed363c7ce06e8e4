import fs from "node:fs";
import { sql } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import * as schema from "./schema";
import { isFreshDataDir, readTemplate } from "./pgliteTemplate";
import { acquireDataDirLock, type DataDirLock, type LockHolder } from "./dataDirLock";
import { fromRoot } from "../repoRoot";

export type Schema = typeof schema;
/** The one database type the app uses, whichever driver is behind it. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type DatabaseKind = "pglite" | "postgres";

export type Database = {
  db: Db;
  kind: DatabaseKind;
  /** Answers true when a trivial query succeeds. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
  /**
   * PostgreSQL: a connection of its own for the collaboration log's appends, so acknowledging an edit never waits
   * behind the pool's reads (a storm of joins queues a thousand of them). PGlite has one connection: absent.
   */
  appendDb?: Db;
  /** The lock on the embedded data folder (PGlite on disk only); released by close. */
  dataDirLock?: DataDirLock;
};

export const MIGRATIONS_DIR = fromRoot("migrations");

export type OpenOptions =
  | { kind: "postgres"; url: string; max?: number }
  /**
   * dataDir undefined = in memory (tests). On disk the folder is locked for this process (holder: who we are, shown
   * to a refused opener; default a server): a second opener gets DataDirLockedError before anything is written.
   */
  | { kind: "pglite"; dataDir: string | undefined; holder?: LockHolder };

/** Opens the database and applies pending migrations. One module opens it; everything else receives a Database. */
export async function openDatabase(opts: OpenOptions): Promise<Database> {
  const database = opts.kind === "postgres" ? await openPostgres(opts.url, opts.max) : await openPglite(opts.dataDir, opts.holder);
  return database;
}

/**
 * Every postgres.js client of the app. fetch_types off: the array-type fetch it runs on each new connection rejects
 * unhandled when that connection resets mid-way, which took the process down in a database restart; arrays travel
 * as literals instead (db/arrayParam.ts).
 */
export const POSTGRES_OPTIONS = { onnotice: () => {}, fetch_types: false } as const;

async function openPostgres(url: string, max = 10): Promise<Database> {
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const { migrate } = await import("drizzle-orm/postgres-js/migrator");
  // Migrations through their own single connection, as postgres.js recommends.
  const migrationClient = postgres(url, { max: 1, ...POSTGRES_OPTIONS });
  try {
    await migrate(drizzle(migrationClient), { migrationsFolder: MIGRATIONS_DIR });
  } finally {
    await migrationClient.end();
  }
  const client = postgres(url, { max, ...POSTGRES_OPTIONS });
  const db = drizzle(client, { schema }) as unknown as Db;
  const appendClient = postgres(url, { max: 1, ...POSTGRES_OPTIONS });
  return {
    db,
    kind: "postgres",
    appendDb: drizzle(appendClient, { schema }) as unknown as Db,
    ping: () => pingDb(db),
    close: async () => {
      await Promise.all([client.end({ timeout: 5 }), appendClient.end({ timeout: 5 })]);
    },
  };
}

async function openPglite(dataDir: string | undefined, holder: LockHolder = { role: "server" }): Promise<Database> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  const { migrate } = await import("drizzle-orm/pglite/migrator");
  // Before PGlite touches the folder: a refused opener must not even run migrations on it.
  const lock = dataDir ? acquireDataDirLock(dataDir, holder) : undefined;
  let client: InstanceType<typeof PGlite> | undefined;
  try {
    if (dataDir) fs.mkdirSync(dataDir, { recursive: true });
    // A new folder starts from the build's template cluster when there is one (pgliteTemplate.ts).
    const template = dataDir && isFreshDataDir(dataDir) ? readTemplate(MIGRATIONS_DIR) : null;
    client = dataDir ? new PGlite(dataDir, template ? { loadDataDir: template } : {}) : new PGlite();
    await client.waitReady;
    const opened = client;
    const pdb = drizzle(opened, { schema });
    await migrate(pdb, { migrationsFolder: MIGRATIONS_DIR });
    const db = pdb as unknown as Db;
    return {
      db,
      kind: "pglite",
      ping: () => pingDb(db),
      // The lock outlives the close: released only once PGlite has flushed the folder.
      close: () => opened.close().finally(() => lock?.release()),
      dataDirLock: lock,
    };
  } catch (err) {
    // A failed start (a migration, say) leaves neither an open folder nor a lock behind.
    await client?.close().catch(() => {});
    lock?.release();
    throw err;
  }
}

async function pingDb(db: Db): Promise<boolean> {
  try {
    await db.execute(sql`select 1`);
    return true;
  } catch {
    return false;
  }
}
