import { Hono } from "hono";
import { currentUser, requirePage } from "../../auth/middleware";
import type { AppDeps, AppEnv } from "../../context";
import { z } from "zod";
import {
  CreateUserRequest,
  ResetPasswordRequest,
  UpdateUserRequest,
  type AdminUserList,
  type CreateUserResponse,
  type ResetPasswordResponse,
} from "../../../shared/api/people";
import { toAdminUser } from "./adminPresenter";
import { parseInput, readInput } from "./input";
import { createPerson, invitePerson, listPeople, resetPassword, updatePerson } from "./people";

const PersonId = z.uuid({ error: "That is not a person's id." });
const idOf = (raw: string): string => parseInput(PersonId, raw);

/**
 * The people admin, mounted at /api/admin/users (the "users" page of me/policy.ts: admins only):
 * GET / lists everyone, POST / creates an account or an invitation, PATCH /:id changes role or active,
 * POST /:id/password sets a password or issues a reset link.
 */
export function adminUsersRoutes(deps: AppDeps) {
  const { db } = deps.database;
  return new Hono<AppEnv>()
    .use("*", requirePage("users"))
    .get("/", async (c) => {
      const body: AdminUserList = { users: (await listPeople(db)).map(toAdminUser) };
      return c.json(body);
    })
    .post("/", async (c) => {
      const actor = currentUser(c);
      const input = await readInput(c, CreateUserRequest);
      if (input.password === undefined) {
        const body: CreateUserResponse = { user: null, invite: await invitePerson(db, actor.id, input) };
        return c.json(body, 201);
      }
      const row = await createPerson(db, actor.id, { ...input, password: input.password });
      const body: CreateUserResponse = { user: toAdminUser(row), invite: null };
      return c.json(body, 201);
    })
    .patch("/:id", async (c) => {
      const actor = currentUser(c);
      const id = idOf(c.req.param("id"));
      const change = await readInput(c, UpdateUserRequest);
      return c.json(toAdminUser(await updatePerson(db, deps.rooms, actor.id, id, change)));
    })
    .post("/:id/password", async (c) => {
      const actor = currentUser(c);
      const id = idOf(c.req.param("id"));
      const { password } = await readInput(c, ResetPasswordRequest);
      const body: ResetPasswordResponse = { link: await resetPassword(db, actor.id, id, password) };
      return c.json(body);
    });
}
