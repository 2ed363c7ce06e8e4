import type { SessionUser } from "../../auth/sessionUser";
import type { MeResponse, UserSummary } from "../../../shared/api/auth";
import type { Role } from "../../../shared/domain";
import { appAbilities } from "../me/policy";

export function toMe(user: SessionUser): MeResponse {
  return { id: user.id, email: user.email, displayName: user.displayName, role: user.role, abilities: appAbilities(user) };
}

export function toUserSummary(row: { id: string; displayName: string; role: Role }): UserSummary {
  return { id: row.id, name: row.displayName, role: row.role };
}
