import os from "node:os";
import path from "node:path";
import fs from "node:fs";
import { loadConfig, type Config } from "../config";

/** A configuration for tests: a throwaway data folder, demo seeding off, quiet logs. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "chai-test-"));
  return { ...loadConfig({ DATA_DIR: dataDir, DEMO: "0", LOG_LEVEL: "silent" }), ...overrides };
}
