import type { Config } from "../config";
import type { Database } from "../db";
import type { RoomRegistry } from "../collab/rooms";
import { getSpec } from "../captionSpec/index";
import { DEMO_PASSWORD, hasDemoUsers, seedDemo, type SeedResult } from "./demo";
import { seedDemoWork } from "./demoWork";
import { seedRewardRules } from "../review/rules";
import { seedDemoReview } from "./demoReview";

/**
 * Start-up step: seed the demo on an empty database (DEMO=1), or remind that demo logins are still live. Runs before
 * the server listens, with the collaboration rooms already created: the demo work writes drafts and critique into
 * the task rooms, so no task is ever shown in a stage whose work is missing.
 */
export async function seedOnStart(config: Config, database: Database, rooms: RoomRegistry): Promise<SeedResult> {
  const db = database.db;
  const log = (line: string) => {
    if (config.logLevel !== "silent") console.log(line);
  };
  // Default reward rules on every start (only keys with no rule yet), so a fresh installation pays from day one.
  await seedRewardRules(db);
  const result = await seedDemo(db, config, { specVersion: async () => (await getSpec()).version, log });
  if (result.seeded) {
    await seedDemoWork(config, database, rooms, { log });
    await seedDemoReview(db);
  }
  // Reminded on every start, DEMO=0 included: the demo password is public, so these accounts must not reach production.
  if (!result.seeded && (await hasDemoUsers(db))) {
    log(`[seed] Demo accounts (…@demo.test, password "${DEMO_PASSWORD}") are active: DEMO-ONLY credentials.`);
  }
  return result;
}
