import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { Config } from "../config";
import type { AppEnv, SessionUser } from "../context";
import type { Db } from "../db";
import { forbidden, unauthorized } from "../errors";
import type { Role } from "../../shared/domain";
import { proxyTrust, resolveClientAddress, resolveHttps } from "../http/proxy";
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

/** The socket's peer address, or undefined when there is no socket (app.request in tests). */
function peerAddress(c: Context<AppEnv>): string | undefined {
  try {
    return getConnInfo(c).remote.address;
  } catch {
    return undefined;
  }
}

/**
 * Sets c.var.client: the client's address and whether it came over https. X-Forwarded-For / X-Forwarded-Proto count
 * only when the direct peer is one of TRUSTED_PROXIES, so a client cannot choose its rate-limit key or the cookie's
 * Secure flag.
 */
export function clientMiddleware(config: Config) {
  const trust = proxyTrust(config.trustedProxies);
  return createMiddleware<AppEnv>(async (c, next) => {
    const peer = peerAddress(c);
    c.set("client", {
      address: resolveClientAddress(trust, peer, c.req.header("x-forwarded-for")),
      https: resolveHttps(trust, peer, c.req.url, c.req.header("x-forwarded-proto")),
    });
    await next();
  });
}

/** The client's address (see clientMiddleware); the bare socket peer if the middleware did not run. */
export function clientAddress(c: Context<AppEnv>): string {
  return c.get("client")?.address ?? peerAddress(c) ?? "unknown";
}

/** Whether the request reached us over https (directly, or as a trusted proxy says). */
export function isHttps(c: Context<AppEnv>): boolean {
  return c.get("client")?.https ?? new URL(c.req.url).protocol === "https:";
}
