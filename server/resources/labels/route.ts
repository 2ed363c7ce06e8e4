import { Hono } from "hono";
import { eq } from "drizzle-orm";
import { audit } from "../../audit";
import { currentUser, requireUser } from "../../auth/middleware";
import type { AppDeps, AppEnv } from "../../context";
import type { Db } from "../../db/index";
import { tasks, videos } from "../../db/schema/index";
import { badRequest, conflict, notFound } from "../../http/errors";
import { readJson } from "../../http/readJson";
import { loadFacts, loadLabels, replaceFacts, replaceLabels, suggestedFacts } from "../../labels/repository";
import { assertCan, refusal, requireTaskAccess, type TaskAccess } from "../tasks/policy";
import { getSpec } from "../../captionSpec/index";
import { Id } from "../../../shared/api/common";
import { PutLabelsBody, normalizeFacts, type LabelsInvalidDetails, type LabelsResponse, type PutLabelsResponse } from "../../../shared/api/labels";
import { validateLabels } from "../../../shared/labelValidation";
import type { Stage } from "../../../shared/domain/stages";

/** 500 labels at their largest (a 2,000-character note each) stay under this; anything bigger is not a label set. */
const MAX_BODY_BYTES = 1_500_000;

type TaskRow = NonNullable<Awaited<ReturnType<typeof findTask>>>;

async function findTask(db: Db, rawId: string | undefined) {
  const id = Id.safeParse(rawId);
  if (!id.success) return null;
  const [row] = await db
    .select({
      id: tasks.id,
      aspect: tasks.aspect,
      stage: tasks.stage,
      annotatorId: tasks.annotatorId,
      reviewerId: tasks.reviewerId,
      videoId: tasks.videoId,
      durationSec: videos.durationSec,
    })
    .from(tasks)
    .innerJoin(videos, eq(videos.id, tasks.videoId))
    .where(eq(tasks.id, id.data))
    .limit(1);
  return row ?? null;
}

async function labelsResponse(db: Db, task: TaskRow, stage: Stage, access: TaskAccess): Promise<LabelsResponse> {
  const [labels, facts, suggested] = await Promise.all([loadLabels(db, task.id), loadFacts(db, task.id), suggestedFacts(db, task.id, task.videoId)]);
  const newest = labels.reduce<(typeof labels)[number] | null>((a, l) => (!a || l.labelledAt > a.labelledAt ? l : a), null);
  const reason = refusal(access, "label", stage);
  return {
    taskId: task.id,
    aspect: task.aspect,
    stage,
    durationSec: task.durationSec,
    editable: reason === null,
    readOnlyReason: reason,
    labels,
    lastLabelled: newest ? { by: newest.labelledBy, byName: newest.labelledByName, at: newest.labelledAt } : null,
    facts,
    suggestedFacts: suggested,
  };
}

/**
 * GET /api/tasks/:id/labels — the task's primitive labels, with who labelled each and when, its subjects and setting
 * (facts), and the facts named on the clip's other tasks.
 * PUT /api/tasks/:id/labels — replaces the whole set and the facts (validated against the spec and the facts
 * schema, in one transaction, audited). Missing facts are warnings: saving is fine, finishing is not.
 * Routes carry requireUser themselves: this app is mounted at /api, where a blanket middleware would also catch
 * routes that need no session.
 */
export function labelsRoutes(deps: AppDeps) {
  const { db } = deps.database;
  return new Hono<AppEnv>()
    .get("/tasks/:id/labels", requireUser, async (c) => {
      const user = currentUser(c);
      const task = await findTask(db, c.req.param("id"));
      if (!task) throw notFound("No such task.");
      const access = await requireTaskAccess(db, user, task);
      return c.json(await labelsResponse(db, task, task.stage, access));
    })
    .put("/tasks/:id/labels", requireUser, async (c) => {
      const user = currentUser(c);
      const task = await findTask(db, c.req.param("id"));
      if (!task) throw notFound("No such task.");
      const access = await requireTaskAccess(db, user, task);
      assertCan(access, "label");

      const request = await readJson(c, PutLabelsBody, MAX_BODY_BYTES);
      const { labels } = request;
      const spec = await getSpec();
      // A body without facts keeps the stored ones; the warnings are about the facts the task will have.
      const facts = request.facts ?? (await loadFacts(db, task.id));
      const validation = validateLabels(labels, spec, { aspect: task.aspect, durationSec: task.durationSec, facts });
      if (!validation.canSave) {
        const errors = validation.problems.filter((p) => p.severity === "error");
        const details: LabelsInvalidDetails = { problems: errors };
        const first = errors[0]?.message ?? "";
        throw badRequest(
          errors.length === 1 ? `The labels cannot be saved: ${first}` : `The labels cannot be saved (${errors.length} problems): ${first} …`,
          details,
        );
      }

      const { result: changes, factsChanged } = await db.transaction(async (tx) => {
        // Lock the task row: a stage change (labelling finished) cannot slip in between the check and the write.
        const [locked] = await tx.select({ stage: tasks.stage }).from(tasks).where(eq(tasks.id, task.id)).for("update");
        if (!locked) throw notFound("No such task.");
        const lockedReason = refusal(access, "label", locked.stage);
        if (lockedReason) throw conflict(lockedReason, { stage: locked.stage });
        const result = await replaceLabels(tx, task.id, labels, user.id);
        const factsChanged = request.facts ? await replaceFacts(tx, task.id, request.facts) : false;
        if (result.added + result.changed + result.removed > 0 || factsChanged) {
          await tx.update(tasks).set({ updatedAt: new Date() }).where(eq(tasks.id, task.id));
          await audit(tx, {
            actorId: user.id,
            action: "labels.save",
            entityType: "task",
            entityId: task.id,
            // The facts are short phrases: the audit row keeps what they became, so a change can be traced.
            data: { ...result, count: labels.length, specVersion: spec.version, ...(factsChanged ? { facts: normalizeFacts(facts) } : {}) },
          });
        }
        return { result, factsChanged };
      });

      const saved = await labelsResponse(db, task, "labelling", access);
      const body: PutLabelsResponse = {
        ...saved,
        warnings: validation.problems.filter((p) => p.severity === "warning"),
        changes,
        factsChanged,
      };
      return c.json(body);
    });
}
