import { and, eq, inArray } from "drizzle-orm";
import { drafts, tasks } from "../db/schema/index";
import type { Aspect } from "../../shared/domain";
import type { Spec } from "../../shared/captionSpec/schema";
import type { LoopDeps } from "./deps";
import { startDraft, type DraftOutcome } from "./drafting";
import { labelsComplete, loadTask } from "./taskFacts";
import type { Requester } from "./transitions";

/**
 * Batch drafting, shared by `npm run chai -- draft` and the durable draft-batch job (server/loop/draftBatches.ts):
 * which tasks of a project to draft, and drafting them a few at a time, the aspects others read first.
 */

export type BatchTask = { id: string; aspect: Aspect };

export type DraftPlan = { todo: BatchTask[]; skippedDrafted: number; skippedUnlabelled: number };

/** Drafting order: an aspect comes after the aspects its policy reads. */
function depth(spec: Spec, aspect: Aspect, seen: Aspect[] = []): number {
  const deps = spec.aspects.find((a) => a.aspect === aspect)?.policy.dependsOn ?? [];
  if (seen.includes(aspect)) return 0;
  return deps.reduce((d, dep) => Math.max(d, 1 + depth(spec, dep, [...seen, aspect])), 0);
}

/**
 * The tasks to draft: in labelling with complete labels, and no draft yet. `drafting` says which tasks already in
 * the drafting stage are taken up again: "all" (the CLI: a task left there by an interrupted run), or the ids a
 * batch itself moved there and did not finish (a job taken over after a crash; a task someone else is drafting
 * is left to them).
 */
export async function planDraftBatch(
  deps: LoopDeps,
  spec: Spec,
  projectId: string,
  opts: { aspect?: Aspect; drafting: "all" | readonly string[] },
): Promise<DraftPlan> {
  const candidates = await deps.db
    .select({ id: tasks.id, aspect: tasks.aspect, stage: tasks.stage })
    .from(tasks)
    .where(and(eq(tasks.projectId, projectId), inArray(tasks.stage, ["labelling", "drafting"]), opts.aspect ? eq(tasks.aspect, opts.aspect) : undefined));
  const resumable = opts.drafting === "all" ? null : new Set(opts.drafting);
  const drafted = await deps.db
    .selectDistinct({ taskId: drafts.taskId })
    .from(drafts)
    .innerJoin(tasks, eq(tasks.id, drafts.taskId))
    .where(eq(tasks.projectId, projectId));
  const hasDraft = new Set(drafted.map((r) => r.taskId));
  const plan: DraftPlan = { todo: [], skippedDrafted: 0, skippedUnlabelled: 0 };
  for (const t of candidates) {
    if (t.stage === "drafting" && resumable && !resumable.has(t.id)) continue;
    if (hasDraft.has(t.id)) plan.skippedDrafted++;
    else if (!(await labelsComplete(deps.db, spec, await loadTask(deps.db, t.id)))) plan.skippedUnlabelled++;
    else plan.todo.push({ id: t.id, aspect: t.aspect });
  }
  return plan;
}

export type BatchHooks = {
  /** Before a task is moved to drafting (a job records it first, so a crash after the move is resumable). */
  onStart?: (task: BatchTask) => Promise<void>;
  /** After its draft is in the room, or failed; `ms` is how long it took. */
  onDone?: (task: BatchTask, outcome: DraftOutcome, ms: number) => Promise<void> | void;
  /** No task is started once this is aborted; those under way finish. */
  signal?: AbortSignal;
};

/** Drafts the planned tasks, `concurrency` at a time within each phase (subject and scene before what reads them). */
export async function runDraftBatch(deps: LoopDeps, spec: Spec, todo: readonly BatchTask[], who: Requester, concurrency: number, hooks: BatchHooks = {}) {
  const phases = new Map<number, BatchTask[]>();
  for (const t of todo) {
    const d = depth(spec, t.aspect);
    phases.set(d, [...(phases.get(d) ?? []), t]);
  }
  const draftOne = async (t: BatchTask) => {
    await hooks.onStart?.(t);
    const started = Date.now();
    let outcome: DraftOutcome;
    try {
      outcome = await (await startDraft(deps, t.id, who)).done;
    } catch (err) {
      outcome = { ok: false, error: err instanceof Error ? err.message : String(err) };
    }
    await hooks.onDone?.(t, outcome, Date.now() - started);
  };
  for (const d of [...phases.keys()].sort((a, b) => a - b)) {
    const queue = [...(phases.get(d) ?? [])];
    await Promise.all(
      Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
        for (let t = queue.shift(); t && !hooks.signal?.aborted; t = queue.shift()) await draftOne(t);
      }),
    );
    if (hooks.signal?.aborted) return;
  }
}
