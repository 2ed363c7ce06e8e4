import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { openDatabase, MIGRATIONS_DIR } from "./index";
import { buildTemplate, isFreshDataDir, readTemplate, templateFile } from "./pgliteTemplate";

describe("the embedded database's template cluster", () => {
  it("is built for the current migrations, and a new data folder made from it is a working, migrated cluster", { timeout: 120_000 }, async () => {
    const file = await buildTemplate(MIGRATIONS_DIR);
    expect(file).toBe(templateFile(MIGRATIONS_DIR));
    expect(readTemplate(MIGRATIONS_DIR)).not.toBeNull();

    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "chai-template-"));
    try {
      expect(isFreshDataDir(dataDir)).toBe(true);
      const first = await openDatabase({ kind: "pglite", dataDir });
      expect(isFreshDataDir(dataDir)).toBe(false);
      // Every migration is there (drizzle's journal), and the schema takes writes that outlive a reopen.
      type Rows<T> = { rows: T[] };
      const applied = (await first.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`)) as unknown as Rows<{ n: number }>;
      const migrations = fs.readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith(".sql")).length;
      expect(applied.rows[0]?.n).toBe(migrations);
      await first.db.execute(sql`insert into projects (name) values ('from the template')`);
      await first.close();
      const again = await openDatabase({ kind: "pglite", dataDir });
      const rows = (await again.db.execute(sql`select name from projects`)) as unknown as Rows<{ name: string }>;
      expect(rows.rows).toEqual([{ name: "from the template" }]);
      await again.close();
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
