import { and, asc, eq, sql } from "drizzle-orm";
import type { Db } from "../db";
import { rounds } from "../db/schema";
import type { CritiqueItem } from "../../shared/critique/items";
import { renderCritique } from "../../shared/critique/items";
import { parseStoredItems } from "../../shared/critique/stored";
import { RoundCandidate, type RoundDetail, type RoundSummary } from "../../shared/api/loop";
import type { Timings } from "../pipeline/revise";
import type { Usage } from "../pipeline/providers";
import { z } from "zod";

/** The rounds table: one row per revision, numbered per task from 1. */

export type NewRound = {
  taskId: string;
  requestedBy: string | null;
  items: readonly CritiqueItem[];
  provider: string;
  model: string;
  promptHash: string;
  /** The database's time when absent (a simulated clock passes one). */
  startedAt?: Date;
};

const isUniqueViolation = (err: unknown): boolean => {
  const e = err as { code?: unknown; cause?: { code?: unknown } } | null;
  return e?.code === "23505" || e?.cause?.code === "23505";
};

/** Inserts a running round with the next number; a concurrent insert taking the same number is retried. */
export async function createRound(db: Db, r: NewRound): Promise<{ id: string; n: number }> {
  for (let attempt = 0; ; attempt++) {
    try {
      const [row] = await db
        .insert(rounds)
        .values({
          taskId: r.taskId,
          // The next number in the same statement (one round trip); the unique (task, n) catches a concurrent twin.
          n: sql`(select coalesce(max(${rounds.n}), 0) + 1 from ${rounds} where ${rounds.taskId} = ${r.taskId})`,
          requestedBy: r.requestedBy,
          status: "running",
          critique: [...r.items],
          critiqueText: renderCritique(r.items),
          provider: r.provider,
          model: r.model,
          promptHash: r.promptHash,
          startedAt: r.startedAt,
        })
        .returning({ id: rounds.id, n: rounds.n });
      if (!row) throw new Error("round not created");
      return row;
    } catch (err) {
      if (attempt < 5 && isUniqueViolation(err)) continue;
      throw err;
    }
  }
}

/** A run's timings moved onto a clock's start (a simulated clock): the run's real durations, from `startedAt`. */
export function timingsFrom(t: Timings, startedAt: Date): Timings {
  const shift = (d: Date) => new Date(startedAt.getTime() + (d.getTime() - t.startedAt.getTime()));
  return { startedAt, firstTokenAt: t.firstTokenAt ? shift(t.firstTokenAt) : null, finishedAt: shift(t.finishedAt) };
}

const usageRecord = (u: Usage | null): Record<string, number> | null => {
  if (!u) return null;
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(u)) if (typeof v === "number") out[k] = v;
  return out;
};

export async function completeRound(
  db: Db,
  id: string,
  r: {
    postCaption: string;
    timings: Timings;
    usage: Usage | null;
    model: string;
    candidates?: RoundCandidate[] | null;
  },
): Promise<void> {
  await db
    .update(rounds)
    .set({
      status: "done",
      postCaption: r.postCaption,
      model: r.model,
      usage: usageRecord(r.usage),
      candidates: r.candidates ?? null,
      firstTokenAt: r.timings.firstTokenAt,
      finishedAt: r.timings.finishedAt,
    })
    .where(and(eq(rounds.id, id), eq(rounds.status, "running")));
}

/** The most of a failed round's partial text kept (a model that ran away is not stored whole). */
export const MAX_PARTIAL_TEXT = 20_000;

/**
 * Marks a running round failed or cancelled (a finished round is never rewritten). `error` is the message alone; a
 * failure's partial text — what the model streamed before it stopped — goes to partial_text, never to post_caption,
 * so no reader of captions (the room, the diffs, the exports) can take it for one.
 */
export async function endRound(
  db: Db,
  id: string,
  status: "failed" | "cancelled",
  error: string,
  at = new Date(),
  partialText = "",
): Promise<void> {
  await db
    .update(rounds)
    .set({ status, error, partialText: partialText ? partialText.slice(0, MAX_PARTIAL_TEXT) : null, postCaption: null, finishedAt: at })
    .where(and(eq(rounds.id, id), eq(rounds.status, "running")));
}

type RoundRow = typeof rounds.$inferSelect;

function summary(r: RoundRow): RoundSummary {
  return {
    id: r.id,
    n: r.n,
    status: r.status,
    requestedBy: r.requestedBy,
    provider: r.provider,
    model: r.model,
    promptHash: r.promptHash,
    critiqueText: r.critiqueText,
    postCaption: r.postCaption,
    error: r.error,
    usage: r.usage ?? null,
    startedAt: r.startedAt.toISOString(),
    firstTokenAt: r.firstTokenAt?.toISOString() ?? null,
    finishedAt: r.finishedAt?.toISOString() ?? null,
    durationMs: r.finishedAt ? r.finishedAt.getTime() - r.startedAt.getTime() : null,
  };
}

export async function listRounds(db: Db, taskId: string): Promise<RoundSummary[]> {
  const rows = await db.select().from(rounds).where(eq(rounds.taskId, taskId)).orderBy(asc(rounds.n));
  return rows.map(summary);
}

export async function getRound(db: Db, taskId: string, n: number): Promise<RoundDetail | null> {
  const [row] = await db.select().from(rounds).where(and(eq(rounds.taskId, taskId), eq(rounds.n, n))).limit(1);
  if (!row) return null;
  // jsonb is written by us, but parse it anyway so a hand-edited row cannot reach a client malformed.
  const candidates = z.array(RoundCandidate).safeParse(row.candidates);
  return {
    ...summary(row),
    partialText: row.partialText,
    critique: parseStoredItems(row.critique),
    candidates: row.candidates && candidates.success ? candidates.data : null,
  };
}
