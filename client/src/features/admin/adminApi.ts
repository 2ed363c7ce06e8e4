import { get, patch, post } from "../../app/api";
import {
  AdminUser,
  AdminUserList,
  AuditPage,
  CreateUserResponse,
  PEOPLE_PATHS,
  ResetPasswordResponse,
  type AuditQuery,
  type CreateUserRequest,
  type UpdateUserRequest,
} from "../../../../shared/api/people";

export const adminApi = {
  users: (signal?: AbortSignal) => get(PEOPLE_PATHS.adminUsers, { schema: AdminUserList, signal }),
  create: (body: CreateUserRequest) => post(PEOPLE_PATHS.adminUsers, body, { schema: CreateUserResponse }),
  update: (id: string, body: UpdateUserRequest) => patch(PEOPLE_PATHS.adminUser(id), body, { schema: AdminUser }),
  resetPassword: (id: string, password?: string) => post(PEOPLE_PATHS.adminUserPassword(id), password === undefined ? {} : { password }, { schema: ResetPasswordResponse }),
  audit: (query: Record<keyof AuditQuery, string | undefined>, signal?: AbortSignal) => get(PEOPLE_PATHS.audit, { schema: AuditPage, query, signal }),
};

/** A one-time link as a full URL to hand to the person. */
export const absoluteLink = (path: string) => new URL(path, window.location.origin).toString();
