import { z } from "zod";
import { ROLES, Role } from "../domain";
import { Id, IsoDate } from "./common";

/**
 * First run, the people admin and the audit log: request/response schemas and paths. Every rule carries its own
 * message in words, because the server sends these messages to the person as they are.
 */

/**
 * No control characters (NUL, tabs, newlines, DEL…): PostgreSQL refuses NUL in text outright, and none belongs in an
 * email, a name or a filter. For z.string().refine(noControlChars, …).
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;
export const noControlChars = (s: string): boolean => !CONTROL_CHARS.test(s);

/** An email as typed into an account form: trimmed, lowercased, checked. */
export const Email = z
  .string({ error: "Enter an email address." })
  .trim()
  .toLowerCase()
  .max(254, "That email address is too long.")
  .refine(noControlChars, "Email addresses cannot contain control characters.")
  .pipe(z.email({ error: "Enter an email address like name@example.com." }));
export const DisplayName = z
  .string({ error: "Enter a name." })
  .trim()
  .min(1, "Enter a name.")
  .max(100, "Names have at most 100 characters.")
  .refine(noControlChars, "Names cannot contain control characters (such as tabs or line breaks).");
export const PASSWORD_MIN = 8;
/** A new password (a sign-in only checks its bounds: shared/api/auth.ts). */
export const Password = z
  .string({ error: "Enter a password." })
  .min(PASSWORD_MIN, `Passwords need at least ${PASSWORD_MIN} characters.`)
  .max(1024, "Passwords have at most 1024 characters.");
const RoleInput = z.enum(ROLES, { error: `Choose a role: ${ROLES.join(", ")}.` });

/** GET /api/setup: whether the first admin account still has to be made (no user exists). */
export const SetupStatus = z.object({ needed: z.boolean() });
export type SetupStatus = z.infer<typeof SetupStatus>;

/** POST /api/setup: the first admin. */
export const SetupRequest = z.object({ email: Email, displayName: DisplayName, password: Password });
export type SetupRequest = z.input<typeof SetupRequest>;

/** One person as the people page shows them (admin only: it carries the email). */
export const AdminUser = z.object({
  id: Id,
  email: z.string(),
  displayName: z.string(),
  role: Role,
  active: z.boolean(),
  createdAt: IsoDate,
  lastSeenAt: IsoDate.nullable(),
  deactivatedAt: IsoDate.nullable(),
});
export type AdminUser = z.infer<typeof AdminUser>;
export const AdminUserList = z.object({ users: z.array(AdminUser) });
export type AdminUserList = z.infer<typeof AdminUserList>;

/** POST /api/admin/users: with a password, the account is ready; without one, an invitation link is made. */
export const CreateUserRequest = z.object({
  email: Email,
  displayName: DisplayName.optional(),
  role: RoleInput,
  password: Password.optional(),
});
export type CreateUserRequest = z.input<typeof CreateUserRequest>;

/** A one-time link (invitation or password reset): the path to open, and when it stops working. */
export const OneTimeLink = z.object({ path: z.string(), expiresAt: IsoDate });
export type OneTimeLink = z.infer<typeof OneTimeLink>;

export const CreateUserResponse = z.object({ user: AdminUser.nullable(), invite: OneTimeLink.nullable() });
export type CreateUserResponse = z.infer<typeof CreateUserResponse>;

/** PATCH /api/admin/users/:id: change the role, or deactivate / reactivate. */
export const UpdateUserRequest = z
  .object({ role: RoleInput.optional(), active: z.boolean({ error: "Active is true or false." }).optional() })
  .refine((b) => b.role !== undefined || b.active !== undefined, { message: "Say what to change: a role or active." });
export type UpdateUserRequest = z.input<typeof UpdateUserRequest>;

/** POST /api/admin/users/:id/password: set a new password, or (without one) issue a reset link. */
export const ResetPasswordRequest = z.object({ password: Password.optional() });
export type ResetPasswordRequest = z.input<typeof ResetPasswordRequest>;
export const ResetPasswordResponse = z.object({ link: OneTimeLink.nullable() });
export type ResetPasswordResponse = z.infer<typeof ResetPasswordResponse>;

/** GET /api/invites/:token: what the link is for (so the page can greet the person). */
export const InviteInfo = z.object({ kind: z.enum(["invite", "reset"]), email: z.string(), displayName: z.string().nullable() });
export type InviteInfo = z.infer<typeof InviteInfo>;

/** POST /api/invites/:token: accept an invitation or a reset link; signs the person in. */
export const AcceptInviteRequest = z.object({ displayName: DisplayName.optional(), password: Password });
export type AcceptInviteRequest = z.input<typeof AcceptInviteRequest>;

/** GET /api/audit query: every filter optional; `before` is the keyset cursor (the last row of the previous page). */
export const AuditQuery = z.object({
  actorId: Id.optional().or(z.literal("").transform(() => undefined)),
  action: z
    .string()
    .trim()
    .max(100, "Action filters have at most 100 characters.")
    .refine(noControlChars, "Action filters cannot contain control characters.")
    .optional(),
  entityType: z
    .string()
    .trim()
    .max(50, "Entity type filters have at most 50 characters.")
    .refine(noControlChars, "Entity type filters cannot contain control characters.")
    .optional(),
  from: z.iso.date({ error: "From is a date like 2026-01-31." }).optional(),
  to: z.iso.date({ error: "To is a date like 2026-01-31." }).optional(),
  /** The keyset cursor: nextBefore of the previous page, as given (opaque to the client). */
  before: z.string().regex(/^[0-9]{4}-[0-9 :.+-]{10,40}~[0-9]{1,19}$/, "That page cursor is not one this server gave out.").optional(),
  limit: z.coerce.number({ error: "Limit is a number." }).int().min(1, "Limit is at least 1.").max(200, "Limit is at most 200.").default(50),
});
export type AuditQuery = z.input<typeof AuditQuery>;

export const AuditEntry = z.object({
  id: z.number(),
  at: IsoDate,
  actor: z.object({ id: Id, name: z.string() }).nullable(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string(),
  data: z.record(z.string(), z.unknown()),
});
export type AuditEntry = z.infer<typeof AuditEntry>;
export const AuditPage = z.object({ entries: z.array(AuditEntry), nextBefore: z.string().nullable() });
export type AuditPage = z.infer<typeof AuditPage>;

export const PEOPLE_PATHS = {
  setup: "/api/setup",
  adminUsers: "/api/admin/users",
  adminUser: (id: string) => `/api/admin/users/${encodeURIComponent(id)}`,
  adminUserPassword: (id: string) => `/api/admin/users/${encodeURIComponent(id)}/password`,
  invite: (token: string) => `/api/invites/${encodeURIComponent(token)}`,
  audit: "/api/audit",
} as const;

/** The page a one-time link opens (client route /invite/<token>). */
export const invitePagePath = (token: string) => `/invite/${encodeURIComponent(token)}`;
