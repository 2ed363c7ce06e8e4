import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { Config } from "../config";
import type { AppEnv, SessionUser } from "../context";
import type { Db } from "../db";
import { forbidden, unauthorized } from "../errors";
import type { Role } from "../../shared/domain";
import { isAllowedOrigin } from "./origin";
import { userFromCookieHeader } from "./sessions";
import { mayOpen } from "../resources/me/policy";
import type { AppPage } from "../../shared/api/abilities";

/** Sets c.var.user from the session cookie (null when there is none or it is not valid). */
export function sessionMiddleware(db: Db) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const cookie = c.req.header("cookie");
    c.set("user", cookie ? await userFromCookieHeader(db, cookie) : null);
    await next();
  });
}

const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Cross-site request forgery guard for state-changing requests: the Origin must be the page's own host or a
 * configured origin, and a browser's own `Sec-Fetch-Site: cross-site` verdict is honoured as well.
 */
export function originMiddleware(config: Config) {
  return createMiddleware<AppEnv>(async (c, next) => {
    if (UNSAFE_METHODS.has(c.req.method)) {
      const origin = c.req.header("origin");
      const fetchSite = c.req.header("sec-fetch-site");
      const host = c.req.header("host") ?? new URL(c.req.url).host;
      // A configured origin (a separate front end) is allowed even though the browser calls it cross-site.
      const configured = origin !== undefined && config.allowedOrigins.length > 0 && isAllowedOrigin(config, origin, undefined);
      if (fetchSite === "cross-site" && !configured) throw forbidden("Cross-site requests are not allowed.");
      if (!isAllowedOrigin(config, origin, host)) throw forbidden("Request origin is not allowed.");
    }
    await next();
  });
}

/** The signed-in user, or a 401. For use inside handlers after requireUser. */
export function currentUser(c: Context<AppEnv>): SessionUser {
  const user = c.get("user");
  if (!user) throw unauthorized();
  return user;
}

/** 401 without a valid session. */
export const requireUser = createMiddleware<AppEnv>(async (c, next) => {
  currentUser(c);
  await next();
});

/** 401 without a session, 403 when the user's role is not one of `roles`. */
export function requireRole(...roles: Role[]) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const user = currentUser(c);
    if (!roles.includes(user.role)) throw forbidden(`This needs one of the roles: ${roles.join(", ")}.`);
    await next();
  });
}

/** 401 without a session, 403 unless the person's abilities (me/policy.ts) include this app page. */
export function requirePage(page: AppPage, message = "Only admins can open this page.") {
  return createMiddleware<AppEnv>(async (c, next) => {
    if (!mayOpen(currentUser(c), page)) throw forbidden(message);
    await next();
  });
}

/** The client's address as the socket reports it; "unknown" when there is no socket (app.request in tests). */
export function clientAddress(c: Context<AppEnv>): string {
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    return "unknown";
  }
}

/** Whether the request reached us over https (directly, or via a proxy that says so). */
export function isHttps(c: Context<AppEnv>): boolean {
  return new URL(c.req.url).protocol === "https:" || c.req.header("x-forwarded-proto") === "https";
}
