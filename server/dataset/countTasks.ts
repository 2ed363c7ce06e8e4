import { and, count, eq, inArray, notExists, sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/index";
import { goldScores, projects, tasks } from "../db/schema/index";
import type { ExportStatus } from "../../shared/dataset/formats";
import type { Stage } from "../../shared/domain/stages";

/**
 * How many tasks an export will read, so the UI can show a share done. It mirrors the task filter of
 * server/dataset/read.ts (which keeps its own private); countTasks.test.ts checks the two agree for every status,
 * so a change there that is not made here fails a test instead of showing a wrong bar.
 */
const STAGES_FOR: Record<ExportStatus, readonly Stage[] | null> = {
  approved: ["approved"],
  submitted: ["submitted", "in_review", "approved"],
  all: null,
};

export async function countExportTasks(db: Db, opts: { status: ExportStatus; projectName?: string }): Promise<number | null> {
  const conds: SQL[] = [eq(tasks.isGold, false), notExists(sql`(select 1 from ${goldScores} where ${goldScores.taskId} = ${tasks.id})`)];
  const stages = STAGES_FOR[opts.status];
  if (stages) conds.push(inArray(tasks.stage, [...stages]));
  if (opts.projectName !== undefined) {
    const [p] = await db.select({ id: projects.id }).from(projects).where(eq(projects.name, opts.projectName)).limit(1);
    // The export itself reports the missing project.
    if (!p) return null;
    conds.push(eq(tasks.projectId, p.id));
  }
  const [row] = await db.select({ n: count() }).from(tasks).where(and(...conds));
  return row ? Number(row.n) : null;
}
