import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { PgStorage } from "../collab/pgStorage";
import { RoomRegistry } from "../collab/rooms";
import { reviewDecisions, rounds, tasks, taskVersions, users } from "../db/schema";
import { exportDataset } from "../dataset/exportDataset";
import { loadLabels } from "../labels/repository";
import { readRoom } from "../loop/roomContent";
import { taskAccess } from "../resources/tasks/policy";
import { seedDemoReview } from "./demoReview";
import { getSpec } from "../captionSpec/index";
import { describeEachDb } from "../testing/db";
import { testConfig } from "../testing/testConfig";
import { isConstructive } from "../../shared/critique/items";
import { EXPORT_FORMATS } from "../../shared/dataset/formats";
import { validateLabels } from "../../shared/labelValidation";
import { taskRoom } from "../../shared/collab/protocol";
import { resolveAnchor } from "../../shared/room/document";
import { seedDemo } from "./demo";
import { seedDemoWork } from "./demoWork";

/** Two stand-in clips with known camera behaviours: 10 tasks, every stage of the demo spread at least once. */
function fakeClipsDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chai-demo-work-"));
  const clips = [
    { name: "still", camera: "static" },
    { name: "zoom", camera: "zoom_in" },
  ].map(({ name, camera }) => {
    fs.writeFileSync(path.join(dir, `${name}.webm`), `not really a video: ${name}`);
    return { file: `${name}.webm`, title: `Clip ${name}`, camera, durationSec: 4, fps: 24, width: 64, height: 36 };
  });
  fs.writeFileSync(path.join(dir, "manifest.json"), JSON.stringify({ clips }));
  return dir;
}

describeEachDb("demo work", (db) => {
  const config = testConfig({ demo: true });
  let rooms: RoomRegistry;

  beforeAll(async () => {
    const clipsDir = fakeClipsDir();
    const seeded = await seedDemo(db().db, config, { clipsDir, specVersion: async () => (await getSpec()).version, log: () => {} });
    expect(seeded.seeded).toBe(true);
    rooms = new RoomRegistry({ storage: new PgStorage(db().db) });
    const work = await seedDemoWork(config, db(), { clipsDir });
    // 8 of the 10 tasks are past labelling; drafting and revising are transient, so they end in critiquing/refining.
    expect(work.tasks).toBe(8);
    expect(work.byStage).toEqual({ critiquing: 3, refining: 1, submitted: 1, in_review: 1, approved: 1, rejected: 1 });
    await seedDemoReview(db().db);
  });

  afterAll(async () => {
    await rooms.close();
  });

  const tasksIn = (stage: (typeof tasks.$inferSelect)["stage"]) => db().db.select().from(tasks).where(eq(tasks.stage, stage));

  it("leaves no task standing in a transient stage, and labelling tasks untouched", async () => {
    expect(await tasksIn("drafting")).toEqual([]);
    expect(await tasksIn("revising")).toEqual([]);
    const labelling = await tasksIn("labelling");
    expect(labelling.length).toBe(2);
    for (const t of labelling) expect(await loadLabels(db().db, t.id)).toEqual([]);
  });

  it("labels every worked task with a complete, valid set", async () => {
    const spec = await getSpec();
    const worked = (await db().db.select().from(tasks)).filter((t) => t.stage !== "labelling");
    expect(worked.length).toBe(8);
    for (const t of worked) {
      const labels = await loadLabels(db().db, t.id);
      const v = validateLabels(labels, spec, { aspect: t.aspect, durationSec: 4 });
      expect(v.problems, `${t.aspect} ${t.stage}`).toEqual([]);
    }
    const camera = worked.find((t) => t.aspect === "camera");
    if (camera) {
      const ids = (await loadLabels(db().db, camera.id)).map((l) => l.primitiveId);
      expect(ids.some((id) => id === "camera.steadiness.static" || id === "camera.intrinsic.zoom_in")).toBe(true);
    }
  });

  it("puts the draft and anchored, constructive critique items in a critiquing task's room", async () => {
    const critiquing = (await tasksIn("critiquing")).filter((t) => t.score !== null);
    expect(critiquing.length).toBe(1);
    const task = critiquing[0]!;
    const room = await readRoom(rooms, task.id);
    expect(room.draft.trim().length).toBeGreaterThan(0);
    expect(room.items.length).toBeGreaterThanOrEqual(1);
    expect(room.items.length).toBeLessThanOrEqual(3);
    await rooms.withDoc(taskRoom(task.id), (doc) => {
      for (const item of room.items) {
        expect(isConstructive(item), item.what).toBe(true);
        expect(item.timeStart).not.toBeNull();
        if (!item.anchor) throw new Error("a demo item is not anchored");
        const resolved = resolveAnchor(doc, item.anchor);
        expect(resolved.orphaned).toBe(false);
        if (!resolved.orphaned) expect(resolved.text).toBe(item.anchor.quote);
      }
    });
    // The fresh-draft tasks (meant to be drafting) have a draft and nothing else yet.
    const fresh = (await tasksIn("critiquing")).filter((t) => t.score === null);
    expect(fresh.length).toBe(2);
    for (const t of fresh) {
      const freshRoom = await readRoom(rooms, t.id);
      expect(freshRoom.draft.trim().length).toBeGreaterThan(0);
      expect(freshRoom.items).toEqual([]);
    }
  });

  it("runs a real revision round for refining work", async () => {
    const [task] = await tasksIn("refining");
    if (!task) throw new Error("no refining task");
    const done = await db().db.select().from(rounds).where(and(eq(rounds.taskId, task.id), eq(rounds.status, "done")));
    expect(done.length).toBe(1);
    const room = await readRoom(rooms, task.id);
    expect(room.post.trim().length).toBeGreaterThan(0);
    expect(room.post).not.toBe(room.draft);
  });

  it("freezes versions and records the reviewer's decisions", async () => {
    const [approved] = await tasksIn("approved");
    if (!approved) throw new Error("no approved task");
    const versions = await db().db.select().from(taskVersions).where(eq(taskVersions.taskId, approved.id));
    expect(versions.length).toBe(1);
    expect(versions[0]).toMatchObject({ negative: "no", authorRole: "annotator" });
    expect(versions[0]?.postCaption.trim()).not.toBe("");
    expect(versions[0]?.postCaption).not.toBe(versions[0]?.preCaption);
    expect(await db().db.select().from(reviewDecisions).where(eq(reviewDecisions.taskId, approved.id))).toHaveLength(1);

    const [rejected] = await tasksIn("rejected");
    if (!rejected) throw new Error("no rejected task");
    const [neg] = await db().db.select().from(taskVersions).where(eq(taskVersions.taskId, rejected.id));
    expect(neg?.negative).toBe("rejected");
    const decisions = await db().db.select().from(reviewDecisions).where(eq(reviewDecisions.taskId, rejected.id));
    expect(decisions.map((d) => d.decision)).toEqual(["reject_and_redo"]);
    expect(decisions[0]?.note.trim()).not.toBe("");
    // The redo waits in the annotator's queue: theirs to redo or relabel, not the reviewer's.
    const [annotator, reviewer] = await db().db.select().from(users).where(inArray(users.id, [rejected.annotatorId ?? "", rejected.reviewerId ?? ""]));
    const byId = new Map([annotator, reviewer].flatMap((u) => (u ? [[u.id, { id: u.id, email: u.email, displayName: u.displayName, role: u.role }] as const] : [])));
    const ann = byId.get(rejected.annotatorId ?? "");
    const rev = byId.get(rejected.reviewerId ?? "");
    if (!ann || !rev) throw new Error("the rejected task lacks its people");
    const annActions = (await taskAccess(db().db, ann, rejected.id))?.abilities.actions ?? [];
    expect(annActions).toEqual(expect.arrayContaining(["redo", "relabel"]));
    const revActions = (await taskAccess(db().db, rev, rejected.id))?.abilities.actions ?? [];
    expect(revActions.filter((a) => a === "redo" || a === "relabel")).toEqual([]);

    for (const stage of ["submitted", "in_review"] as const) {
      const [t] = await tasksIn(stage);
      if (!t) throw new Error(`no ${stage} task`);
      expect(await db().db.select().from(taskVersions).where(eq(taskVersions.taskId, t.id))).toHaveLength(1);
    }
  });

  it("gives the dataset export records in every format", async () => {
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "chai-demo-export-"));
    const { manifest } = await exportDataset(db().db, config, {
      format: "all",
      outDir,
      status: "approved",
      testShare: 0,
      seed: 1,
      pseudonymSecret: new Uint8Array(32).fill(3),
    });
    for (const format of EXPORT_FORMATS) {
      const records = manifest.files.filter((f) => f.format === format).reduce((n, f) => n + f.records, 0);
      expect(records, format).toBeGreaterThan(0);
    }
  });
});
