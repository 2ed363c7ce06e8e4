import { createHash } from "node:crypto";
import type { CritiqueItem } from "../../shared/critique/items";
import { buildJudgePrompt } from "./prompts";
import type { Prompt, RevisionItem } from "./prompts";
import { ProviderError } from "./providers/errors";
import type { GenerateOptions, GenerateRequest, ModelProvider, Usage } from "./providers/types";
import { checkFixes } from "./score";
import { modelDuration, modelErrors, providerLabel } from "../observability/metrics";
import { LocalTaskLocks, type TaskLocks } from "../cluster/taskLocks";

/**
 * Running prompts and revisions, transport-agnostic. `runPrompt` runs any prompt (a draft, a revision, a judgement,
 * a polish) through a provider, hands each chunk to `onChunk` as it arrives (the caller streams it into the room),
 * and returns the text with usage and timings. `RevisionCoordinator` keeps a process's runs, one per task, and runs
 * a task's revision steps one at a time; best-of-N runs several candidates and ranks them with a scorer.
 */

export type Media = Pick<GenerateRequest, "mode" | "images" | "video" | "videoFile" | "videoUrl" | "durationSec">;

export type RunOptions = Omit<GenerateOptions, "signal"> & {
  signal?: AbortSignal;
  media?: Media;
  temperature?: number;
  /** Called with each chunk, in order; never called after `signal` is aborted. */
  onChunk?: (text: string) => void;
  now?: () => Date;
};

export type Timings = { startedAt: Date; firstTokenAt: Date | null; finishedAt: Date };

export type RunResult = {
  text: string;
  usage: Usage | null;
  provider: string;
  model: string;
  promptHash: string;
  timings: Timings;
  /** How the model ended: the provider's normal finish ("stop", "STOP"), or "end" for a provider without one (rules). */
  finishReason: string;
};

const cancelledBy = (provider: string) => new ProviderError(provider, "cancelled", `${provider}: the request was cancelled`);

/**
 * Runs one prompt (a draft, a revision, a judgement, a polish) to the end. Throws ProviderError on failure, carrying
 * the text streamed before it (`partialText`): a provider that reports its finish must have finished normally, so a
 * cut or stopped stream never comes back as a result to be saved.
 */
export async function runPrompt(provider: ModelProvider, prompt: Prompt, opts: RunOptions = {}): Promise<RunResult> {
  // Every provider call is timed and its failures counted here, the one place all of them pass (metrics.ts).
  const started = performance.now();
  const label = providerLabel(provider.name);
  try {
    const result = await runPromptOnce(provider, prompt, opts);
    modelDuration.observe({ provider: label, outcome: "ok" }, (performance.now() - started) / 1000);
    return result;
  } catch (err) {
    modelDuration.observe({ provider: label, outcome: "error" }, (performance.now() - started) / 1000);
    modelErrors.inc({ provider: label, code: err instanceof ProviderError ? err.code : "other" });
    throw err;
  }
}

async function runPromptOnce(provider: ModelProvider, prompt: Prompt, opts: RunOptions): Promise<RunResult> {
  const now = opts.now ?? (() => new Date());
  const startedAt = now();
  let firstTokenAt: Date | null = null;
  let usage: Usage | null = null;
  let finishReason: string | null = null;
  const parts: string[] = [];
  const req: GenerateRequest = {
    system: prompt.system,
    user: prompt.user,
    task: prompt.task,
    ...(opts.media ?? { mode: "text" }),
    ...(opts.temperature !== undefined ? { temperature: opts.temperature } : {}),
  };
  const { signal } = opts;
  if (signal?.aborted) throw cancelledBy(provider.name);
  try {
    for await (const event of provider.generate(req, {
      signal,
      timeoutMs: opts.timeoutMs,
      stallTimeoutMs: opts.stallTimeoutMs,
      retry: opts.retry,
    })) {
      if (signal?.aborted) throw cancelledBy(provider.name);
      if (event.type === "text") {
        firstTokenAt ??= now();
        parts.push(event.text);
        opts.onChunk?.(event.text);
      } else if (event.type === "finish") {
        finishReason = event.reason;
      } else {
        // Streams may repeat usage (Gemini sends running totals): the last one wins.
        usage = { inputTokens: event.inputTokens, outputTokens: event.outputTokens, totalTokens: event.totalTokens };
      }
    }
    if (signal?.aborted) throw cancelledBy(provider.name);
    if (provider.reportsFinish && finishReason === null) {
      throw new ProviderError(provider.name, "incomplete", `${provider.name}: the answer ended without the model saying it had finished`);
    }
  } catch (err) {
    const partial = parts.join("");
    throw err instanceof ProviderError && partial ? err.withPartialText(partial) : err;
  }
  const text = parts.join("").trim();
  if (!text) throw new ProviderError(provider.name, "bad_response", `${provider.name} returned no text`);
  return {
    text,
    usage,
    provider: provider.name,
    model: provider.model,
    promptHash: prompt.hash,
    timings: { startedAt, firstTokenAt, finishedAt: now() },
    finishReason: finishReason ?? "end",
  };
}

/** Identifies what a revision is of: the draft and the critique items (order-independent). */
export function critiqueSnapshotKey(draft: string, items: readonly CritiqueItem[]): string {
  const canonical = [...items]
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((i) => [i.id, i.errorType, i.primitiveId, i.what, i.fix, i.anchor, i.timeStart, i.timeEnd]);
  return createHash("sha256").update(JSON.stringify([draft, canonical])).digest("hex");
}

/** Why a coordinated revision did not finish: a newer critique replaced it, or it was cancelled. */
export class RevisionCancelled extends Error {
  override readonly name = "RevisionCancelled";
  constructor(readonly why: "superseded" | "cancelled") {
    super(why === "superseded" ? "A newer revision request replaced this one." : "The revision was cancelled.");
  }
}

type Running<R, I> = { key: string; info: I | undefined; controller: AbortController; promise: Promise<R> };

/**
 * The runs of one process, one per task. A request for the snapshot already running joins it (two people pressing
 * "revise" together start one revision); a request with a different snapshot cancels the running one and starts
 * anew. The cancelled run's callers get RevisionCancelled("superseded"). `exclusive` runs steps of a task's
 * revisions one at a time (a request, the finishing of a run), so they cannot interleave: in this process, or in
 * every process sharing the database when given locks that span them (server/cluster/taskLocks.ts) — then "one
 * revision per task" across processes is decided under those locks (server/loop/revisions.ts), and this keeps the
 * abort handles of the runs that are here. `info` travels with the running revision (its round).
 */
export class RevisionCoordinator<R, I = undefined> {
  private readonly running = new Map<string, Running<R, I>>();

  constructor(private readonly locks: TaskLocks = new LocalTaskLocks()) {}

  request(
    taskId: string,
    snapshotKey: string,
    start: (signal: AbortSignal) => Promise<R>,
    info?: I,
  ): { joined: boolean; promise: Promise<R> } {
    const current = this.running.get(taskId);
    if (current && current.key === snapshotKey) return { joined: true, promise: current.promise };
    if (current) current.controller.abort(new RevisionCancelled("superseded"));

    const controller = new AbortController();
    const entry: Running<R, I> = { key: snapshotKey, info, controller, promise: Promise.resolve() as Promise<R> };
    entry.promise = (async () => {
      try {
        const result = await start(controller.signal);
        if (controller.signal.aborted) throw reasonOf(controller.signal);
        return result;
      } catch (e) {
        throw controller.signal.aborted ? reasonOf(controller.signal) : e;
      } finally {
        if (this.running.get(taskId) === entry) this.running.delete(taskId);
      }
    })();
    this.running.set(taskId, entry);
    return { joined: false, promise: entry.promise };
  }

  /** Cancels the task's running revision here, if any (`superseded` when another revision replaced it). */
  cancel(taskId: string, why: RevisionCancelled["why"] = "cancelled"): boolean {
    const current = this.running.get(taskId);
    if (!current) return false;
    current.controller.abort(new RevisionCancelled(why));
    this.running.delete(taskId);
    return true;
  }

  /** The snapshot being revised for the task (and its info), or null. */
  current(taskId: string): { snapshotKey: string; info?: I } | null {
    const c = this.running.get(taskId);
    if (!c) return null;
    return c.info === undefined ? { snapshotKey: c.key } : { snapshotKey: c.key, info: c.info };
  }

  /** Runs `fn` after every earlier exclusive step of the task has ended; its result or failure goes to the caller. */
  exclusive<T>(taskId: string, fn: () => Promise<T>): Promise<T> {
    return this.locks.withLock(taskId, fn);
  }
}

function reasonOf(signal: AbortSignal): RevisionCancelled {
  return signal.reason instanceof RevisionCancelled ? signal.reason : new RevisionCancelled("cancelled");
}

// ---------------------------------------------------------------------------------------------------------------
// Best-of-N

export type Scored<C> = { index: number; candidate: C; score: number };
export type BestOfN<C> = { best: Scored<C>; others: Scored<C>[]; failed: Array<{ index: number; error: string }> };

/**
 * Generates n candidates concurrently and ranks them by `score` (highest first; ties keep generation order).
 * Candidates that fail are reported; it throws only when all fail.
 */
export async function bestOfN<C>(opts: {
  n: number;
  generate: (index: number) => Promise<C>;
  score: (candidate: C) => Promise<number> | number;
}): Promise<BestOfN<C>> {
  const n = Math.max(1, Math.floor(opts.n));
  const settled = await Promise.allSettled(
    Array.from({ length: n }, async (_, index) => {
      const candidate = await opts.generate(index);
      return { index, candidate, score: await opts.score(candidate) };
    }),
  );
  const ok: Scored<C>[] = [];
  const failed: BestOfN<C>["failed"] = [];
  let firstError: unknown = null;
  settled.forEach((s, index) => {
    if (s.status === "fulfilled") ok.push(s.value);
    else {
      firstError ??= s.reason;
      failed.push({ index, error: s.reason instanceof Error ? s.reason.message : String(s.reason) });
    }
  });
  if (!ok.length) throw firstError instanceof Error ? firstError : new Error(String(firstError));
  ok.sort((a, b) => b.score - a.score || a.index - b.index);
  const [best, ...others] = ok as [Scored<C>, ...Scored<C>[]];
  return { best, others, failed };
}

/** The rules reward: the fraction of checkable fixes the candidate reflects (see score.ts). */
export const rulesScorer = (draft: string, items: readonly RevisionItem[]) => (candidate: { text: string }) =>
  checkFixes(draft, candidate.text, items).score;

/** A yes/no judge through a provider: 1 when it answers Yes, 0 otherwise. */
export const judgeScorer =
  (provider: ModelProvider, draft: string, items: RevisionItem[], opts: Omit<RunOptions, "onChunk"> = {}) =>
  async (candidate: { text: string }) => {
    const prompt = buildJudgePrompt({ draft, items, candidate: candidate.text });
    const { text } = await runPrompt(provider, prompt, { ...opts, temperature: 0 });
    return /^\W*yes\b/i.test(text) ? 1 : 0;
  };
