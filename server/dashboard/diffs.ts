import { and, asc, desc, eq, ne } from "drizzle-orm";
import type { Db } from "../db";
import { catches, drafts, rounds, taskVersions, tasks, users, videos } from "../db/schema";
import { notFound } from "../errors";
import { videoFileUrl } from "../resources/videos/presenter";
import { finalVersion, latestVersion, latestVersionBy } from "../versions";
import type { DiffCatch, DiffCritiqueItem, DiffOption, DiffQuery, DiffSide, TaskDiff } from "../../shared/api/training";
import { critiqueItemView, type CritiqueItem } from "../../shared/critique/items";
import { parseStoredItems } from "../../shared/critique/stored";

/**
 * The two sides of a lead's side-by-side comparison. What is compared, per kind:
 *   pre_post    the pre-caption vs the final post-caption (critique items and catches on the left)
 *   rounds      critique of round k vs round k+1 (the refinement between them)
 *   versions    the annotator's submitted critique vs the reviewer's after reject-and-redo
 *   annotators  this task's post-caption vs another annotator's on the same clip and aspect
 */

const toItem = (i: CritiqueItem): DiffCritiqueItem => critiqueItemView(i, i.anchor?.quote.trim() ? i.anchor.quote : null);

type VersionRow = typeof taskVersions.$inferSelect & { author: string };

async function versionsOf(db: Db, taskId: string): Promise<VersionRow[]> {
  const rows = await db
    .select({ v: taskVersions, author: users.displayName })
    .from(taskVersions)
    .innerJoin(users, eq(users.id, taskVersions.authorId))
    .where(eq(taskVersions.taskId, taskId))
    .orderBy(asc(taskVersions.createdAt));
  return rows.map((r) => ({ ...r.v, author: r.author }));
}

async function catchesOf(db: Db, taskId: string): Promise<DiffCatch[]> {
  const rows = await db.select().from(catches).where(eq(catches.taskId, taskId)).orderBy(asc(catches.createdAt));
  return rows.map((c) => ({ id: c.id, kind: c.kind, itemId: c.itemId, quote: c.quote, timeStart: c.timeStart, timeEnd: c.timeEnd, note: c.note, status: c.status }));
}

/** The final version, else the newest (a rejected version awaiting its redo is still worth comparing). */
const shownVersion = (vs: VersionRow[]) => finalVersion(vs) ?? latestVersion(vs);

async function preAndPost(db: Db, taskId: string, vs: VersionRow[]): Promise<{ pre: string; post: string; items: CritiqueItem[]; author: string | null }> {
  const final = shownVersion(vs);
  if (final) return { pre: final.preCaption, post: final.postCaption, items: parseStoredItems(final.critique), author: final.author };
  // Not submitted yet: the latest draft and the latest finished round.
  const [draft] = await db.select({ text: drafts.text }).from(drafts).where(eq(drafts.taskId, taskId)).orderBy(desc(drafts.createdAt)).limit(1);
  const [round] = await db
    .select()
    .from(rounds)
    .where(and(eq(rounds.taskId, taskId), eq(rounds.status, "done")))
    .orderBy(desc(rounds.n))
    .limit(1);
  return { pre: draft?.text ?? "", post: round?.postCaption ?? "", items: parseStoredItems(round?.critique ?? []), author: null };
}

const side = (label: string, author: string | null, text: string, items: CritiqueItem[], cs: DiffCatch[]): DiffSide => ({
  label,
  author,
  text,
  items: items.map(toItem),
  catches: cs,
});

export async function taskDiff(db: Db, taskId: string, q: DiffQuery): Promise<TaskDiff> {
  const [row] = await db
    .select({ task: tasks, video: videos })
    .from(tasks)
    .innerJoin(videos, eq(videos.id, tasks.videoId))
    .where(eq(tasks.id, taskId))
    .limit(1);
  if (!row) throw notFound("No such task.");
  const { task, video } = row;
  const [vs, cs, roundRows, siblings] = await Promise.all([
    versionsOf(db, taskId),
    catchesOf(db, taskId),
    db.select().from(rounds).where(eq(rounds.taskId, taskId)).orderBy(asc(rounds.n)),
    db
      .select({ id: tasks.id, annotator: users.displayName })
      .from(tasks)
      .leftJoin(users, eq(users.id, tasks.annotatorId))
      .where(and(eq(tasks.videoId, task.videoId), eq(tasks.aspect, task.aspect), ne(tasks.id, taskId)))
      .orderBy(asc(tasks.createdAt)),
  ]);
  const options: DiffOption[] = [{ kind: "pre_post", label: "Pre-caption vs post-caption" }];
  for (let i = 0; i + 1 < roundRows.length; i++) {
    const k = roundRows[i]?.n ?? i;
    options.push({ kind: "rounds", k, label: `Critique round ${k} vs ${roundRows[i + 1]?.n ?? k + 1}` });
  }
  const annotatorVersion = vs.find((v) => v.authorRole === "annotator");
  const reviewerVersion = latestVersionBy(vs, "reviewer");
  if (annotatorVersion && reviewerVersion) options.push({ kind: "versions", label: "Annotator's version vs reviewer's" });
  for (const s of siblings) options.push({ kind: "annotators", other: s.id, label: `vs ${s.annotator ?? "unassigned"}` });

  const base = {
    taskId,
    kind: q.kind,
    aspect: task.aspect,
    video: { id: video.id, title: video.title, url: videoFileUrl(video.id), durationSec: video.durationSec },
    options,
  };

  if (q.kind === "rounds") {
    const at = q.k === undefined ? 0 : roundRows.findIndex((r) => r.n === q.k);
    const a = roundRows[at];
    const b = roundRows[at + 1];
    if (at < 0 || !a || !b) throw notFound("There is no such pair of rounds.");
    return {
      ...base,
      left: side(`Round ${a.n} critique`, null, a.critiqueText, parseStoredItems(a.critique), cs),
      right: side(`Round ${b.n} critique`, null, b.critiqueText, parseStoredItems(b.critique), []),
    };
  }
  if (q.kind === "versions") {
    if (!annotatorVersion || !reviewerVersion) throw notFound("This task has no reviewer's version to compare.");
    return {
      ...base,
      left: side("Annotator's critique", annotatorVersion.author, annotatorVersion.critiqueText, parseStoredItems(annotatorVersion.critique), cs),
      right: side("Reviewer's critique", reviewerVersion.author, reviewerVersion.critiqueText, parseStoredItems(reviewerVersion.critique), []),
    };
  }
  const mine = await preAndPost(db, taskId, vs);
  if (q.kind === "annotators") {
    const otherId = q.other ?? siblings[0]?.id;
    const other = siblings.find((s) => s.id === otherId);
    if (!otherId || !other) throw notFound("No other annotator worked this clip and aspect.");
    const theirs = await preAndPost(db, otherId, await versionsOf(db, otherId));
    return {
      ...base,
      left: side("Post-caption", mine.author, mine.post, mine.items, cs),
      right: side("Post-caption", theirs.author ?? other.annotator, theirs.post, theirs.items, await catchesOf(db, otherId)),
    };
  }
  return {
    ...base,
    left: side("Pre-caption", mine.author, mine.pre, mine.items, cs.filter((c) => c.kind !== "residual_error")),
    right: side("Post-caption", mine.author, mine.post, [], cs.filter((c) => c.kind === "residual_error")),
  };
}
