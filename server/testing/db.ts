import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { afterAll, beforeAll, describe, inject } from "vitest";
import { openDatabase, type Database, type DatabaseKind } from "../db/index";
import { withDatabase } from "./pgUrls";

export const DB_KINDS: readonly DatabaseKind[] = ["pglite", "postgres"];

/**
 * A fresh, migrated database of the given kind: an in-memory PGlite, or a new database on the real server copied
 * from the run's template. dispose() closes it (and drops the real one).
 */
export async function createTestDatabase(kind: DatabaseKind): Promise<Database & { url?: string; dispose(): Promise<void> }> {
  if (kind === "pglite") {
    const database = await openDatabase({ kind: "pglite", dataDir: undefined });
    return { ...database, dispose: () => database.close() };
  }
  const admin = inject("pgAdminUrl");
  const name = `${inject("pgRunPrefix")}_${randomBytes(4).toString("hex")}`;
  const sql = postgres(admin, { max: 1, onnotice: () => {} });
  try {
    await createFromTemplate(sql, name, inject("pgTemplate"));
  } finally {
    await sql.end();
  }
  const url = withDatabase(admin, name);
  const database = await openDatabase({ kind: "postgres", url });
  return {
    ...database,
    url,
    dispose: async () => {
      await database.close();
      const drop = postgres(admin, { max: 1, onnotice: () => {} });
      await drop.unsafe(`drop database if exists "${name}" with (force)`);
      await drop.end();
    },
  };
}

async function createFromTemplate(sql: postgres.Sql, name: string, template: string) {
  // Two workers copying the template at the same instant can collide; a short retry resolves it.
  for (let attempt = 0; ; attempt++) {
    try {
      await sql.unsafe(`create database "${name}" template "${template}"`);
      return;
    } catch (err) {
      if (attempt >= 20) throw err;
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 100));
    }
  }
}

/**
 * Runs a suite once per database kind. The callback gets a getter, valid inside tests and hooks:
 *   describeEachDb("tasks api", (db) => { it("…", async () => { await db().db.select()… }) })
 */
export function describeEachDb(name: string, body: (db: () => Database, kind: DatabaseKind) => void) {
  for (const kind of DB_KINDS) {
    describe(`${name} [${kind}]`, () => {
      let database: Awaited<ReturnType<typeof createTestDatabase>> | undefined;
      beforeAll(async () => {
        database = await createTestDatabase(kind);
      });
      afterAll(async () => {
        await database?.dispose();
      });
      body(() => {
        if (!database) throw new Error("test database not ready");
        return database;
      }, kind);
    });
  }
}
