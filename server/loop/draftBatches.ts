import { inArray } from "drizzle-orm";
import { z } from "zod";
import { audit } from "../audit";
import type { SessionUser } from "../auth/sessionUser";
import { projects, users } from "../db/schema/index";
import { asJson, type JobContext, type JobOutcome, type JobQueue, type JobRecord } from "../jobs/types";
import { Id } from "../../shared/api/common";
import { Aspect } from "../../shared/domain";
import { DraftBatchProgress, emptyDraftBatchProgress, type DraftBatch } from "../../shared/api/draftBatches";
import type { LoopDeps } from "./deps";
import { planDraftBatch, runDraftBatch } from "./draftBatch";

/** The job name of batch drafting in the job queue. */
export const DRAFT_BATCH_JOB = "draft-batch";

/** Batches listed (the newest). */
const LIST_LIMIT = 20;

/** Failures kept in a batch's progress for the person watching (the server log has them all). */
const FAILURES_KEPT = 20;

const Input = z.object({ projectId: Id, aspect: Aspect.optional(), concurrency: z.number().int().min(1).max(32) });
type Input = z.infer<typeof Input>;

/**
 * Batch drafting as a durable job: one job per (project, aspect) batch, with per-task progress in its row. Tasks
 * are drafted by the process whose worker took the job; if it dies, another takes the job over and drafts what is
 * left: tasks already drafted are past labelling and are not planned again, and of the tasks in drafting only those
 * this batch had started and not finished are taken up (a task a person is drafting right now is theirs).
 */
export class DraftBatches {
  constructor(
    private readonly queue: JobQueue,
    private readonly loop: LoopDeps,
  ) {
    queue.work(DRAFT_BATCH_JOB, (ctx) => this.execute(ctx));
  }

  /** Queues a batch, or joins the unfinished one of the same project and aspect. */
  async start(user: SessionUser, project: { id: string; name: string }, opts: { aspect?: Aspect; concurrency: number }): Promise<{ batch: DraftBatch; joined: boolean }> {
    const input: Input = { projectId: project.id, aspect: opts.aspect, concurrency: opts.concurrency };
    const { job, joined } = await this.queue.send(DRAFT_BATCH_JOB, asJson(input), {
      singletonKey: `${project.id}:${opts.aspect ?? "all"}`,
      createdBy: user.id,
      progress: asJson(emptyDraftBatchProgress()),
      onCreate: (tx, created) =>
        audit(tx, { actorId: user.id, action: "draft_batch.start", entityType: "project", entityId: project.id, data: { job: created.id, ...input } }),
    });
    return { batch: (await this.present([job]))[0]!, joined };
  }

  async get(id: string): Promise<DraftBatch | null> {
    const record = await this.queue.get(id);
    return record && record.name === DRAFT_BATCH_JOB ? ((await this.present([record]))[0] ?? null) : null;
  }

  async list(): Promise<DraftBatch[]> {
    return this.present(await this.queue.list(DRAFT_BATCH_JOB, LIST_LIMIT));
  }

  /**
   * Stops a batch: a waiting one never runs; a running one starts no further task (the worker, in whichever
   * process, notices at its next step; drafts under way finish). False when it had already ended.
   */
  async cancel(user: SessionUser, id: string): Promise<boolean> {
    const record = await this.queue.get(id);
    if (!record || record.name !== DRAFT_BATCH_JOB || !(await this.queue.cancel(id))) return false;
    await audit(this.loop.db, { actorId: user.id, action: "draft_batch.cancel", entityType: "project", entityId: Input.parse(record.input).projectId, data: { job: id } });
    return true;
  }

  private async execute({ job, attempt, signal, setProgress }: JobContext): Promise<JobOutcome> {
    const input = Input.parse(job.input);
    const deps = this.loop;
    const { spec } = await deps.loadSpec();
    const stored = DraftBatchProgress.safeParse(job.progress);
    const progress = stored.success ? stored.data : emptyDraftBatchProgress();
    const plan = await planDraftBatch(deps, spec, input.projectId, { aspect: input.aspect, drafting: progress.inFlight });
    // A takeover keeps the counts so far; what is left is what it planned now.
    progress.total = progress.done + plan.todo.length;
    if (attempt === 1) {
      progress.skippedDrafted = plan.skippedDrafted;
      progress.skippedUnlabelled = plan.skippedUnlabelled;
    }
    progress.inFlight = progress.inFlight.filter((id) => plan.todo.some((t) => t.id === id));
    // Writes from the parallel drafts go one after another, each with the latest counts.
    let saving: Promise<void> = Promise.resolve();
    const save = () => (saving = saving.then(() => setProgress(asJson(progress))));
    await save();

    await runDraftBatch(deps, spec, plan.todo, { kind: "system", actorId: job.createdBy, onBehalfOfWorker: true }, input.concurrency, {
      signal,
      onStart: async (t) => {
        if (!progress.inFlight.includes(t.id)) progress.inFlight.push(t.id);
        await save();
      },
      onDone: async (t, outcome) => {
        progress.inFlight = progress.inFlight.filter((id) => id !== t.id);
        progress.done++;
        if (outcome.ok) progress.drafted++;
        else {
          progress.failed++;
          progress.failures = [...progress.failures, { taskId: t.id, aspect: t.aspect, error: outcome.error.slice(0, 500) }].slice(-FAILURES_KEPT);
        }
        await save();
      },
    });
    await saving;
    // Told to let go: the drafts under way have finished; the next worker plans what is left.
    if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new Error("the batch was stopped");
    const result = { drafted: progress.drafted, failed: progress.failed };
    await audit(deps.db, { actorId: job.createdBy, action: "draft_batch.done", entityType: "project", entityId: input.projectId, data: { job: job.id, ...result } }).catch(
      (err: unknown) => deps.log(`draft batch ${job.id}: could not audit draft_batch.done: ${String(err)}`),
    );
    return { ok: true, result: asJson(result) };
  }

  private async present(records: JobRecord[]): Promise<DraftBatch[]> {
    const inputs = records.map((r) => Input.parse(r.input));
    const projectIds = [...new Set(inputs.map((i) => i.projectId))];
    const userIds = [...new Set(records.map((r) => r.createdBy).filter((id): id is string => id !== null))];
    const db = this.loop.db;
    const projectNames = new Map(
      projectIds.length ? (await db.select({ id: projects.id, name: projects.name }).from(projects).where(inArray(projects.id, projectIds))).map((p) => [p.id, p.name]) : [],
    );
    const userNames = new Map(
      userIds.length ? (await db.select({ id: users.id, name: users.displayName }).from(users).where(inArray(users.id, userIds))).map((u) => [u.id, u.name]) : [],
    );
    return records.map((r, i) => {
      const input = inputs[i]!;
      const progress = DraftBatchProgress.safeParse(r.progress);
      return {
        id: r.id,
        project: { id: input.projectId, name: projectNames.get(input.projectId) ?? "" },
        aspect: input.aspect ?? null,
        createdBy: r.createdBy ? { id: r.createdBy, name: userNames.get(r.createdBy) ?? "" } : null,
        createdAt: r.createdAt.toISOString(),
        startedAt: r.startedAt?.toISOString() ?? null,
        finishedAt: r.finishedAt?.toISOString() ?? null,
        state: r.state,
        progress: progress.success ? progress.data : emptyDraftBatchProgress(),
        attempts: r.attempts,
        error: r.error,
      };
    });
  }
}
