import type { CliEnv } from "../cli/command";
import type { Database } from "../db";
import { testConfig } from "./testConfig";

/**
 * A CLI environment over a test database, with the output captured; the database stays open for the suite. Without
 * a database, a command that opens one fails the test.
 */
export function testEnv(database?: Database, config = testConfig()) {
  const out: string[] = [];
  const err: string[] = [];
  const env: CliEnv = {
    config,
    openDb: async () => {
      if (!database) throw new Error("this command should not open the database");
      return { db: database.db, close: async () => {} };
    },
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    interactive: false,
  };
  return { env, out, err };
}
