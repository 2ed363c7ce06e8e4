import { loadConfig, type Config } from "../../config";
import type { Db } from "../../db";

/**
 * What a database command needs from the outside world. The real one reads the environment; tests pass their own
 * configuration and database so the command's argument handling and output are exercised for real.
 */
export type CliEnv = {
  config: Config;
  openDb(): Promise<{ db: Db; close(): Promise<void> }>;
  out(line: string): void;
  err(line: string): void;
  /** Whether stdin is a terminal (a password may be prompted for). */
  interactive: boolean;
};

export function processCliEnv(): CliEnv {
  const config = loadConfig();
  return {
    config,
    async openDb() {
      // Imported lazily: server.ts pulls in the whole HTTP app.
      const { openConfiguredDatabase } = await import("../../server");
      const database = await openConfiguredDatabase(config);
      return { db: database.db, close: () => database.close() };
    },
    out: (line) => console.log(line),
    err: (line) => console.error(line),
    interactive: process.stdin.isTTY === true,
  };
}
