import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import * as schema from "./schema";

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
};

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../migrations");

export type OpenOptions =
  | { kind: "postgres"; url: string; max?: number }
  /** dataDir undefined = in memory (tests). */
  | { kind: "pglite"; dataDir: string | undefined };

/** Opens the database and applies pending migrations. One module opens it; everything else receives a Database. */
export async function openDatabase(opts: OpenOptions): Promise<Database> {
  const database = opts.kind === "postgres" ? await openPostgres(opts.url, opts.max) : await openPglite(opts.dataDir);
  return database;
}

async function openPostgres(url: string, max = 10): Promise<Database> {
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const { migrate } = await import("drizzle-orm/postgres-js/migrator");
  // Migrations through their own single connection, as postgres.js recommends.
  const migrationClient = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await migrate(drizzle(migrationClient), { migrationsFolder: MIGRATIONS_DIR });
  } finally {
    await migrationClient.end();
  }
  const client = postgres(url, { max, onnotice: () => {} });
  const db = drizzle(client, { schema }) as unknown as Db;
  return {
    db,
    kind: "postgres",
    ping: () => pingDb(db),
    close: () => client.end({ timeout: 5 }),
  };
}

async function openPglite(dataDir: string | undefined): Promise<Database> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  const { migrate } = await import("drizzle-orm/pglite/migrator");
  if (dataDir) fs.mkdirSync(dataDir, { recursive: true });
  const client = dataDir ? new PGlite(dataDir) : new PGlite();
  await client.waitReady;
  const pdb = drizzle(client, { schema });
  await migrate(pdb, { migrationsFolder: MIGRATIONS_DIR });
  const db = pdb as unknown as Db;
  return {
    db,
    kind: "pglite",
    ping: () => pingDb(db),
    close: () => client.close(),
  };
}

async function pingDb(db: Db): Promise<boolean> {
  try {
    await db.execute(sql`select 1`);
    return true;
  } catch {
    return false;
  }
}
