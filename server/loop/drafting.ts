import { and, desc, eq, inArray } from "drizzle-orm";
import type { Db } from "../db";
import { drafts, tasks } from "../db/schema";
import { conflict } from "../errors";
import { loadFacts, loadLabels } from "../labels/repository";
import { buildDraftPrompt } from "../pipeline/prompts";
import { isProviderError } from "../pipeline/providers";
import { readFinalVersion } from "../versions";
import { runPrompt } from "../pipeline/revise";
import type { Aspect } from "../../shared/domain";
import { bareLabel } from "../../shared/labels";
import type { Stage } from "../../shared/domain/stages";
import { permits } from "../../shared/stage/machine";
import { IDLE_REVISION } from "../../shared/room/document";
import type { LoopDeps } from "./deps";
import { mediaFor } from "./media";
import { writeDraft, writeRevisionState } from "./roomContent";
import { loadTask, unfinishedLabelling, type LoopTask } from "./taskFacts";
import { applyTransition, resolveActor, type Requester } from "./transitions";

/** Stages whose frozen post-caption counts as the caption other aspects read. */
const ACCEPTED: readonly Stage[] = ["approved", "in_review", "submitted"];

/**
 * The captions a draft of this aspect reads (motion reads subject; spatial reads subject and scene, per the spec's
 * policy): for each, the latest frozen post-caption of the same clip's task of that aspect, preferring approved
 * work, else its latest model draft.
 */
export async function dependencyCaptions(db: Db, videoId: string, aspects: readonly Aspect[]): Promise<Partial<Record<Aspect, string>>> {
  const out: Partial<Record<Aspect, string>> = {};
  if (aspects.length === 0) return out;
  const candidates = await db
    .select({ id: tasks.id, aspect: tasks.aspect, stage: tasks.stage })
    .from(tasks)
    .where(and(eq(tasks.videoId, videoId), inArray(tasks.aspect, [...aspects])));
  for (const aspect of aspects) {
    const ofAspect = candidates
      .filter((t) => t.aspect === aspect)
      .sort((a, b) => rank(a.stage) - rank(b.stage));
    for (const t of ofAspect) {
      const caption = ACCEPTED.includes(t.stage) ? await finalCaption(db, t.id) : await latestDraft(db, t.id);
      if (caption) {
        out[aspect] = caption;
        break;
      }
    }
  }
  return out;
}

const rank = (s: Stage) => (s === "approved" ? 0 : ACCEPTED.includes(s) ? 1 : 2);

/** The task's final post-caption (server/versions), else its latest draft. */
async function finalCaption(db: Db, taskId: string): Promise<string | null> {
  return (await readFinalVersion(db, taskId))?.postCaption ?? (await latestDraft(db, taskId));
}

async function latestDraft(db: Db, taskId: string): Promise<string | null> {
  const [d] = await db.select({ text: drafts.text }).from(drafts).where(eq(drafts.taskId, taskId)).orderBy(desc(drafts.createdAt)).limit(1);
  return d?.text ?? null;
}

export type DraftOutcome = { ok: true; draftId: string; text: string } | { ok: false; error: string };

/**
 * Starts drafting a task: labelling → drafting (the machine checks the labels and facts are complete; what is
 * missing is said in words first), then generates the pre-caption in the background. `done` settles when the draft is in the room and the task is in critiquing — or,
 * on failure, when the message is in the room and the task is back in labelling. Never rejects.
 */
export async function startDraft(deps: LoopDeps, taskId: string, who: Requester): Promise<{ task: LoopTask; done: Promise<DraftOutcome> }> {
  const task = await loadTask(deps.db, taskId);
  if (task.stage === "labelling") {
    // The machine refuses unfinished labelling in one general sentence: to someone who may finish it at all, say
    // what is missing (the subjects, the setting, which sub-aspect).
    if (permits(task.stage, "finish_labelling", await resolveActor(deps, task, who))) {
      const missing = await unfinishedLabelling(deps.db, (await deps.loadSpec()).spec, task);
      if (missing) throw conflict(missing, { stage: task.stage, action: "finish_labelling" });
    }
    await applyTransition(deps, task.id, "finish_labelling", who, { task });
  } else if (task.stage !== "drafting") {
    throw conflict(`The task is ${task.stage}: a draft is made only from labelling.`, { stage: task.stage });
  }
  const actorId = who.kind === "user" ? who.user.id : (who.actorId ?? null);
  const done = generateDraft(deps, { ...task, stage: "drafting" }, actorId);
  return { task: { ...task, stage: "drafting" }, done };
}

async function generateDraft(deps: LoopDeps, task: LoopTask, actorId: string | null): Promise<DraftOutcome> {
  const system: Requester = { kind: "system", actorId };
  try {
    const { spec } = await deps.loadSpec();
    const aspect = spec.aspects.find((a) => a.aspect === task.aspect);
    const [stored, facts] = await Promise.all([loadLabels(deps.db, task.id), loadFacts(deps.db, task.id)]);
    const labels = stored.map(bareLabel);
    const dependencies = await dependencyCaptions(deps.db, task.videoId, aspect?.policy.dependsOn ?? []);
    const prompt = buildDraftPrompt({ spec, aspect: task.aspect, labels, facts, dependencies });
    const provider = deps.providerFor(task.settings);
    const media = await mediaFor(deps.config, provider, task, deps.log);
    const result = await runPrompt(provider, prompt, { media });
    const [row] = await deps.db
      .insert(drafts)
      .values({
        taskId: task.id,
        text: result.text,
        provider: result.provider,
        model: result.model,
        promptHash: result.promptHash,
        usage: result.usage ? numeric(result.usage) : null,
        createdAt: deps.clock?.(),
      })
      .returning({ id: drafts.id });
    await writeDraft(deps.rooms, task.id, result.text);
    await writeRevisionState(deps.rooms, task.id, IDLE_REVISION);
    await applyTransition(deps, task.id, "draft_ready", system);
    return { ok: true, draftId: row?.id ?? "", text: result.text };
  } catch (err) {
    const error = `Drafting failed: ${isProviderError(err) || err instanceof Error ? err.message : String(err)}`;
    deps.log(`loop: task ${task.id}: ${error}`);
    await writeRevisionState(deps.rooms, task.id, { ...IDLE_REVISION, status: "failed", error: error.slice(0, 2000) }).catch((e: unknown) =>
      deps.log(`loop: writing the failed draft into room ${task.id} failed: ${String(e)}`),
    );
    await applyTransition(deps, task.id, "draft_failed", system).catch((e: unknown) => deps.log(`loop: draft_failed: ${String(e)}`));
    return { ok: false, error };
  }
}

function numeric(u: Record<string, number | null>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(u)) if (typeof v === "number") out[k] = v;
  return out;
}
