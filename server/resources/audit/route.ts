import { Hono } from "hono";
import { and, desc, eq, gte, lt, sql, type SQL } from "drizzle-orm";
import { requirePage } from "../../auth/middleware";
import type { AppDeps, AppEnv } from "../../context";
import { auditLog, users } from "../../db/schema";
import { badRequest } from "../../http/errors";
import { AuditQuery, type AuditPage } from "../../../shared/api/people";
import { parseInput } from "../users/input";

const DAY_MS = 24 * 3600 * 1000;

/**
 * GET /api/audit (the "audit" page: admins): who did what, newest first, filtered by person, action (a prefix:
 * "user." finds every people change), entity type and a date range (whole days, UTC, both ends included). Pages
 * by keyset on (at, id), so a new entry never shifts a page being read and backdated history sorts by its time.
 */
export function auditRoutes(deps: AppDeps) {
  const { db } = deps.database;
  return new Hono<AppEnv>().get("/", requirePage("audit"), async (c) => {
    const q = parseInput(AuditQuery, c.req.query());
    if (q.from && q.to && q.from > q.to) throw badRequest("The start date is after the end date.");
    const where: SQL[] = [];
    if (q.actorId) where.push(eq(auditLog.actorId, q.actorId));
    if (q.action) where.push(q.action.endsWith(".") ? gte(auditLog.action, q.action) : eq(auditLog.action, q.action));
    if (q.action?.endsWith(".")) where.push(lt(auditLog.action, q.action.slice(0, -1) + "/"));
    if (q.entityType) where.push(eq(auditLog.entityType, q.entityType));
    if (q.from) where.push(gte(auditLog.at, new Date(`${q.from}T00:00:00Z`)));
    if (q.to) where.push(lt(auditLog.at, new Date(new Date(`${q.to}T00:00:00Z`).getTime() + DAY_MS)));
    if (q.before) {
      const cut = q.before.lastIndexOf("~");
      where.push(sql`(${auditLog.at}, ${auditLog.id}) < (${q.before.slice(0, cut)}::timestamptz, ${Number(q.before.slice(cut + 1))})`);
    }
    const rows = await db
      .select({
        id: auditLog.id,
        at: auditLog.at,
        // The exact stored instant (microseconds), for the cursor: a JS Date would round it to milliseconds.
        atText: sql<string>`${auditLog.at}::text`,
        actorId: auditLog.actorId,
        actorName: users.displayName,
        action: auditLog.action,
        entityType: auditLog.entityType,
        entityId: auditLog.entityId,
        data: auditLog.data,
      })
      .from(auditLog)
      .leftJoin(users, eq(users.id, auditLog.actorId))
      .where(and(...where))
      .orderBy(desc(auditLog.at), desc(auditLog.id))
      .limit(q.limit + 1);
    const page = rows.slice(0, q.limit);
    const last = page.at(-1);
    const body: AuditPage = {
      entries: page.map((r) => ({
        id: r.id,
        at: r.at.toISOString(),
        actor: r.actorId ? { id: r.actorId, name: r.actorName ?? "(deleted)" } : null,
        action: r.action,
        entityType: r.entityType,
        entityId: r.entityId,
        data: r.data,
      })),
      nextBefore: rows.length > q.limit && last ? `${last.atText}~${last.id}` : null,
    };
    return c.json(body);
  });
}
