import { and, asc, count, eq, inArray, notInArray, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { audit } from "../audit";
import type { SessionUser } from "../auth/sessionUser";
import type { Db } from "../db";
import { projects, rewardRules, tasks, users, videos } from "../db/schema";
import type { ProjectSettings } from "../db/schema/media";
import { conflict, invalid, notFound } from "../errors";
import { ASPECTS, type Aspect } from "../../shared/domain";
import type { Stage } from "../../shared/domain/stages";
import {
  aspectWarnings,
  MODEL_PROVIDERS,
  INPUT_MODES,
  type AssignResponse,
  type CreateProjectRequest,
  type GenerateTasksResponse,
  type ProjectDetail,
  type ProjectSettingsForm,
  type ProjectTaskRow,
  type UpdateProjectRequest,
} from "../../shared/api/projects";
import { byWorkload, clipAspectKey, goldAttempts, overlapTwins, roundRobin, type ClipTask, type Pick2 } from "./assignment";

/** What the project services need besides the database: the current spec version and the room access re-check. */
export type ProjectDeps = { db: Db; currentSpecVersion: () => Promise<string>; revalidate: (taskId: string) => void };

/** Stages where a task still waits on its annotator (workload counts these). */
export const OPEN_STAGES: readonly Stage[] = ["labelling", "drafting", "critiquing", "revising", "refining", "rejected"];

/** The form's view of stored settings: what is missing takes its default. */
export function formOf(s: ProjectSettings, currentSpec: string): ProjectSettingsForm {
  const pct = (v: number | undefined, d: number) => (typeof v === "number" && Number.isFinite(v) ? Math.max(0, Math.min(100, Math.round(v))) : d);
  return {
    aspects: s.aspects?.length ? s.aspects.filter((a) => ASPECTS.includes(a)) : [...ASPECTS],
    provider: MODEL_PROVIDERS.find((p) => p === s.provider) ?? "rules",
    model: s.model ?? "",
    inputMode: INPUT_MODES.find((m) => m === s.inputMode) ?? "frames",
    bestOfN: typeof s.bestOfN === "number" ? Math.max(1, Math.min(8, Math.floor(s.bestOfN))) : 1,
    rewardRulesVersion: s.rewardRulesVersion ?? null,
    overlapShare: pct(s.overlapShare, 0),
    goldShare: pct(s.goldShare, 0),
    testShare: pct(s.testShare, 0),
    specVersion: s.specVersion ?? currentSpec,
  };
}

/** The stored form: an empty model name means "the configured model", so it is left out. */
function storedOf(prev: ProjectSettings, form: ProjectSettingsForm): ProjectSettings {
  const { model, ...rest } = form;
  const next: ProjectSettings = { ...prev, ...rest };
  if (model) next.model = model;
  else delete next.model;
  return next;
}

/** The days reward rule versions start on (server/review/rules.ts: each change adds rows from a day). */
export async function rewardRulesVersions(db: Db): Promise<string[]> {
  const rows = await db.selectDistinct({ day: rewardRules.effectiveFrom }).from(rewardRules).orderBy(asc(rewardRules.effectiveFrom));
  return rows.map((r) => r.day);
}

/** Checks what zod cannot: the reward rules version exists, and the spec version is the current one (or kept). */
async function checkSettings(deps: ProjectDeps, form: ProjectSettingsForm, pinned: string | undefined): Promise<void> {
  if (form.rewardRulesVersion !== null && !(await rewardRulesVersions(deps.db)).includes(form.rewardRulesVersion)) {
    throw invalid(`There is no reward rules version starting ${form.rewardRulesVersion}.`);
  }
  const current = await deps.currentSpecVersion();
  if (form.specVersion !== current && form.specVersion !== pinned) {
    throw invalid(`The spec version can only be pinned to the current one (${current}).`);
  }
}

async function nameTaken(db: Db, name: string, except?: string): Promise<void> {
  const [row] = await db.select({ id: projects.id }).from(projects).where(eq(projects.name, name)).limit(1);
  if (row && row.id !== except) throw conflict(`A project named "${name}" already exists.`);
}

export async function projectDetail(deps: ProjectDeps, id: string): Promise<ProjectDetail> {
  const [row] = await deps.db.select().from(projects).where(eq(projects.id, id)).limit(1);
  if (!row) throw notFound("No such project.");
  const current = await deps.currentSpecVersion();
  const settings = formOf(row.settings, current);
  const [[clips], [taskCount], versions] = await Promise.all([
    deps.db.select({ n: count() }).from(videos).where(eq(videos.projectId, id)),
    deps.db.select({ n: count() }).from(tasks).where(eq(tasks.projectId, id)),
    rewardRulesVersions(deps.db),
  ]);
  return {
    id: row.id,
    name: row.name,
    createdAt: row.createdAt.toISOString(),
    settings,
    warnings: aspectWarnings(settings.aspects),
    options: { rewardRulesVersions: versions, currentSpecVersion: current },
    counts: { clips: clips?.n ?? 0, tasks: taskCount?.n ?? 0 },
  };
}

export async function createProject(deps: ProjectDeps, actor: SessionUser, req: CreateProjectRequest): Promise<ProjectDetail> {
  await nameTaken(deps.db, req.name);
  const form = { ...formOf({}, await deps.currentSpecVersion()), ...req.settings };
  await checkSettings(deps, form, undefined);
  const [row] = await deps.db.insert(projects).values({ name: req.name, settings: storedOf({}, form) }).returning({ id: projects.id });
  if (!row) throw new Error("project insert returned nothing");
  await audit(deps.db, { actorId: actor.id, action: "project.create", entityType: "project", entityId: row.id, data: { name: req.name, settings: form } });
  return projectDetail(deps, row.id);
}

export async function updateProject(deps: ProjectDeps, actor: SessionUser, id: string, req: UpdateProjectRequest): Promise<ProjectDetail> {
  const [row] = await deps.db.select().from(projects).where(eq(projects.id, id)).limit(1);
  if (!row) throw notFound("No such project.");
  if (req.name !== undefined) await nameTaken(deps.db, req.name, id);
  const before = formOf(row.settings, await deps.currentSpecVersion());
  const form = { ...before, ...req.settings };
  await checkSettings(deps, form, row.settings.specVersion);
  // Only what really changed is audited, as before → after.
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  if (req.name !== undefined && req.name !== row.name) changes.name = { from: row.name, to: req.name };
  for (const k of Object.keys(form) as (keyof ProjectSettingsForm)[]) {
    if (JSON.stringify(form[k]) !== JSON.stringify(before[k])) changes[k] = { from: before[k], to: form[k] };
  }
  if (Object.keys(changes).length === 0) return projectDetail(deps, id);
  await deps.db
    .update(projects)
    .set({ name: req.name ?? row.name, settings: storedOf(row.settings, form) })
    .where(eq(projects.id, id));
  await audit(deps.db, { actorId: actor.id, action: "project.update", entityType: "project", entityId: id, data: { changes } });
  return projectDetail(deps, id);
}

async function loadProject(db: Db, id: string) {
  const [row] = await db.select().from(projects).where(eq(projects.id, id)).limit(1);
  if (!row) throw notFound("No such project.");
  return row;
}

/** Creates the missing task of every clip × aspect of the project (aspects in the project's order); idempotent. */
export async function generateTasks(deps: ProjectDeps, actor: SessionUser, projectId: string): Promise<GenerateTasksResponse> {
  return makeMissingTasks(deps, actor.id, projectId, null);
}

/**
 * The same for one clip of the project: called when an upload registers a clip, so its tasks exist at once.
 * `total` counts that clip's tasks. A clip of another project gets none here.
 */
export async function generateTasksForVideo(
  deps: Pick<ProjectDeps, "db" | "currentSpecVersion">,
  actorId: string | null,
  projectId: string,
  videoId: string,
): Promise<GenerateTasksResponse> {
  return makeMissingTasks(deps, actorId, projectId, videoId);
}

/**
 * The one implementation: the project's clips (or one of them) × its aspects, less the tasks they have. The read
 * and the insert run under a per-project advisory lock, so an upload finishing while someone clicks "Make missing
 * tasks" cannot make a clip's tasks twice.
 */
async function makeMissingTasks(
  deps: Pick<ProjectDeps, "db" | "currentSpecVersion">,
  actorId: string | null,
  projectId: string,
  videoId: string | null,
): Promise<GenerateTasksResponse> {
  const project = await loadProject(deps.db, projectId);
  const form = formOf(project.settings, await deps.currentSpecVersion());
  const ofClip = (col: typeof videos.id | typeof tasks.videoId) => (videoId ? eq(col, videoId) : undefined);
  return deps.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${"tasks:" + projectId}))`);
    const [clips, existing] = await Promise.all([
      tx.select({ id: videos.id }).from(videos).where(and(eq(videos.projectId, projectId), ofClip(videos.id))).orderBy(asc(videos.title), asc(videos.createdAt)),
      tx.select({ videoId: tasks.videoId, aspect: tasks.aspect }).from(tasks).where(and(eq(tasks.projectId, projectId), ofClip(tasks.videoId))),
    ]);
    const have = new Set(existing.map((t) => clipAspectKey(t.videoId, t.aspect)));
    const rows = clips.flatMap((clip) =>
      form.aspects
        .filter((aspect) => !have.has(clipAspectKey(clip.id, aspect)))
        .map((aspect) => ({ projectId, videoId: clip.id, aspect, specVersion: form.specVersion })),
    );
    if (rows.length > 0) {
      await tx.insert(tasks).values(rows);
      await audit(tx, {
        actorId,
        action: "project.tasks_generate",
        entityType: "project",
        entityId: projectId,
        data: videoId ? { created: rows.length, videoId } : { created: rows.length },
      });
    }
    return { created: rows.length, total: existing.length + rows.length };
  });
}

const annotatorUser = alias(users, "annotator_user");
const reviewerUser = alias(users, "reviewer_user");

export async function listProjectTasks(db: Db, projectId: string): Promise<ProjectTaskRow[]> {
  const project = await loadProject(db, projectId);
  const order = formOf(project.settings, "").aspects;
  const rows = await db
    .select({
      id: tasks.id,
      videoId: tasks.videoId,
      videoTitle: videos.title,
      aspect: tasks.aspect,
      stage: tasks.stage,
      isGold: tasks.isGold,
      createdAt: tasks.createdAt,
      annotatorId: tasks.annotatorId,
      annotatorName: annotatorUser.displayName,
      reviewerId: tasks.reviewerId,
      reviewerName: reviewerUser.displayName,
    })
    .from(tasks)
    .innerJoin(videos, eq(videos.id, tasks.videoId))
    .leftJoin(annotatorUser, eq(annotatorUser.id, tasks.annotatorId))
    .leftJoin(reviewerUser, eq(reviewerUser.id, tasks.reviewerId))
    .where(eq(tasks.projectId, projectId))
    .orderBy(asc(videos.title), asc(tasks.videoId), asc(tasks.createdAt))
    .limit(5000);
  // The project's aspect order within each clip (aspects it no longer works go last).
  const rank = (a: Aspect) => (order.indexOf(a) === -1 ? 99 : order.indexOf(a));
  const clipOrder = new Map<string, number>();
  for (const r of rows) if (!clipOrder.has(r.videoId)) clipOrder.set(r.videoId, clipOrder.size);
  rows.sort((a, b) => (clipOrder.get(a.videoId) ?? 0) - (clipOrder.get(b.videoId) ?? 0) || rank(a.aspect) - rank(b.aspect) || a.createdAt.getTime() - b.createdAt.getTime());
  return rows.map((r) => ({
    id: r.id,
    videoId: r.videoId,
    videoTitle: r.videoTitle,
    aspect: r.aspect,
    stage: r.stage,
    isGold: r.isGold,
    annotator: r.annotatorId ? { id: r.annotatorId, name: r.annotatorName ?? "?" } : null,
    reviewer: r.reviewerId ? { id: r.reviewerId, name: r.reviewerName ?? "?" } : null,
  }));
}

/** Active people with one of these roles, or a 400 that names who is not. */
async function checkPeople(db: Db, ids: readonly string[], roles: readonly string[], what: string): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.select({ id: users.id, role: users.role, active: users.active, name: users.displayName }).from(users).where(inArray(users.id, [...ids]));
  for (const id of ids) {
    const u = rows.find((r) => r.id === id);
    if (!u) throw invalid(`No such person (${id}).`);
    if (!u.active) throw invalid(`${u.name} is deactivated and cannot be given tasks.`);
    if (!roles.includes(u.role)) throw invalid(`${u.name} is a ${u.role}; ${what} must be ${roles.join(" or ")}.`);
  }
  return new Map(rows.map((r) => [r.id, r.role]));
}

const WORKERS = ["annotator", "trainee"] as const;
const REVIEWERS = ["reviewer", "lead", "admin"] as const;

/** Hand assignment: these tasks to this annotator and/or reviewer (null = unassign). */
export async function assignManual(
  deps: ProjectDeps,
  actor: SessionUser,
  projectId: string,
  req: { taskIds: string[]; annotatorId?: string | null; reviewerId?: string | null },
): Promise<AssignResponse> {
  await loadProject(deps.db, projectId);
  if (req.annotatorId === undefined && req.reviewerId === undefined) throw invalid("Say whom to assign: an annotator, a reviewer, or none to unassign.");
  if (req.annotatorId) await checkPeople(deps.db, [req.annotatorId], WORKERS, "the annotator");
  if (req.reviewerId) await checkPeople(deps.db, [req.reviewerId], REVIEWERS, "the reviewer");
  const rows = await deps.db
    .select({ id: tasks.id, annotatorId: tasks.annotatorId, reviewerId: tasks.reviewerId, videoId: tasks.videoId, aspect: tasks.aspect })
    .from(tasks)
    .where(and(eq(tasks.projectId, projectId), inArray(tasks.id, req.taskIds)));
  if (rows.length !== new Set(req.taskIds).size) throw invalid("Some of the chosen tasks are not in this project.");
  if (req.annotatorId) {
    // Two tasks on one clip and aspect are there to compare two people: one person may not hold both.
    const siblings = await deps.db
      .select({ id: tasks.id, videoId: tasks.videoId, aspect: tasks.aspect })
      .from(tasks)
      .where(and(eq(tasks.projectId, projectId), eq(tasks.annotatorId, req.annotatorId), notInArray(tasks.id, req.taskIds)));
    const held = new Set(siblings.map((s) => clipAspectKey(s.videoId, s.aspect)));
    const clash = rows.find((r) => held.has(clipAspectKey(r.videoId, r.aspect)));
    if (clash) throw conflict("This person already works another task on the same clip and aspect; pick someone else for the overlap.");
  }
  const changed = rows.filter(
    (r) => (req.annotatorId !== undefined && r.annotatorId !== req.annotatorId) || (req.reviewerId !== undefined && r.reviewerId !== req.reviewerId),
  );
  if (changed.length === 0) return { changed: 0, overlapCreated: 0, goldCreated: 0 };
  const now = new Date();
  await deps.db.transaction(async (tx) => {
    await tx
      .update(tasks)
      .set({
        ...(req.annotatorId !== undefined ? { annotatorId: req.annotatorId } : {}),
        ...(req.reviewerId !== undefined ? { reviewerId: req.reviewerId } : {}),
        updatedAt: now,
      })
      .where(inArray(tasks.id, changed.map((r) => r.id)));
    for (const r of changed) {
      const data: Record<string, unknown> = { projectId };
      if (req.annotatorId !== undefined) data.annotator = { from: r.annotatorId, to: req.annotatorId };
      if (req.reviewerId !== undefined) data.reviewer = { from: r.reviewerId, to: req.reviewerId };
      const action = req.annotatorId === null && req.reviewerId === undefined ? "task.unassign" : "task.assign";
      await audit(tx, { actorId: actor.id, action, entityType: "task", entityId: r.id, data });
    }
  });
  // The room follows at once: the old annotator's connection loses write access, the new one may join.
  for (const r of changed) deps.revalidate(r.id);
  return { changed: changed.length, overlapCreated: 0, goldCreated: 0 };
}

/** Bulk assignment: round robin or by workload, then the overlap share and the trainees' gold attempts. */
export async function assignBulk(
  deps: ProjectDeps,
  actor: SessionUser,
  projectId: string,
  req: { mode: "round_robin" | "workload"; taskIds?: string[]; annotatorIds: string[]; overlap: boolean; gold: boolean },
): Promise<AssignResponse> {
  const project = await loadProject(deps.db, projectId);
  const form = formOf(project.settings, await deps.currentSpecVersion());
  const people = [...new Set(req.annotatorIds)];
  const roles = await checkPeople(deps.db, people, WORKERS, "everyone chosen");
  const all = await deps.db
    .select({ id: tasks.id, videoId: tasks.videoId, aspect: tasks.aspect, annotatorId: tasks.annotatorId, stage: tasks.stage, isGold: tasks.isGold, specVersion: tasks.specVersion, title: videos.title })
    .from(tasks)
    .innerJoin(videos, eq(videos.id, tasks.videoId))
    .where(eq(tasks.projectId, projectId))
    .orderBy(asc(videos.title), asc(tasks.videoId), asc(tasks.createdAt));
  const rank = (a: string) => form.aspects.indexOf(a as Aspect);
  const pool = (
    req.taskIds
      ? all.filter((t) => req.taskIds?.includes(t.id))
      : all.filter((t) => t.annotatorId === null && t.stage === "labelling" && !t.isGold)
  ).sort((a, b) => (a.title < b.title ? -1 : a.title > b.title ? 1 : a.videoId < b.videoId ? -1 : a.videoId > b.videoId ? 1 : rank(a.aspect) - rank(b.aspect)));
  if (req.taskIds && pool.length !== new Set(req.taskIds).size) throw invalid("Some of the chosen tasks are not in this project.");
  if (pool.length === 0) return { changed: 0, overlapCreated: 0, goldCreated: 0 };

  let picks: Pick2[];
  if (req.mode === "round_robin") picks = roundRobin(pool.map((t) => t.id), people);
  else {
    const open = await deps.db
      .select({ id: tasks.annotatorId, n: count() })
      .from(tasks)
      .where(and(inArray(tasks.annotatorId, people), inArray(tasks.stage, [...OPEN_STAGES]), notInArray(tasks.id, pool.map((t) => t.id))))
      .groupBy(tasks.annotatorId);
    picks = byWorkload(pool.map((t) => t.id), people, new Map(open.flatMap((o) => (o.id ? [[o.id, o.n] as const] : []))));
  }
  const byId = new Map(pool.map((t) => [t.id, t]));
  const changed = picks.filter((p) => byId.get(p.taskId)?.annotatorId !== p.annotatorId);

  const perKey = new Map<string, number>();
  for (const t of all) perKey.set(clipAspectKey(t.videoId, t.aspect), (perKey.get(clipAspectKey(t.videoId, t.aspect)) ?? 0) + 1);
  const assigned: ClipTask[] = picks.map((p) => {
    const t = byId.get(p.taskId) as (typeof pool)[number];
    return { taskId: t.id, videoId: t.videoId, aspect: t.aspect, annotatorId: p.annotatorId };
  });
  const twins = req.overlap ? overlapTwins(assigned, people, form.overlapShare, perKey) : [];

  // Gold attempts: for each trainee chosen, a share of what they were given, on gold tasks of this project.
  const goldRows = all.filter((t) => t.isGold);
  const given = new Map<string, number>();
  for (const p of picks) given.set(p.annotatorId, (given.get(p.annotatorId) ?? 0) + 1);
  const heldBy = new Set(all.filter((t) => t.annotatorId).map((t) => `${t.annotatorId}\u0000${clipAspectKey(t.videoId, t.aspect)}`));
  const goldNew = req.gold
    ? people
        .filter((p) => roles.get(p) === "trainee")
        .flatMap((p) =>
          goldAttempts(given.get(p) ?? 0, form.goldShare, goldRows, (v, a) => heldBy.has(`${p}\u0000${clipAspectKey(v, a)}`)).map((g) => ({
            projectId,
            videoId: g.videoId,
            aspect: g.aspect,
            specVersion: g.specVersion,
            annotatorId: p,
            goldTaskId: g.id,
          })),
        )
    : [];

  const now = new Date();
  const created: string[] = [];
  await deps.db.transaction(async (tx) => {
    for (const p of changed) {
      await tx.update(tasks).set({ annotatorId: p.annotatorId, updatedAt: now }).where(eq(tasks.id, p.taskId));
    }
    if (twins.length > 0) {
      const specOf = (videoId: string, aspect: string) => pool.find((t) => t.videoId === videoId && t.aspect === aspect)?.specVersion ?? form.specVersion;
      const ids = await tx
        .insert(tasks)
        .values(twins.map((t) => ({ projectId, videoId: t.videoId, aspect: t.aspect as Aspect, annotatorId: t.annotatorId, specVersion: specOf(t.videoId, t.aspect) })))
        .returning({ id: tasks.id });
      created.push(...ids.map((r) => r.id));
    }
    if (goldNew.length > 0) {
      const ids = await tx
        .insert(tasks)
        .values(goldNew.map(({ goldTaskId: _g, ...row }) => row))
        .returning({ id: tasks.id });
      created.push(...ids.map((r) => r.id));
    }
    await audit(tx, {
      actorId: actor.id,
      action: "project.assign",
      entityType: "project",
      entityId: projectId,
      data: {
        mode: req.mode,
        annotators: people,
        assigned: changed.map((p) => ({ taskId: p.taskId, from: byId.get(p.taskId)?.annotatorId ?? null, to: p.annotatorId })),
        overlapCreated: twins.length,
        gold: goldNew.map((g) => ({ traineeId: g.annotatorId, goldTaskId: g.goldTaskId })),
      },
    });
  });
  for (const p of changed) deps.revalidate(p.taskId);
  return { changed: changed.length, overlapCreated: twins.length, goldCreated: goldNew.length };
}

