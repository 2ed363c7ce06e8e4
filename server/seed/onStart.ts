import type { Config } from "../config";
import type { Database } from "../db";
import type { RoomRegistry } from "../collab/rooms";
import { getSpec } from "../captionSpec/index";
import { DEMO_PASSWORD, DEMO_PROJECT, hasDemoUsers, seedDemo, type SeedResult } from "./demo";
import { seedDemoWork } from "./demoWork";
import { seedRewardRules } from "../review/rules";
import { seedDemoReview } from "./demoReview";
import { eq } from "drizzle-orm";
import { auditLog, projects } from "../db/schema";
import { DEMO_HISTORY_MARK, seedDemoHistory } from "./demoHistory";
import { describeError } from "../collab/logSafe";
import { loggerFor } from "../observability/logger";

/**
 * Whether the demo's weeks of history still have to be written: a demo database (its project exists) without the
 * history's mark. Also true after a start that was stopped while writing it (its one transaction rolled back).
 */
export async function demoHistoryPending(config: Config, database: Database): Promise<boolean> {
  if (!config.demo) return false;
  const db = database.db;
  const [project] = await db.select({ id: projects.id }).from(projects).where(eq(projects.name, DEMO_PROJECT)).limit(1);
  if (!project) return false;
  const [mark] = await db.select({ id: auditLog.id }).from(auditLog).where(eq(auditLog.action, DEMO_HISTORY_MARK)).limit(1);
  return !mark;
}

/**
 * After the server listens: weeks of past work, so the lead's figures show trends (the present day's work, which it
 * leaves alone, is already there). A few seconds of writing that need not hold up the start; never rejects.
 */
export async function seedDemoHistoryIfPending(config: Config, database: Database): Promise<void> {
  const log = (line: string) => {
    if (config.logLevel !== "silent") console.log(line);
  };
  try {
    if (await demoHistoryPending(config, database)) await seedDemoHistory(config, database, { log, shareConnection: true });
  } catch (err) {
    // An operational failure, for the log collector; the `[seed]` lines above are what a person reads on stdout.
    loggerFor(config).child({ component: "seed" }).error({ err: describeError(err) }, "the demo history was not written; the next start tries again");
  }
}

/**
 * Start-up step: seed the demo on an empty database (DEMO=1), or remind that demo logins are still live. Runs before
 * the server listens: the demo work writes drafts and critique into the task rooms' stored log, inside the seed's
 * transactions (seedLoop.ts), so no task is ever shown in a stage whose work is missing; the server's rooms
 * registry (`_rooms`, created already) loads them from the database when they are first opened.
 */
export async function seedOnStart(config: Config, database: Database, _rooms: RoomRegistry): Promise<SeedResult> {
  const db = database.db;
  const log = (line: string) => {
    if (config.logLevel !== "silent") console.log(line);
  };
  // Default reward rules on every start (only keys with no rule yet), so a fresh installation pays from day one.
  await seedRewardRules(db);
  const result = await seedDemo(db, config, { specVersion: async () => (await getSpec()).version, log });
  if (result.seeded) {
    await seedDemoWork(config, database, { log });
    await seedDemoReview(db);
  }
  // Reminded on every start, DEMO=0 included: the demo password is public, so these accounts must not reach production.
  if (!result.seeded && (await hasDemoUsers(db))) {
    log(`[seed] Demo accounts (…@demo.test, password "${DEMO_PASSWORD}") are active: DEMO-ONLY credentials.`);
  }
  return result;
}
