import { createTestUser, type TestUser } from "./seed";
import type { Db } from "../db/index";
import { taskVersions, tasks } from "../db/schema/index";
import type { CritiqueItem } from "../../shared/critique/items";
import type { Aspect } from "../../shared/domain";
import type { Stage } from "../../shared/domain/stages";

/** Test support for training suites: people, a clip, an approved gold-able task with a known answer key. */

export const GOLD_DRAFT = "A man in a red coat walks left to right. The camera zooms in on his face.";
export const GOLD_POST = "A man in a red coat walks right to left. The camera dollies in on his face.";

export function critiqueItem(id: string, over: Partial<CritiqueItem> & { quote?: string | null } = {}): CritiqueItem {
  const { quote, ...rest } = over;
  return {
    id,
    errorType: "wrong_term",
    primitiveId: null,
    what: "The camera moves toward him; it does not zoom.",
    fix: 'Write "dollies in".',
    anchor: quote ? { start: "AAAA", end: "AAAA", quote } : null,
    timeStart: 2,
    timeEnd: 3,
    createdBy: "someone",
    createdAt: "2026-01-01T00:00:00.000Z",
    ...rest,
  };
}

export const GOLD_ITEMS: CritiqueItem[] = [
  critiqueItem("g-zoom", { quote: "zooms in", primitiveId: "camera.movement.dolly_in" }),
  critiqueItem("g-dir", { quote: "left to right", errorType: "left_right", timeStart: 0, timeEnd: 1, fix: 'Write "right to left".', what: "He walks the other way." }),
];

export type TrainingPeople = Record<"lead" | "trainer" | "trainee" | "ann" | "ann2" | "rev" | "admin", TestUser>;

export async function trainingPeople(db: Db): Promise<TrainingPeople> {
  return {
    lead: await createTestUser(db, "lead", { name: "Lea Lead" }),
    trainer: await createTestUser(db, "trainer", { name: "Tom Trainer" }),
    trainee: await createTestUser(db, "trainee", { name: "Tia Trainee" }),
    ann: await createTestUser(db, "annotator", { name: "Ada Annotator" }),
    ann2: await createTestUser(db, "annotator", { name: "Ann Two" }),
    rev: await createTestUser(db, "reviewer", { name: "Rex Reviewer" }),
    admin: await createTestUser(db, "admin"),
  };
}

export async function taskWithVersion(
  db: Db,
  where: { projectId: string; videoId: string },
  opts: { aspect?: Aspect; stage?: Stage; annotatorId: string; items?: CritiqueItem[]; pre?: string; post?: string; authorRole?: "annotator" | "reviewer"; negative?: "no" | "rejected" },
): Promise<string> {
  const [t] = await db
    .insert(tasks)
    .values({ ...where, aspect: opts.aspect ?? "camera", stage: opts.stage ?? "approved", annotatorId: opts.annotatorId, specVersion: "1.0.0+000000000000" })
    .returning({ id: tasks.id });
  await addVersion(db, t!.id, opts.annotatorId, opts);
  return t!.id;
}

export async function addVersion(
  db: Db,
  taskId: string,
  authorId: string,
  opts: { items?: CritiqueItem[]; pre?: string; post?: string; authorRole?: "annotator" | "reviewer"; negative?: "no" | "rejected" } = {},
): Promise<void> {
  const items = opts.items ?? GOLD_ITEMS;
  await db.insert(taskVersions).values({
    taskId,
    authorId,
    authorRole: opts.authorRole ?? "annotator",
    preCaption: opts.pre ?? GOLD_DRAFT,
    score: 3,
    critique: items,
    critiqueText: items.map((i) => `${i.errorType}: ${i.what}`).join("\n"),
    postCaption: opts.post ?? GOLD_POST,
    negative: opts.negative ?? "no",
  });
}
