import { eq, inArray } from "drizzle-orm";
import { expect, it } from "vitest";
import { createServices } from "../app";
import { drafts, tasks } from "../db/schema/index";
import { getSpec } from "../captionSpec/index";
import { replaceFacts, replaceLabels } from "../labels/repository";
import { InProcessQueue } from "../jobs/inProcessQueue";
import { JobStore } from "../jobs/store";
import { asJson } from "../jobs/types";
import { describeEachDb } from "../testing/db";
import { COMPLETE_FACTS, completeLabels } from "../testing/pipelineFixtures";
import { createTestUser, person, seedProject, seedTask } from "../testing/seed";
import { testConfig } from "../testing/testConfig";
import { DraftBatchProgress, emptyDraftBatchProgress } from "../../shared/api/draftBatches";
import type { Aspect } from "../../shared/domain";
import { DRAFT_BATCH_JOB, DraftBatches } from "./draftBatches";

describeEachDb("draft batches as durable jobs (in-process queue)", (db) => {
  const config = testConfig();

  /** A project with a fully labelled task per aspect given. */
  async function labelledProject(aspects: Aspect[]) {
    const spec = await getSpec();
    const ann = await person(db().db, "annotator");
    const ids = await seedProject(db().db);
    const byAspect = new Map<Aspect, string>();
    for (const aspect of aspects) {
      const a = spec.aspects.find((x) => x.aspect === aspect);
      if (!a) throw new Error(`no ${aspect} in the spec`);
      const taskId = await seedTask(db().db, { ...ids, aspect, annotatorId: ann.id, specVersion: spec.version });
      await replaceLabels(db().db, taskId, completeLabels(a), ann.id);
      await replaceFacts(db().db, taskId, COMPLETE_FACTS);
      byAspect.set(aspect, taskId);
    }
    return { projectId: ids.projectId, byAspect };
  }

  const draftsOf = async (ids: string[]) => db().db.select({ taskId: drafts.taskId }).from(drafts).where(inArray(drafts.taskId, ids));
  const stageOf = async (id: string) => (await db().db.select({ stage: tasks.stage }).from(tasks).where(eq(tasks.id, id)))[0]?.stage;

  it("drafts a project's labelled tasks with per-task progress; a second start joins the unfinished batch", async () => {
    const { projectId, byAspect } = await labelledProject(["subject", "camera"]);
    const lead = await createTestUser(db().db, "lead");
    const queue = new InProcessQueue(new JobStore(db().db), { retryLimit: 2, log: () => {} });
    const batches = new DraftBatches(queue, createServices({ config, database: db() }).loop.deps);
    const user = { id: lead.id, email: lead.email, displayName: lead.displayName, role: lead.role };
    const first = await batches.start(user, { id: projectId, name: "P" }, { concurrency: 2 });
    const second = await batches.start(user, { id: projectId, name: "P" }, { concurrency: 2 });
    expect(second).toMatchObject({ joined: true, batch: { id: first.batch.id } });
    await queue.idle();
    const done = await batches.get(first.batch.id);
    expect(done).toMatchObject({ state: "done", attempts: 1, aspect: null, createdBy: { id: lead.id } });
    expect(done?.progress).toMatchObject({ total: 2, done: 2, drafted: 2, failed: 0, inFlight: [] });
    expect(await draftsOf([...byAspect.values()])).toHaveLength(2);
    expect((await batches.list()).map((b) => b.id)).toContain(first.batch.id);
  });

  it("resumes a batch whose worker died: drafts what is left once, and leaves a task someone else is drafting", async () => {
    const { projectId, byAspect } = await labelledProject(["subject", "camera", "motion"]);
    const [subject, camera, motion] = [byAspect.get("subject")!, byAspect.get("camera")!, byAspect.get("motion")!];
    const store = new JobStore(db().db);
    // As a dead worker left it: running (attempt 1), camera moved to drafting by the batch and not finished;
    // motion in drafting too, but by someone else (not in the batch's in-flight list).
    const { job } = await store.create(DRAFT_BATCH_JOB, asJson({ projectId, concurrency: 2 }), {
      singletonKey: `${projectId}:all`,
      progress: asJson({ ...emptyDraftBatchProgress(), total: 3, inFlight: [camera] }),
    });
    expect((await store.begin(job.id))?.attempts).toBe(1);
    await db().db.update(tasks).set({ stage: "drafting" }).where(inArray(tasks.id, [camera, motion]));

    // The next start of the process takes it up.
    const queue = new InProcessQueue(store, { retryLimit: 2, log: () => {} });
    const batches = new DraftBatches(queue, createServices({ config, database: db() }).loop.deps);
    await queue.start();
    await queue.idle();

    const done = await batches.get(job.id);
    expect(done).toMatchObject({ state: "done", attempts: 2 });
    expect(DraftBatchProgress.parse(done?.progress)).toMatchObject({ total: 2, done: 2, drafted: 2, inFlight: [] });
    expect(await stageOf(subject)).toBe("critiquing");
    expect(await stageOf(camera)).toBe("critiquing");
    expect(await stageOf(motion)).toBe("drafting");
    const made = await draftsOf([subject, camera, motion]);
    expect(made.map((d) => d.taskId).sort()).toEqual([subject, camera].sort());
  });

  it("cancels a waiting batch: it never runs, and a cancelled batch cannot be cancelled again", async () => {
    const { projectId, byAspect } = await labelledProject(["camera"]);
    const lead = await createTestUser(db().db, "lead");
    const user = { id: lead.id, email: lead.email, displayName: lead.displayName, role: lead.role };
    const queue = new InProcessQueue(new JobStore(db().db), { retryLimit: 2, log: () => {} });
    // A stopped queue keeps what it is sent waiting (as a process whose workers have not started).
    await queue.stop();
    const batches = new DraftBatches(queue, createServices({ config, database: db() }).loop.deps);
    const { batch } = await batches.start(user, { id: projectId, name: "P" }, { concurrency: 1 });
    expect(await batches.cancel(user, batch.id)).toBe(true);
    expect(await batches.cancel(user, batch.id)).toBe(false);
    await queue.start();
    await queue.idle();
    expect(await batches.get(batch.id)).toMatchObject({ state: "cancelled", attempts: 0 });
    expect(await stageOf(byAspect.get("camera")!)).toBe("labelling");
  });
});
