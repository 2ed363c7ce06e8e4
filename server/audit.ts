import type { Db } from "./db";
import { auditLog } from "./db/schema";

export type AuditEntry = {
  /** null for the system (seed, CLI without a signed-in person) or a failed login by an unknown email. */
  actorId: string | null;
  action: string;
  entityType: string;
  entityId: string;
  data?: Record<string, unknown>;
  /** When it happened; the database's time when absent (only a simulated clock, the demo history, passes one). */
  at?: Date;
};

/** Appends one row to the audit log. The log is append-only: nothing in the app updates or deletes it. */
export async function audit(db: Db, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values({
    actorId: entry.actorId,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    data: entry.data ?? {},
    ...(entry.at ? { at: entry.at } : {}),
  });
}
