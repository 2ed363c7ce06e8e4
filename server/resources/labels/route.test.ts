import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../app";
import { auditLog, projects, tasks, videos } from "../../db/schema/index";
import { getSpec } from "../../captionSpec/index";
import { describeEachDb } from "../../testing/db";
import { completeLabels } from "../../testing/pipelineFixtures";
import { person as seedPerson, seedProject, seedTask } from "../../testing/seed";
import { testConfig } from "../../testing/testConfig";
import type { LabelsInvalidDetails, LabelsResponse, PutLabelsResponse } from "../../../shared/api/labels";
import type { ErrorBody } from "../../http/errors";
import type { Aspect, Role } from "../../../shared/domain";
import type { AspectSpec, Spec, SubAspect } from "../../../shared/captionSpec/schema";
import type { Stage } from "../../../shared/domain/stages";
import type { CaptionFacts } from "../../../shared/captionFacts";

/**
 * The tests run against the real spec in spec/, which grows while people edit it, so they pick their primitives by
 * kind instead of naming them: an aspect with a start→end sub-aspect, and one valid label per sub-aspect.
 */
function pickAspect(spec: Spec): AspectSpec {
  const usable = (a: AspectSpec) =>
    a.subAspects.some((s) => s.value === "start_end" && plain(s).length >= 2) &&
    a.subAspects.some((s) => s.value !== "start_end" && plain(s).length >= 1);
  const found = spec.aspects.find((a) => a.aspect === "camera" && usable(a)) ?? spec.aspects.find(usable);
  if (!found) throw new Error("the spec needs an aspect with a start→end sub-aspect (2+ primitives) and another sub-aspect");
  return found;
}

function plain(sub: SubAspect) {
  return sub.primitives.filter((p) => !p.needsDescription);
}

describeEachDb("labels API", (db) => {
  let spec: Spec;
  let aspect: AspectSpec;
  let app: ReturnType<typeof createApp>;
  let projectId: string;
  let videoId: string;
  type Person = { id: string; cookie: string; name: string };
  let annotator: Person;
  let otherAnnotator: Person;
  let reviewer: Person;
  let lead: Person;

  const person = (role: Role, name: string) => seedPerson(db().db, role, name);

  const newTask = (opts: { stage?: Stage; reviewerId?: string; aspect?: Aspect } = {}): Promise<string> =>
    seedTask(db().db, { projectId, videoId, aspect: opts.aspect ?? aspect.aspect, stage: opts.stage, reviewerId: opts.reviewerId, annotatorId: annotator.id, specVersion: spec.version });

  const get = (taskId: string, cookie?: string) =>
    app.request(`/api/tasks/${taskId}/labels`, { headers: cookie ? { cookie } : {} });
  const put = (taskId: string, body: unknown, cookie?: string) =>
    app.request(`/api/tasks/${taskId}/labels`, {
      method: "PUT",
      headers: { "content-type": "application/json", ...(cookie ? { cookie } : {}) },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });

  beforeAll(async () => {
    spec = await getSpec();
    aspect = pickAspect(spec);
    app = createApp({ config: testConfig(), database: db() });
    const [project] = await db().db.insert(projects).values({ name: `labels-${randomUUID()}` }).returning();
    if (!project) throw new Error("project not created");
    projectId = project.id;
    const [video] = await db()
      .db.insert(videos)
      .values({
        projectId,
        title: "clip",
        storage: "data",
        path: "clip.webm",
        mimeType: "video/webm",
        sizeBytes: 1,
        durationSec: 10,
        sha256: randomUUID(),
      })
      .returning();
    if (!video) throw new Error("video not created");
    videoId = video.id;
    annotator = await person("annotator", "Ann Notator");
    otherAnnotator = await person("annotator", "Otto Other");
    reviewer = await person("reviewer", "Rita Reviewer");
    lead = await person("lead", "Lee Lead");
  });

  describe("reading and saving", () => {
    it("starts empty and editable for the task's annotator, with the clip's duration", async () => {
      const taskId = await newTask();
      const res = await get(taskId, annotator.cookie);
      expect(res.status).toBe(200);
      const body = (await res.json()) as LabelsResponse;
      expect(body).toMatchObject({
        taskId,
        aspect: aspect.aspect,
        stage: "labelling",
        durationSec: 10,
        editable: true,
        readOnlyReason: null,
        labels: [],
        lastLabelled: null,
      });
    });

    it("saves a whole set, answers with who and when, and reloads it the same", async () => {
      const taskId = await newTask();
      const labels = completeLabels(aspect);
      // A time range and a "not sure" on the first label, to see them survive the round trip.
      const first = labels[0];
      if (!first) throw new Error("no labels picked");
      labels[0] = { ...first, notSure: true, timeStart: 1.25, timeEnd: 4.5 };

      const res = await put(taskId, { labels }, annotator.cookie);
      expect(res.status).toBe(200);
      const saved = (await res.json()) as PutLabelsResponse;
      expect(saved.changes).toEqual({ added: labels.length, changed: 0, removed: 0, unchanged: 0 });
      expect(saved.labels).toHaveLength(labels.length);
      expect(saved.lastLabelled).toMatchObject({ by: annotator.id, byName: "Ann Notator" });

      const reloaded = (await (await get(taskId, annotator.cookie)).json()) as LabelsResponse;
      const byId = new Map(reloaded.labels.map((l) => [l.primitiveId, l]));
      for (const l of labels) {
        expect(byId.get(l.primitiveId)).toMatchObject({ ...l, labelledBy: annotator.id, labelledByName: "Ann Notator" });
      }
      expect(Date.parse(reloaded.labels[0]?.labelledAt ?? "")).not.toBeNaN();

      const entries = await db()
        .db.select()
        .from(auditLog)
        .where(and(eq(auditLog.entityId, taskId), eq(auditLog.action, "labels.save")));
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({ actorId: annotator.id, entityType: "task" });
    });

    it("replaces the set: unchanged rows keep who labelled them and when; changed and removed rows do not", async () => {
      const taskId = await newTask();
      const labels = completeLabels(aspect);
      await put(taskId, { labels }, annotator.cookie);
      const before = (await (await get(taskId, annotator.cookie)).json()) as LabelsResponse;

      // The lead marks the first label "not sure" and drops the last one.
      const [first, ...rest] = labels;
      if (!first) throw new Error("no labels");
      const dropped = rest[rest.length - 1];
      // Dropping one end of a pair would leave an end without a start; drop a non-pair label when there is one.
      const removable = rest.filter((l) => l.value.kind !== "start_end");
      const toRemove = removable[removable.length - 1] ?? dropped;
      const next = [{ ...first, notSure: true }, ...rest.filter((l) => l !== toRemove)];
      const res = await put(taskId, { labels: next }, lead.cookie);
      expect(res.status).toBe(200);
      const body = (await res.json()) as PutLabelsResponse;
      expect(body.changes).toEqual({ added: 0, changed: 1, removed: 1, unchanged: labels.length - 2 });

      const after = new Map(body.labels.map((l) => [l.primitiveId, l]));
      expect(after.get(first.primitiveId)).toMatchObject({ notSure: true, labelledBy: lead.id, labelledByName: "Lee Lead" });
      expect(after.has(toRemove?.primitiveId ?? "")).toBe(false);
      for (const old of before.labels) {
        if (old.primitiveId === first.primitiveId || old.primitiveId === toRemove?.primitiveId) continue;
        expect(after.get(old.primitiveId)).toEqual(old);
      }
    });

    it("saving the same set again changes nothing and writes no audit entry", async () => {
      const taskId = await newTask();
      const labels = completeLabels(aspect);
      await put(taskId, { labels }, annotator.cookie);
      const res = await put(taskId, { labels }, annotator.cookie);
      expect(res.status).toBe(200);
      expect(((await res.json()) as PutLabelsResponse).changes).toMatchObject({ added: 0, changed: 0, removed: 0 });
      const entries = await db().db.select().from(auditLog).where(eq(auditLog.entityId, taskId));
      expect(entries).toHaveLength(1);
    });

    it("saves an incomplete set and returns the unanswered sub-aspects as warnings", async () => {
      const taskId = await newTask();
      const required = aspect.subAspects.filter((s) => !s.optional && s.value !== "yes_no");
      const res = await put(taskId, { labels: [] }, annotator.cookie);
      expect(res.status).toBe(200);
      const body = (await res.json()) as PutLabelsResponse;
      expect(body.warnings.filter((w) => w.code === "unanswered").map((w) => w.subAspect)).toEqual(required.map((s) => s.id));
    });
  });

  describe("validation", () => {
    async function expectInvalid(labels: unknown[], codes: string[]) {
      const taskId = await newTask();
      const res = await put(taskId, { labels }, annotator.cookie);
      expect(res.status).toBe(400);
      const body = (await res.json()) as ErrorBody & { error: { details: LabelsInvalidDetails } };
      expect(body.error.code).toBe("bad_request");
      expect(body.error.details.problems.map((p) => p.code).sort()).toEqual([...codes].sort());
      expect(body.error.message).toMatch(/cannot be saved/);
      const stored = (await (await get(taskId, annotator.cookie)).json()) as LabelsResponse;
      expect(stored.labels).toEqual([]);
    }

    const pairSub = () => {
      const sub = aspect.subAspects.find((s) => s.value === "start_end");
      if (!sub?.primitives[0]) throw new Error("no start→end sub-aspect");
      return sub;
    };

    it("rejects primitives the spec does not have", async () => {
      await expectInvalid([...completeLabels(aspect), { primitiveId: `${aspect.aspect}.nothing.like_this`, value: { kind: "yes" } }], [
        "unknown_primitive",
      ]);
    });

    it("rejects an end value without a start", async () => {
      const sub = pairSub();
      const rest = completeLabels(aspect).filter((l) => !sub.primitives.some((p) => p.id === l.primitiveId));
      await expectInvalid([...rest, { primitiveId: sub.primitives[0]?.id, value: { kind: "start_end", at: "end" } }], [
        "end_without_start",
      ]);
    });

    it("rejects a value of the wrong kind and a time range beyond the clip", async () => {
      const sub = pairSub();
      const [a, b] = plain(sub);
      if (!a || !b) throw new Error("the start→end sub-aspect needs two primitives");
      const rest = completeLabels(aspect).filter((l) => !sub.primitives.some((p) => p.id === l.primitiveId));
      await expectInvalid(
        [
          ...rest,
          { primitiveId: a.id, value: { kind: "yes" } },
          { primitiveId: b.id, value: { kind: "start_end", at: "both" }, timeStart: 8, timeEnd: 12 },
        ],
        ["time_out_of_range", "wrong_value_kind"],
      );
    });

    it("rejects labels of another aspect", async () => {
      const other = spec.aspects.find((a) => a.aspect !== aspect.aspect);
      const p = other?.subAspects.find((s) => s.value === "yes_no")?.primitives[0];
      if (!p) return; // the spec has no yes/no sub-aspect outside the test aspect yet
      await expectInvalid([...completeLabels(aspect), { primitiveId: p.id, value: { kind: "yes" } }], ["wrong_aspect"]);
    });

    it("bounds the request: more than 500 labels, malformed JSON and unknown fields are 400s", async () => {
      const taskId = await newTask();
      const many = Array.from({ length: 501 }, (_, i) => ({ primitiveId: `a.b.p${i}`, value: { kind: "yes" } }));
      expect((await put(taskId, { labels: many }, annotator.cookie)).status).toBe(400);
      expect((await put(taskId, "{not json", annotator.cookie)).status).toBe(400);
      expect((await put(taskId, { labels: [], extra: 1 }, annotator.cookie)).status).toBe(400);
      const badNote = [{ primitiveId: "a.b.c", value: { kind: "yes" }, note: "x".repeat(2001) }];
      expect((await put(taskId, { labels: badNote }, annotator.cookie)).status).toBe(400);
    });
  });

  describe("subjects and setting (facts)", () => {
    const facts: CaptionFacts = {
      subjects: [
        { phrase: "a green cart", plural: false, pronoun: "it" },
        { phrase: "striped orange posts", plural: true, pronoun: "they" },
      ],
      setting: "on the floor of a flat, computer-drawn scene",
    };

    it("saves them with the labels, audits them, keeps them when a body leaves them out, and reads them back", async () => {
      const taskId = await newTask();
      const labels = completeLabels(aspect);
      const res = await put(taskId, { labels, facts: { ...facts, setting: `  ${facts.setting ?? ""} ` } }, annotator.cookie);
      expect(res.status).toBe(200);
      const saved = (await res.json()) as PutLabelsResponse;
      expect(saved.facts).toEqual(facts);
      expect(saved.factsChanged).toBe(true);

      // Only the facts change: still saved and audited; the labels' rows are untouched.
      const renamed: CaptionFacts = { ...facts, subjects: [{ phrase: "the green cart", plural: false, pronoun: "it" }] };
      const again = (await (await put(taskId, { labels, facts: renamed }, annotator.cookie)).json()) as PutLabelsResponse;
      expect(again).toMatchObject({ factsChanged: true, changes: { added: 0, changed: 0, removed: 0 } });
      const audits = await db().db.select().from(auditLog).where(and(eq(auditLog.entityId, taskId), eq(auditLog.action, "labels.save")));
      expect(audits.map((a) => (a.data as { facts?: CaptionFacts }).facts)).toEqual([facts, renamed]);

      // A body without facts (an older client) leaves them as they are; the same facts again write nothing.
      expect(((await (await put(taskId, { labels }, annotator.cookie)).json()) as PutLabelsResponse).facts).toEqual(renamed);
      expect(((await (await put(taskId, { labels, facts: renamed }, annotator.cookie)).json()) as PutLabelsResponse).factsChanged).toBe(false);
      expect(await db().db.select().from(auditLog).where(and(eq(auditLog.entityId, taskId), eq(auditLog.action, "labels.save")))).toHaveLength(2);
      expect(((await (await get(taskId, annotator.cookie)).json()) as LabelsResponse).facts).toEqual(renamed);
    });

    it("warns, without refusing the save, when the aspect's subject or setting is missing", async () => {
      const warningsOf = async (a: Aspect, f?: CaptionFacts) => {
        const taskId = await newTask({ aspect: a });
        const res = await put(taskId, { labels: [], ...(f ? { facts: f } : {}) }, annotator.cookie);
        expect(res.status).toBe(200);
        return ((await res.json()) as PutLabelsResponse).warnings.filter((w) => w.code === "needs_subject" || w.code === "needs_setting");
      };
      const subjectWarnings = await warningsOf("subject");
      expect(subjectWarnings.map((w) => w.code)).toEqual(["needs_subject"]);
      expect(subjectWarnings[0]?.message).toMatch(/Name at least one subject/);
      expect((await warningsOf("scene", { subjects: facts.subjects, setting: null })).map((w) => w.code)).toEqual(["needs_setting"]);
      expect((await warningsOf("motion", { subjects: [], setting: "on a beach" })).map((w) => w.code)).toEqual(["needs_subject"]);
      expect(await warningsOf("spatial", facts)).toEqual([]);
      expect(await warningsOf("camera")).toEqual([]);
    });

    it("refuses facts that break the rules, in words, and stores nothing", async () => {
      const taskId = await newTask();
      const refused = async (f: unknown, message: RegExp) => {
        const res = await put(taskId, { labels: [], facts: f }, annotator.cookie);
        expect(res.status).toBe(400);
        expect(((await res.json()) as ErrorBody).error.message).toMatch(message);
      };
      await refused({ subjects: [{ phrase: "two dogs", plural: true, pronoun: "it" }], setting: null }, /plural subject is referred to as "they"/);
      await refused({ subjects: [{ phrase: "<subject>", plural: false, pronoun: "it" }], setting: null }, /cannot contain < > \{ \} \[ \]/);
      await refused({ subjects: [{ phrase: "  ", plural: false, pronoun: "it" }], setting: null }, /needs a noun phrase/);
      await refused({ subjects: Array.from({ length: 9 }, (_, i) => ({ phrase: `post ${i}`, plural: false, pronoun: "it" })), setting: null }, /at most 8 subjects/);
      await refused({ subjects: [], setting: "x".repeat(201) }, /at most 200 characters/);
      await refused({ subjects: [], setting: null, extra: 1 }, /extra/);
      const stored = (await (await get(taskId, annotator.cookie)).json()) as LabelsResponse;
      expect(stored.facts).toEqual({ subjects: [], setting: null });
    });

    it("follows the labels' authority: the reviewer and other annotators may not write them, nor anyone after labelling", async () => {
      const taskId = await newTask({ reviewerId: reviewer.id });
      expect((await put(taskId, { labels: [], facts }, reviewer.cookie)).status).toBe(403);
      expect((await put(taskId, { labels: [], facts }, otherAnnotator.cookie)).status).toBe(403);
      await db().db.update(tasks).set({ stage: "drafting" }).where(eq(tasks.id, taskId));
      expect((await put(taskId, { labels: [], facts }, annotator.cookie)).status).toBe(409);
      const read = (await (await get(taskId, reviewer.cookie)).json()) as LabelsResponse;
      expect(read.facts).toEqual({ subjects: [], setting: null });
    });

    it("suggests the facts named on the clip's other tasks, newest first, and none on a training clip", async () => {
      const clip = await seedProject(db().db);
      const on = (a: Aspect) => seedTask(db().db, { ...clip, aspect: a, annotatorId: annotator.id, specVersion: spec.version });
      const subjectTask = await on("subject");
      const sceneTask = await on("scene");
      const emptyTask = await on("motion");
      const cameraTask = await on("camera");
      const sceneFacts: CaptionFacts = { subjects: [], setting: "in a flat, computer-drawn scene" };
      expect((await put(subjectTask, { labels: [], facts }, annotator.cookie)).status).toBe(200);
      expect((await put(sceneTask, { labels: [], facts: sceneFacts }, annotator.cookie)).status).toBe(200);
      await put(emptyTask, { labels: [], facts: { subjects: [], setting: null } }, annotator.cookie);

      const body = (await (await get(cameraTask, annotator.cookie)).json()) as LabelsResponse;
      expect(body.suggestedFacts.map((s) => [s.taskId, s.aspect, s.facts])).toEqual([
        [sceneTask, "scene", sceneFacts],
        [subjectTask, "subject", facts],
      ]);
      const own = (await (await get(subjectTask, annotator.cookie)).json()) as LabelsResponse;
      expect(own.suggestedFacts.map((s) => s.taskId)).toEqual([sceneTask]);

      await db().db.update(tasks).set({ isGold: true }).where(eq(tasks.id, emptyTask));
      expect(((await (await get(cameraTask, annotator.cookie)).json()) as LabelsResponse).suggestedFacts).toEqual([]);
    });
  });

  describe("who may read and write", () => {
    it("answers 401 without a session", async () => {
      const taskId = await newTask();
      expect((await get(taskId)).status).toBe(401);
      expect((await put(taskId, { labels: [] })).status).toBe(401);
    });

    it("answers 404 for an unknown or malformed task id", async () => {
      expect((await get(randomUUID(), annotator.cookie)).status).toBe(404);
      expect((await get("not-a-uuid", annotator.cookie)).status).toBe(404);
    });

    it("forbids another annotator to read or write", async () => {
      const taskId = await newTask();
      expect((await get(taskId, otherAnnotator.cookie)).status).toBe(403);
      const res = await put(taskId, { labels: completeLabels(aspect) }, otherAnnotator.cookie);
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ error: { code: "forbidden" } });
    });

    it("lets the task's reviewer read but not write", async () => {
      const taskId = await newTask({ reviewerId: reviewer.id });
      await put(taskId, { labels: completeLabels(aspect) }, annotator.cookie);
      const res = await get(taskId, reviewer.cookie);
      expect(res.status).toBe(200);
      const body = (await res.json()) as LabelsResponse;
      expect(body.editable).toBe(false);
      expect(body.readOnlyReason).toMatch(/annotator/);
      expect(body.labels.length).toBeGreaterThan(0);
      expect((await put(taskId, { labels: [] }, reviewer.cookie)).status).toBe(403);
      const still = (await (await get(taskId, annotator.cookie)).json()) as LabelsResponse;
      expect(still.labels.length).toBe(body.labels.length);
    });

    it("answers 409 with the reason once the task has left the labelling stage", async () => {
      const taskId = await newTask();
      await put(taskId, { labels: completeLabels(aspect) }, annotator.cookie);
      await db().db.update(tasks).set({ stage: "drafting" }).where(eq(tasks.id, taskId));
      const res = await put(taskId, { labels: [] }, annotator.cookie);
      expect(res.status).toBe(409);
      const body = (await res.json()) as ErrorBody;
      expect(body.error.code).toBe("conflict");
      expect(body.error.message).toMatch(/drafting/);
      const read = (await (await get(taskId, annotator.cookie)).json()) as LabelsResponse;
      expect(read).toMatchObject({ editable: false, stage: "drafting" });
      expect(read.readOnlyReason).toMatch(/drafting/);
      expect(read.labels.length).toBe(completeLabels(aspect).length);
    });
  });
});
