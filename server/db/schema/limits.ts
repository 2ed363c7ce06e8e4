import { integer, pgTable, text } from "drizzle-orm/pg-core";
import { instant } from "./columns";

/**
 * Counters of the login limits (server/auth/loginLimits.ts), in the shape rate-limiter-flexible's Drizzle store
 * expects: one row per key, points used and when they expire. In the database so that every process shares them.
 */
export const rateLimits = pgTable("rate_limits", {
  key: text("key").primaryKey(),
  points: integer("points").notNull(),
  expire: instant("expire"),
});
