import { Hono } from "hono";
import { z } from "zod";
import { signIn } from "../../auth/signIn";
import type { AppDeps, AppEnv } from "../../context";
import { AcceptInviteRequest, type InviteInfo } from "../../../shared/api/people";
import { toMe } from "./presenter";
import { parseInput, readInput } from "./input";
import { findSessionUser, linkInfo, useLink } from "./people";

/** Tokens are 43 base64url characters; anything else is not worth a lookup. */
const Token = z.string().regex(/^[A-Za-z0-9_-]{20,128}$/, "This link is not valid. Ask an admin for a new one.");

/**
 * One-time links, mounted at /api/invites (no session needed: the token is the proof): GET /:token says what it is
 * for, POST /:token sets name and password, uses the link and signs the person in.
 */
export function invitesRoutes(deps: AppDeps) {
  const { db } = deps.database;
  return new Hono<AppEnv>()
    .get("/:token", async (c) => {
      const body: InviteInfo = await linkInfo(db, parseInput(Token, c.req.param("token")));
      return c.json(body);
    })
    .post("/:token", async (c) => {
      const token = parseInput(Token, c.req.param("token"));
      const input = await readInput(c, AcceptInviteRequest);
      const userId = await useLink(db, token, input);
      await signIn(c, db, userId);
      return c.json(toMe(await findSessionUser(db, userId)));
    });
}
