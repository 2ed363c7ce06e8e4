import { z } from "zod";
import { Role } from "../domain";
import { Id } from "./common";
import { AppAbilities } from "./abilities";
import { noControlChars } from "./people";

/** POST /api/auth/login body. Bounded so a huge body cannot make the server hash megabytes. */
export const LoginRequest = z.object({
  email: z
    .string({ error: "Enter your email address." })
    .trim()
    .toLowerCase()
    .min(3, "Enter your email address.")
    .max(254, "That email address is too long.")
    .refine(noControlChars, "Email addresses cannot contain control characters."),
  password: z.string().min(1).max(1024),
});
export type LoginRequest = z.infer<typeof LoginRequest>;

/** GET /api/me and the body of a successful login. */
export const MeResponse = z.object({
  id: Id,
  email: z.string(),
  displayName: z.string(),
  role: Role,
  /** Pages and app-wide powers (server/resources/me/policy.ts). */
  abilities: AppAbilities,
});
export type MeResponse = z.infer<typeof MeResponse>;

/** POST /api/auth/logout. */
export const LogoutResponse = z.object({ ok: z.literal(true) });
export type LogoutResponse = z.infer<typeof LogoutResponse>;

/** GET /api/users (lead/admin): people for filter dropdowns. */
export const UserSummary = z.object({ id: Id, name: z.string(), role: Role });
export type UserSummary = z.infer<typeof UserSummary>;
export const UserListResponse = z.array(UserSummary);
export type UserListResponse = z.infer<typeof UserListResponse>;

/** Request paths of sessions and people. */
export const AUTH_PATHS = {
  login: "/api/auth/login",
  logout: "/api/auth/logout",
  me: "/api/me",
  users: "/api/users",
} as const;
