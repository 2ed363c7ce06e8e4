import { createRequire } from "node:module";
import type * as IORedis from "ioredis";

export type { Redis, RedisOptions } from "ioredis";

const require = createRequire(import.meta.url);

/**
 * A new ioredis client. The package is loaded by the first call (synchronously: it is CommonJS), not at start: a
 * process without REDIS_URL never makes one, and loading ioredis alone costs the idle server about 8 MB of RSS.
 */
export function newRedis(url: string, options: IORedis.RedisOptions = {}): IORedis.Redis {
  const { Redis } = require("ioredis") as typeof IORedis;
  return new Redis(url, options);
}
