import { beforeAll, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { taskVersions, tasks } from "../db/schema";
import { describeEachDb } from "../testing/db";
import { addVersion, critiqueItem, taskWithVersion, trainingPeople, type TrainingPeople } from "../testing/trainingFixtures";
import { clip } from "../testing/seed";
import type { CritiqueItem } from "../../shared/critique/items";
import { freezeFixedVersion, freezeVersion, readFinalVersion, readLatestVersion, readLatestVersionBy, readVersions } from "./index";

describeEachDb("versions from the database", (db) => {
  let people: TrainingPeople;
  let where: Awaited<ReturnType<typeof clip>>;

  beforeAll(async () => {
    people = await trainingPeople(db().db);
    where = await clip(db().db);
  });

  it("reads the latest, final and per-role versions with one definition", async () => {
    const d = db().db;
    const taskId = await taskWithVersion(d, where, { annotatorId: people.ann.id, negative: "rejected" });
    const [first] = await readVersions(d, taskId);
    expect(await readFinalVersion(d, taskId)).toBeNull(); // only a rejected version
    expect((await readLatestVersion(d, taskId))?.id).toBe(first?.id);

    await addVersion(d, taskId, people.rev.id, { authorRole: "reviewer", post: "The redo." });
    const all = await readVersions(d, taskId);
    expect(all.map((v) => v.authorRole)).toEqual(["annotator", "reviewer"]);
    expect((await readFinalVersion(d, taskId))?.postCaption).toBe("The redo.");
    expect((await readLatestVersion(d, taskId))?.authorRole).toBe("reviewer");
    expect((await readLatestVersion(d, taskId, first!.createdAt))?.id).toBe(first?.id);
    expect((await readLatestVersionBy(d, taskId, "annotator"))?.id).toBe(first?.id);
    expect(await readFinalVersion(d, "00000000-0000-0000-0000-000000000000")).toBeNull();
  });

  it("freezes a version and a reviewer's fix with the task's score", async () => {
    const d = db().db;
    const taskId = await taskWithVersion(d, where, { annotatorId: people.ann.id });
    await d.update(tasks).set({ score: 2 }).where(eq(tasks.id, taskId));
    const items: CritiqueItem[] = [critiqueItem("fix1", { quote: "zooms in" })];
    const content = { preCaption: "pre", critique: items, critiqueText: "text", polishedCritiqueText: null, postCaption: "post" };
    const at = new Date(Date.now() + 60_000);
    await freezeFixedVersion(d, taskId, people.lead.id, content, at);
    const fixed = await readFinalVersion(d, taskId);
    expect(fixed).toMatchObject({ authorId: people.lead.id, authorRole: "reviewer", score: 2, critique: items, postCaption: "post" });
    expect(fixed?.createdAt.getTime()).toBe(at.getTime());

    await freezeVersion(d, taskId, { id: people.ann.id, role: "annotator" }, { ...content, score: 5 }, new Date(at.getTime() + 1));
    expect(await readLatestVersion(d, taskId)).toMatchObject({ authorId: people.ann.id, authorRole: "annotator", score: 5 });
    expect((await d.select().from(taskVersions).where(eq(taskVersions.taskId, taskId))).length).toBe(3);
  });
});
