import type * as Y from "yjs";
import type { SessionUser } from "../auth/sessionUser";
import { forbidden, unavailable } from "../errors";
import { buildRevisionPrompt } from "../pipeline/prompts";
import { isProviderError, type ModelProvider } from "../pipeline/providers";
import {
  RevisionCancelled,
  RevisionCoordinator,
  bestOfN,
  critiqueSnapshotKey,
  judgeScorer,
  rulesScorer,
  runPrompt,
  type RunResult,
} from "../pipeline/revise";
import { taskRoom } from "../../shared/collab/protocol";
import { appendPostText, setPostText, writeRevision, IDLE_REVISION, type RevisionState } from "../../shared/room/document";
import type { RoundCandidate } from "../../shared/api/loop";
import type { LoopDeps } from "./deps";
import { mediaFor } from "./media";
import { bestOfNSetting } from "./provider";
import { readRoom, writeRevisionState, type RoomSnapshot } from "./roomContent";
import { completeRound, createRound, endRound, timingsFrom } from "./rounds";
import { loadTask, type LoopTask } from "./taskFacts";
import { applyTransition, resolveActor } from "./transitions";
import { actsAsWorker } from "../resources/tasks/policy";

export type RevisionOutcome =
  | { status: "done"; roundId: string; n: number; text: string }
  | { status: "failed"; roundId: string; n: number; error: string }
  | { status: "cancelled"; roundId: string; n: number };

type Round = { roundId: string; n: number };

/**
 * Revisions of one process. The coordinator alone keeps "one revision per task": requests run one at a time per
 * task, so two people pressing "revise" on the same critique at once start one round; a request on a changed
 * critique cancels the running round and starts the next. This service runs a round: the model's text streams into
 * the room's post-caption through the rooms registry, so every participant sees it arrive.
 */
export class RevisionService {
  private readonly coordinator = new RevisionCoordinator<RevisionOutcome, Round>();
  /** Each round's outcome, kept briefly for whoever awaits it (tests, the CLI, the demo seed). */
  private readonly settledByRound = new Map<string, Promise<RevisionOutcome>>();

  constructor(private readonly deps: LoopDeps) {}

  /** Starts (or joins) a revision of the task's current draft and critique; resolves once the round exists. */
  request(taskId: string, user: SessionUser): Promise<{ roundId: string; n: number; joined: boolean }> {
    return this.coordinator.exclusive(taskId, () => this.start(taskId, user));
  }

  /** Settles when the round has finished streaming and the task's stage has moved (tests, CLI). */
  settled(roundId: string): Promise<RevisionOutcome> | undefined {
    return this.settledByRound.get(roundId);
  }

  /** Cancels the task's running revision (its round ends as cancelled). */
  cancel(taskId: string): boolean {
    return this.coordinator.cancel(taskId);
  }

  /** A failure that must not mask the one being handled: logged with what was being done. */
  private logFailure(what: string): (err: unknown) => void {
    return (err) => this.deps.log(`loop: ${what} failed: ${err instanceof Error ? err.message : String(err)}`);
  }

  private async start(taskId: string, user: SessionUser): Promise<{ roundId: string; n: number; joined: boolean }> {
    const { deps } = this;
    const task = await loadTask(deps.db, taskId);
    const actor = await resolveActor(deps, task, { kind: "user", user });
    if (!actsAsWorker(actor)) throw forbidden("Only the task's annotator can request a revision.");
    const room = await readRoom(deps.rooms, task.id);
    const key = critiqueSnapshotKey(room.draft, room.items);
    const running = this.coordinator.current(task.id);
    if (running?.info && running.snapshotKey === key) return { ...running.info, joined: true };
    // A provider that is not configured is refused before the stage moves; the room shows why.
    let provider: ModelProvider;
    try {
      provider = deps.providerFor(task.settings);
    } catch (err) {
      if (!isProviderError(err)) throw err;
      const error = `The revision cannot start: ${err.message}`;
      await writeRevisionState(deps.rooms, task.id, { ...IDLE_REVISION, status: "failed", error });
      throw unavailable("provider_unavailable", error);
    }
    // The machine checks stage, worker, score and critique; the task moves to revising.
    await applyTransition(deps, task.id, "request_revision", { kind: "user", user }, { task, room });

    let prompt: ReturnType<typeof buildRevisionPrompt>;
    let round: { id: string; n: number };
    const startedAt = deps.clock?.();
    try {
      const { spec, lexicon } = await deps.loadSpec();
      prompt = buildRevisionPrompt({ draft: room.draft, items: room.revisionItems, lint: { spec, lexicon, aspect: task.aspect } });
      round = await createRound(deps.db, {
        taskId: task.id,
        requestedBy: user.id,
        items: room.items,
        provider: provider.name,
        model: provider.model,
        promptHash: prompt.hash,
        startedAt,
      });
    } catch (err) {
      // Nothing is running: put the task back where it was rather than leave it revising.
      await applyTransition(deps, task.id, "revision_failed", { kind: "system" }).catch(this.logFailure(`revision_failed for ${task.id}`));
      throw err;
    }
    const state: RevisionState = {
      status: "running",
      roundId: round.id,
      n: round.n,
      error: null,
      startedBy: user.displayName.slice(0, 200),
      startedAt: (startedAt ?? new Date()).toISOString(),
    };
    const { promise } = this.coordinator.request(
      task.id,
      key,
      (signal) => this.run({ task, room, provider, prompt, round, state, signal, startedAt }),
      { roundId: round.id, n: round.n },
    );
    const settled = promise.catch((err: unknown) => this.onCancelled(round, err));
    this.settledByRound.set(round.id, settled);
    void settled.finally(() => {
      // Keep the handle briefly for late awaiters, then let it go.
      setTimeout(() => this.settledByRound.delete(round.id), 60_000).unref();
    });
    return { roundId: round.id, n: round.n, joined: false };
  }

  private async onCancelled(round: { id: string; n: number }, err: unknown): Promise<RevisionOutcome> {
    const why = err instanceof RevisionCancelled ? err.message : String(err);
    await endRound(this.deps.db, round.id, "cancelled", why, this.deps.clock?.()).catch(this.logFailure(`ending cancelled round ${round.id}`));
    return { status: "cancelled", roundId: round.id, n: round.n };
  }

  private async run(r: {
    task: LoopTask;
    room: RoomSnapshot;
    provider: ModelProvider;
    prompt: ReturnType<typeof buildRevisionPrompt>;
    round: { id: string; n: number };
    state: RevisionState;
    signal: AbortSignal;
    /** The round's start on the loop's clock, when it has one. */
    startedAt: Date | undefined;
  }): Promise<RevisionOutcome> {
    const { deps } = this;
    const name = taskRoom(r.task.id);
    const system = { kind: "system" as const, actorId: null };
    // Chunk writes are queued without waiting for each commit; the checks inside keep a cancelled revision's late
    // chunks out of the next revision's text.
    const writes: Promise<void>[] = [];
    const write = (fn: (doc: Y.Doc) => void) => {
      const done = deps.rooms.withDoc(name, (doc) => (r.signal.aborted ? undefined : fn(doc)));
      writes.push(done.catch((e: unknown) => deps.log(`loop: room write failed for ${r.task.id}: ${String(e)}`)));
    };
    write((doc) => {
      setPostText(doc, "");
      writeRevision(doc, r.state);
    });
    try {
      const media = await mediaFor(deps.config, r.provider, r.task, deps.log);
      const n = bestOfNSetting(r.task.settings);
      let result: RunResult;
      let candidates: RoundCandidate[] | null = null;
      if (n <= 1) {
        result = await runPrompt(r.provider, r.prompt, { media, signal: r.signal, onChunk: (c) => write((doc) => appendPostText(doc, c)) });
      } else {
        // Candidates are ranked before anything is shown: the best is written, the rest kept with the round.
        const scorer =
          r.provider.name === "rules"
            ? rulesScorer(r.room.draft, r.room.revisionItems)
            : judgeScorer(r.provider, r.room.draft, r.room.revisionItems, { signal: r.signal });
        const ranked = await bestOfN({
          n,
          generate: (i) => runPrompt(r.provider, r.prompt, { media, signal: r.signal, temperature: i === 0 ? 0 : 0.7 }),
          score: scorer,
        });
        result = ranked.best.candidate;
        candidates = [ranked.best, ...ranked.others].map((c) => ({ index: c.index, text: c.candidate.text, score: c.score }));
      }
      // Finishing runs under the task's lock, so a revise request cannot slip in between the room, the round and
      // the stage: a request either supersedes this run before it finishes, or waits until it has fully finished.
      const finished = await this.coordinator.exclusive(r.task.id, async () => {
        if (r.signal.aborted) return false;
        // The room first (queued after every streamed chunk): the final text as stored, and the status back to idle.
        await writeRevisionState(deps.rooms, r.task.id, { ...IDLE_REVISION, roundId: r.round.id, n: r.round.n }, result.text);
        await completeRound(deps.db, r.round.id, {
          postCaption: result.text,
          timings: r.startedAt ? timingsFrom(result.timings, r.startedAt) : result.timings,
          usage: result.usage,
          model: result.model,
          candidates,
        });
        await applyTransition(deps, r.task.id, "revision_done", system).catch((e: unknown) => deps.log(`loop: revision_done: ${String(e)}`));
        return true;
      });
      if (!finished) throw r.signal.reason;
      return { status: "done", roundId: r.round.id, n: r.round.n, text: result.text };
    } catch (err) {
      if (r.signal.aborted || err instanceof RevisionCancelled) throw err;
      const error = `The revision failed: ${isProviderError(err) || err instanceof Error ? err.message : String(err)}`.slice(0, 2000);
      deps.log(`loop: task ${r.task.id} round ${r.round.n}: ${error}`);
      await Promise.allSettled(writes);
      const failed = await this.coordinator.exclusive(r.task.id, async () => {
        if (r.signal.aborted) return false;
        // What the model wrote before it stopped stays with the failed round only; the room gets the previous text back.
        const partial = isProviderError(err) ? err.partialText : "";
        await endRound(deps.db, r.round.id, "failed", error, deps.clock?.(), partial).catch(this.logFailure(`ending failed round ${r.round.id}`));
        await applyTransition(deps, r.task.id, "revision_failed", system).catch((e: unknown) => deps.log(`loop: revision_failed: ${String(e)}`));
        // The previous post-caption comes back; the message stays in the room until the next request.
        await writeRevisionState(deps.rooms, r.task.id, { ...r.state, status: "failed", error }, r.room.post).catch(
          this.logFailure(`writing the failed revision into room ${r.task.id}`),
        );
        return true;
      });
      if (!failed) throw r.signal.reason;
      return { status: "failed", roundId: r.round.id, n: r.round.n, error };
    }
  }
}
