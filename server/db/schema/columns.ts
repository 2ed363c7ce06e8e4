import { timestamp, uuid } from "drizzle-orm/pg-core";

/** Column shapes every table repeats. Builders, not values: drizzle binds a column to the table it is placed in. */

/** A random UUID primary key. */
export const id = () => uuid("id").primaryKey().defaultRandom();

/** A point in time, with its time zone. */
export const instant = (name: string) => timestamp(name, { withTimezone: true });

/** When the row was written. */
export const createdAt = () => instant("created_at").notNull().defaultNow();
