import type { Db } from "../db";
import { readFinalVersion, readLatestVersionBy, type TaskVersion } from "../versions";
import type { CritiqueItem } from "../../shared/critique/items";
import { parseStoredItems } from "../../shared/critique/stored";

/** A frozen version of a task's work, with its critique items parsed (shared/critique/stored.ts). */
export type FrozenCritique = { versionId: string; authorId: string; preCaption: string; postCaption: string; items: CritiqueItem[] };

const frozenCritique = (row: TaskVersion | null): FrozenCritique | null =>
  row
    ? { versionId: row.id, authorId: row.authorId, preCaption: row.preCaption, postCaption: row.postCaption, items: parseStoredItems(row.critique) }
    : null;

/** A gold task's answer key: its final version (server/versions; after a redo, the annotator's resubmitted one). */
export const answerKeyOf = async (db: Db, goldTaskId: string): Promise<FrozenCritique | null> =>
  frozenCritique(await readFinalVersion(db, goldTaskId));

/** What a trainee handed in: the annotator's newest submitted version. */
export const attemptOf = async (db: Db, taskId: string): Promise<FrozenCritique | null> =>
  frozenCritique(await readLatestVersionBy(db, taskId, "annotator"));
