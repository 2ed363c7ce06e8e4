import postgres from "postgres";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import type { TestProject } from "vitest/node";
import { MIGRATIONS_DIR } from "../db/index";
import { adminUrl, withDatabase } from "./pgUrls";

declare module "vitest" {
  export interface ProvidedContext {
    pgAdminUrl: string;
    pgTemplate: string;
    pgRunPrefix: string;
  }
}

/**
 * Creates one migrated template database per test run on the real PostgreSQL; each test database is a fast copy of
 * it (CREATE DATABASE … TEMPLATE). Everything with this run's prefix is dropped at the end.
 */
export default async function setup(project: TestProject) {
  const admin = adminUrl();
  const prefix = `chai_t_${Date.now().toString(36)}_${process.pid}`;
  const template = `${prefix}_tpl`;
  const sql = postgres(admin, { max: 1, onnotice: () => {} });
  await sql.unsafe(`create database "${template}"`);
  const migrator = postgres(withDatabase(admin, template), { max: 1, onnotice: () => {} });
  await migrate(drizzle(migrator), { migrationsFolder: MIGRATIONS_DIR });
  await migrator.end();
  project.provide("pgAdminUrl", admin);
  project.provide("pgTemplate", template);
  project.provide("pgRunPrefix", prefix);

  return async () => {
    const rows = await sql<{ datname: string }[]>`select datname from pg_database where datname like ${prefix + "%"}`;
    for (const { datname } of rows) {
      await sql.unsafe(`drop database if exists "${datname}" with (force)`);
    }
    await sql.end();
  };
}
