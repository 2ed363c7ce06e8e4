import type { SessionUser } from "../../context";
import type { MeResponse, UserSummary } from "../../../shared/api/auth";
import type { Role } from "../../../shared/domain";

export function toMe(user: SessionUser): MeResponse {
  return { id: user.id, email: user.email, displayName: user.displayName, role: user.role };
}

export function toUserSummary(row: { id: string; displayName: string; role: Role }): UserSummary {
  return { id: row.id, name: row.displayName, role: row.role };
}
