import { eq, inArray } from "drizzle-orm";
import { expect, it } from "vitest";
import { drafts, tasks } from "../../db/schema";
import { replaceFacts, replaceLabels } from "../../labels/repository";
import { person, seedProject, seedTask } from "../../testing/seed";
import { COMPLETE_FACTS, completeLabels } from "../../testing/pipelineFixtures";
import { getSpec } from "../../captionSpec/index";
import { describeEachDb } from "../../testing/db";
import type { Aspect } from "../../../shared/domain";
import { testEnv } from "../../testing/cliEnv";
import { runDraft } from "./draft";

describeEachDb("CLI draft", (db) => {
  it("drafts every fully labelled task, a line per task off a terminal, and skips drafted ones on a rerun", async () => {
    const spec = await getSpec();
    const ann = await person(db().db, "annotator");
    const ids = await seedProject(db().db);
    const labelled: string[] = [];
    for (const aspect of ["subject", "motion", "camera"] as Aspect[]) {
      const a = spec.aspects.find((x) => x.aspect === aspect);
      if (!a) continue;
      const taskId = await seedTask(db().db, { ...ids, aspect, annotatorId: ann.id, specVersion: spec.version });
      await replaceLabels(db().db, taskId, completeLabels(a), ann.id);
      await replaceFacts(db().db, taskId, COMPLETE_FACTS);
      labelled.push(taskId);
    }
    const unlabelled = await seedTask(db().db, { ...ids, aspect: "camera", annotatorId: ann.id, specVersion: spec.version });
    const [project] = await db().db.select({ projectId: tasks.projectId }).from(tasks).where(eq(tasks.id, unlabelled));

    const first = testEnv(db());
    expect(await runDraft(["--project", project!.projectId, "--concurrency", "2"], first.env, { tty: false })).toBe(0);
    expect(first.out[0]).toMatch(new RegExp(`${labelled.length} task\\(s\\) to draft, 1 not fully labelled`));
    expect(first.out.filter((l) => l.startsWith("drafted "))).toHaveLength(labelled.length);
    expect(first.out.at(-1)).toBe(`Drafted ${labelled.length}, failed 0.`);
    const rows = await db().db.select({ id: tasks.id, stage: tasks.stage }).from(tasks).where(inArray(tasks.id, [...labelled, unlabelled]));
    for (const r of rows) expect(r.stage).toBe(r.id === unlabelled ? "labelling" : "critiquing");
    expect(await db().db.select({ id: drafts.id }).from(drafts).where(inArray(drafts.taskId, labelled))).toHaveLength(labelled.length);

    const again = testEnv(db());
    expect(await runDraft(["--project", project!.projectId], again.env, { tty: false })).toBe(0);
    expect(again.out[0]).toMatch(new RegExp(`0 task\\(s\\) to draft, 1 not fully labelled`));
  });

  it("checks its arguments", async () => {
    const { env, err } = testEnv(db());
    expect(await runDraft([], env)).toBe(2);
    expect(await runDraft(["--project", "x", "--aspect", "sound"], env)).toBe(2);
    expect(await runDraft(["--project", "x", "--concurrency", "0"], env)).toBe(2);
    expect(await runDraft(["--project", "no such project"], env)).toBe(1);
    expect(err.join("\n")).toMatch(/--project is required/);
    expect(err.join("\n")).toMatch(/No project "no such project"/);
  });
});
