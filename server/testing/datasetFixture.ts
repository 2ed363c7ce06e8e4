import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Config } from "../config";
import type { Db } from "../db/index";
import { catches, drafts, projects, reviewDecisions, rounds, taskLabels, tasks, taskVersions, users, videos } from "../db/schema/index";
import { videosDir } from "../videos/storage";
import type { CritiqueItem } from "../../shared/critique/items";
import type { Aspect } from "../../shared/domain";

/**
 * A small, varied database for export tests: per clip, a corrected camera task (score 3, two rounds, labels, a
 * rejected first version, a review and a catch), a perfect subject task (score 5), a motion task in review, a scene
 * task still being labelled (no version), and on the first clip an approved gold task (never exported).
 */

export const FIXTURE_SPEC = "1.0.0+abcdefabcdef";

export type ExportFixture = { videoCount: number; annotatorEmail: string; reviewerEmail: string; projectName: string };

const item = (id: string, by: string, what: string, fix: string, quote: string | null, t: number): CritiqueItem => ({
  id,
  errorType: quote ? "wrong_term" : "missing_information",
  primitiveId: quote ? "camera.movement.dolly_in" : null,
  what,
  fix,
  anchor: quote ? { start: "AAAA", end: "AAAB", quote } : null,
  timeStart: t,
  timeEnd: t + 1.5,
  createdBy: by,
  createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, t)).toISOString(),
});

export async function seedExportFixture(db: Db, config: Config, videoCount = 6, projectName = "Export fixture"): Promise<ExportFixture> {
  const [annotator, reviewer, annotator2] = await db
    .insert(users)
    .values([
      { email: "ann@example.com", displayName: "Ann Otator", role: "annotator", passwordHash: "!" },
      { email: "rev@example.com", displayName: "Rev Iewer", role: "reviewer", passwordHash: "!" },
      { email: "ann2@example.com", displayName: "Second Annotator", role: "annotator", passwordHash: "!" },
    ])
    .returning();
  if (!annotator || !reviewer || !annotator2) throw new Error("fixture users");
  const [project] = await db.insert(projects).values({ name: projectName }).returning();
  if (!project) throw new Error("fixture project");
  const dir = videosDir(config);
  fs.mkdirSync(dir, { recursive: true });
  const base = Date.UTC(2026, 0, 2);
  const at = (minutes: number) => new Date(base + minutes * 60_000);

  for (let v = 0; v < videoCount; v++) {
    const bytes = Buffer.from(`fixture clip ${v} ${"x".repeat(v)}`);
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    fs.writeFileSync(path.join(dir, `${sha256}.webm`), bytes);
    const [video] = await db
      .insert(videos)
      .values({ projectId: project.id, title: `clip ${v}`, storage: "data", path: `${sha256}.webm`, mimeType: "video/webm", sizeBytes: bytes.length, sha256 })
      .returning();
    if (!video) throw new Error("fixture video");
    const t0 = v * 100;
    const task = async (aspect: Aspect, stage: typeof tasks.$inferInsert.stage, score: number | null, extra: Partial<typeof tasks.$inferInsert> = {}) => {
      const [row] = await db
        .insert(tasks)
        .values({
          projectId: project.id,
          videoId: video.id,
          aspect,
          stage,
          annotatorId: annotator.id,
          reviewerId: reviewer.id,
          specVersion: FIXTURE_SPEC,
          score,
          createdAt: at(t0),
          submittedAt: stage === "labelling" ? null : at(t0 + 10),
          reviewedAt: stage === "approved" ? at(t0 + 20) : null,
          ...extra,
        })
        .returning();
      if (!row) throw new Error("fixture task");
      return row;
    };

    // Camera: corrected (score 3), the annotator's first version rejected; they redo it and the reviewer approves.
    const camera = await task("camera", "approved", 3);
    const pre = `The camera zooms in on a man at a desk (clip ${v}).`;
    const post = `The camera dollies in toward a man at a desk (clip ${v}), then holds.`;
    const items = [
      item("i1", annotator.id, "It is a dolly, not a zoom: the perspective changes.", 'Write "dollies in toward".', "zooms in on", 1),
      item("i2", annotator.id, "The hold at the end is not mentioned.", 'Add "then holds".', null, 4),
    ];
    await db.insert(taskLabels).values([
      { taskId: camera.id, primitiveId: "camera.movement.dolly_in", value: { kind: "yes" }, labelledBy: annotator.id, labelledAt: at(t0 + 1) },
      { taskId: camera.id, primitiveId: "camera.shot_size.medium", value: { kind: "start_end", at: "both" }, labelledBy: annotator.id, labelledAt: at(t0 + 1), timeStart: 0, timeEnd: 2.5, note: "steady" },
    ]);
    await db.insert(drafts).values({ taskId: camera.id, text: pre, provider: "rules", model: "rules-v1", promptHash: "ph1", createdAt: at(t0 + 2) });
    await db.insert(rounds).values([
      { taskId: camera.id, n: 1, requestedBy: annotator.id, status: "done", critique: items.slice(0, 1), critiqueText: "one item", postCaption: "The camera dollies in toward a man.", provider: "rules", model: "rules-v1", promptHash: "ph2", startedAt: at(t0 + 3), finishedAt: at(t0 + 4) },
      { taskId: camera.id, n: 2, requestedBy: annotator.id, status: "done", critique: items, critiqueText: "two items", postCaption: post, provider: "rules", model: "rules-v1", promptHash: "ph3", startedAt: at(t0 + 5), finishedAt: at(t0 + 6) },
    ]);
    await db.insert(taskVersions).values([
      { taskId: camera.id, authorId: annotator.id, authorRole: "annotator", preCaption: pre, score: 3, critique: items.slice(0, 1), critiqueText: "Wrong term: zooms.", postCaption: "The camera dollies in toward a man.", negative: "rejected", createdAt: at(t0 + 7) },
      { taskId: camera.id, authorId: annotator.id, authorRole: "annotator", preCaption: pre, score: 3, critique: items, critiqueText: "Wrong term: zooms.\nMissing information: the hold.", polishedCritiqueText: v % 2 ? "Polished: it dollies in, and then holds." : null, postCaption: post, createdAt: at(t0 + 15) },
    ]);
    await db.insert(reviewDecisions).values([
      { taskId: camera.id, reviewerId: reviewer.id, decision: "reject_and_redo", note: "missed the hold", createdAt: at(t0 + 12) },
      { taskId: camera.id, reviewerId: reviewer.id, decision: "approve", note: "", createdAt: at(t0 + 18) },
    ]);
    await db.insert(catches).values({ taskId: camera.id, reviewerId: reviewer.id, kind: "missed_error", quote: null, timeStart: 4, timeEnd: 5, note: "the hold", requestKey: `k${v}`, status: "upheld", createdAt: at(t0 + 11) });

    // Subject: the draft was perfect (score 5, post = pre, no critique).
    const subject = await task("subject", "approved", 5);
    const perfect = `A man in a grey suit sits at a desk (clip ${v}).`;
    await db.insert(taskVersions).values({ taskId: subject.id, authorId: annotator.id, authorRole: "annotator", preCaption: perfect, score: 5, critique: [], critiqueText: "", postCaption: perfect, createdAt: at(t0 + 9) });

    // Motion: submitted, in review.
    const motion = await task("motion", "in_review", 4, { reviewedAt: null });
    await db.insert(taskVersions).values({ taskId: motion.id, authorId: annotator.id, authorRole: "annotator", preCaption: "He types.", score: 4, critique: [item("m1", annotator.id, "He also looks up.", 'Add "and looks up".', null, 2)], critiqueText: "Missing information: he looks up.", postCaption: "He types and looks up.", createdAt: at(t0 + 9) });

    // Scene: still labelling, no version.
    await task("scene", "labelling", null, { reviewerId: null });

    if (v === 0) {
      const gold = await task("spatial", "approved", 3, { isGold: true });
      await db.insert(taskVersions).values({ taskId: gold.id, authorId: annotator.id, authorRole: "annotator", preCaption: "gold pre", score: 3, critique: [], critiqueText: "x", postCaption: "gold post", createdAt: at(t0 + 9) });
    }
  }
  return { videoCount, annotatorEmail: annotator.email, reviewerEmail: reviewer.email, projectName };
}
