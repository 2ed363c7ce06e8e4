import type { AccountRow } from "../../auth/accounts";
import type { AdminUser } from "../../../shared/api/people";

/** An account as the people admin reads it. */
export type AdminUserRow = AccountRow;

export function toAdminUser(row: AdminUserRow): AdminUser {
  return {
    id: row.id,
    email: row.email,
    displayName: row.displayName,
    role: row.role,
    active: row.active,
    createdAt: row.createdAt.toISOString(),
    lastSeenAt: row.lastSeenAt?.toISOString() ?? null,
    deactivatedAt: row.deactivatedAt?.toISOString() ?? null,
  };
}
