import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fromRoot } from "../repoRoot";

/**
 * An empty embedded cluster with every migration applied, made once at build time (next to the built client) and
 * copied into each new data folder: a fresh PGlite cluster costs 3–5 s of initdb on this machine, loading the
 * template about a second. Its name carries a hash of the migrations and the PGlite version, so a changed schema
 * or engine never loads a stale template (the folder is then made from scratch, as before).
 */
export const TEMPLATE_DIR = fromRoot("dist/pglite");

function templateKey(migrationsDir: string): string {
  const hash = createHash("sha256");
  const pglite = JSON.parse(fs.readFileSync(fromRoot("node_modules/@electric-sql/pglite/package.json"), "utf8")) as { version: string };
  hash.update(pglite.version);
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else hash.update(entry.name).update(fs.readFileSync(full));
    }
  };
  walk(migrationsDir);
  return hash.digest("hex").slice(0, 16);
}

export const templateFile = (migrationsDir: string) => path.join(TEMPLATE_DIR, `template-${templateKey(migrationsDir)}.tar.gz`);

/** A data folder PGlite has not initialised yet (no cluster in it). */
export const isFreshDataDir = (dataDir: string) => !fs.existsSync(path.join(dataDir, "PG_VERSION"));

/** The template for these migrations, when one was built. */
export function readTemplate(migrationsDir: string): Blob | null {
  const file = templateFile(migrationsDir);
  return fs.existsSync(file) ? new Blob([fs.readFileSync(file)]) : null;
}

/** Builds the template for these migrations (the build step of `npm start`); old templates are removed. */
export async function buildTemplate(migrationsDir: string): Promise<string> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  const { migrate } = await import("drizzle-orm/pglite/migrator");
  const client = new PGlite();
  try {
    await client.waitReady;
    await migrate(drizzle(client), { migrationsFolder: migrationsDir });
    const dump = await client.dumpDataDir("gzip");
    fs.mkdirSync(TEMPLATE_DIR, { recursive: true });
    const file = templateFile(migrationsDir);
    for (const old of fs.readdirSync(TEMPLATE_DIR)) if (old.startsWith("template-")) fs.rmSync(path.join(TEMPLATE_DIR, old));
    fs.writeFileSync(`${file}.tmp`, Buffer.from(await dump.arrayBuffer()));
    fs.renameSync(`${file}.tmp`, file);
    return file;
  } finally {
    await client.close();
  }
}
