import { boolean, index, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { createdAt, id, instant } from "./columns";
import type { Role } from "../../../shared/domain";

export const users = pgTable("users", {
  id: id(),
  email: text("email").notNull().unique(),
  displayName: text("display_name").notNull(),
  role: text("role").$type<Role>().notNull(),
  passwordHash: text("password_hash").notNull(),
  active: boolean("active").notNull().default(true),
  /** When an admin last deactivated the account (null while active or never deactivated). */
  deactivatedAt: instant("deactivated_at"),
  /** Last successful sign-in, for the people page ("last seen"). */
  lastSeenAt: instant("last_seen_at"),
  createdAt: createdAt(),
});

/** A person who did something to the row (reviewer, author, trainer…). */
export const userRef = (name: string) => uuid(name).references(() => users.id);

/** Sessions are looked up by the SHA-256 of the cookie token, so a database leak does not leak live sessions. */
export const sessions = pgTable(
  "sessions",
  {
    tokenHash: text("token_hash").primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    expiresAt: instant("expires_at").notNull(),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

export type AccountTokenKind = "invite" | "reset";

/**
 * One-time links an admin hands out: an invitation (who will join, with which role) or a password reset (for an
 * existing user). Only the SHA-256 of the token is stored, like sessions; a link works once and until it expires.
 */
export const accountTokens = pgTable(
  "account_tokens",
  {
    tokenHash: text("token_hash").primaryKey(),
    kind: text("kind").$type<AccountTokenKind>().notNull(),
    /** The invitee's email (invite) or the account's (reset). */
    email: text("email").notNull(),
    role: text("role").$type<Role>(),
    /** The account a reset link is for; null for an invitation until it is accepted. */
    userId: uuid("user_id").references(() => users.id, { onDelete: "cascade" }),
    createdBy: uuid("created_by").references(() => users.id),
    createdAt: createdAt(),
    expiresAt: instant("expires_at").notNull(),
    usedAt: instant("used_at"),
  },
  (t) => [index("account_tokens_email_idx").on(t.email)],
);
