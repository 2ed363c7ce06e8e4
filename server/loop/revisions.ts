import type * as Y from "yjs";
import { z } from "zod";
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
import { LocalBus, type ClusterBus } from "../cluster/bus";
import { LocalTaskLocks, type TaskLocks } from "../cluster/taskLocks";
import {
  claimLease,
  expiredLeaseTasks,
  holdsLease,
  releaseLease,
  renewLease,
  runningRevision,
  unleasedRunningRounds,
  type RunningRevision,
} from "../cluster/revisionLeases";
import { taskRoom } from "../../shared/collab/protocol";
import {
  appendPostText,
  readRevision,
  setPostText,
  writeRevision,
  IDLE_REVISION,
  type RevisionState,
} from "../../shared/room/document";
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

/** How processes share revisions: who hears a cancel, which locks span them, how long a run's lease lasts. */
export type RevisionSharing = {
  /** Cancels reach the process running the round through it (server/cluster/bus.ts). */
  bus: ClusterBus;
  /** A task's revision steps run one at a time under these (server/cluster/taskLocks.ts). */
  locks: TaskLocks;
  /** A run's lease: renewed every `renewMs` while it streams; past `ttlMs` unrenewed, its process counts as dead. */
  lease: { ttlMs: number; renewMs: number };
};

export const REVISION_LEASE: RevisionSharing["lease"] = { ttlMs: 15_000, renewMs: 5_000 };

/** The bus topic of revision cancels: every process checks whether it runs the round named. */
export const REVISION_CANCEL_TOPIC = "revision-cancel";

const CancelMessage = z.object({
  taskId: z.string().min(1),
  roundId: z.string().min(1),
  why: z.enum(["superseded", "cancelled"]),
});

/** What a round ended by a dead process's lease says (and the room shows). */
export const STOPPED_ERROR = "The revision stopped: the server running it went away. Request it again.";

/**
 * Revisions of every process sharing the database. "One revision per task" is kept in PostgreSQL: the running round
 * of a task is its row in revision_leases, read and written only under the task's lock (which spans processes on
 * PostgreSQL), so two people pressing "revise" on the same critique at once — through one process or two — start
 * one round; a request on a changed critique ends the running round (a cancel on the bus stops its stream at once,
 * wherever it runs) and starts the next. The process running a round renews its lease; a round whose lease ran out
 * belongs to a process that died, and is ended by the next request or by `recoverExpired`. This service runs a
 * round: the model's text streams into the room's post-caption through the rooms registry, so every participant
 * sees it arrive, whichever process they are connected to.
 */
export class RevisionService {
  private readonly coordinator: RevisionCoordinator<RevisionOutcome, Round>;
  private readonly bus: ClusterBus;
  private readonly lease: RevisionSharing["lease"];
  /** Each round's outcome, kept briefly for whoever awaits it (tests, the CLI, the demo seed). */
  private readonly settledByRound = new Map<string, Promise<RevisionOutcome>>();

  constructor(
    private readonly deps: LoopDeps,
    sharing: Partial<RevisionSharing> = {},
  ) {
    this.bus = sharing.bus ?? new LocalBus();
    this.coordinator = new RevisionCoordinator<RevisionOutcome, Round>(sharing.locks ?? new LocalTaskLocks());
    this.lease = { ...REVISION_LEASE, ...sharing.lease };
    this.bus.subscribe(REVISION_CANCEL_TOPIC, (payload) => {
      const msg = CancelMessage.safeParse(payload);
      if (msg.success) this.cancelHere(msg.data.taskId, msg.data.roundId, msg.data.why);
    });
  }

  /** Starts (or joins) a revision of the task's current draft and critique; resolves once the round exists. */
  request(taskId: string, user: SessionUser): Promise<{ roundId: string; n: number; joined: boolean }> {
    return this.coordinator.exclusive(taskId, () => this.start(taskId, user));
  }

  /** Settles when the round has finished streaming and the task's stage has moved (rounds run by this process). */
  settled(roundId: string): Promise<RevisionOutcome> | undefined {
    return this.settledByRound.get(roundId);
  }

  /**
   * Cancels the task's running revision wherever it runs (its round ends as cancelled). A run of this process
   * stops at once; the round's ending and a run elsewhere follow in the background. True when one ran here.
   */
  cancel(taskId: string): boolean {
    const here = this.coordinator.cancel(taskId);
    void this.coordinator
      .exclusive(taskId, async () => {
        const running = await runningRevision(this.deps.db, taskId);
        if (running) await this.stop(running, "cancelled");
      })
      .catch(this.logFailure(`cancelling the revision of ${taskId}`));
    return here;
  }

  /**
   * Ends the rounds whose process stopped renewing their lease (killed, or cut off from the database): the round
   * fails, the task goes back to where a failed revision leaves it, and the room gets its previous post-caption and
   * the reason. Any process may run it; each task is re-checked under its lock. Returns how many it ended.
   */
  async recoverExpired(): Promise<number> {
    const { deps } = this;
    let ended = 0;
    for (const taskId of await expiredLeaseTasks(deps.db)) {
      await this.coordinator
        .exclusive(taskId, async () => {
          const running = await runningRevision(deps.db, taskId);
          if (!running?.expired) return;
          await this.stop(running, "expired");
          ended++;
          await applyTransition(deps, taskId, "revision_failed", { kind: "system", actorId: null }).catch(this.logFailure(`revision_failed for ${taskId}`));
          await deps.rooms.withDoc(taskRoom(taskId), (doc) => {
            const state = readRevision(doc);
            // Only the dead round's own text and status: a newer revision's are not touched.
            if (state.roundId !== running.roundId) return;
            setPostText(doc, running.previousPost);
            writeRevision(doc, { ...state, status: "failed", error: STOPPED_ERROR });
          });
        })
        .catch(this.logFailure(`recovering the revision of ${taskId}`));
    }
    return ended;
  }

  /** A failure that must not mask the one being handled: logged with what was being done. */
  private logFailure(what: string): (err: unknown) => void {
    return (err) => this.deps.log(`loop: ${what} failed: ${err instanceof Error ? err.message : String(err)}`);
  }

  /** Aborts this process's run of the round, if it has it (a cancel from the bus, a lost lease). */
  private cancelHere(taskId: string, roundId: string, why: RevisionCancelled["why"]): void {
    if (this.coordinator.current(taskId)?.info?.roundId === roundId) this.coordinator.cancel(taskId, why);
  }

  /**
   * Ends the task's running round (under the task's lock): cancelled when superseded or cancelled, failed when its
   * process died; the lease goes, and the process running it, wherever it is, is told to stop.
   */
  private async stop(running: RunningRevision, why: "superseded" | "cancelled" | "expired"): Promise<void> {
    const { db } = this.deps;
    const at = this.deps.clock?.();
    if (why === "expired") await endRound(db, running.roundId, "failed", STOPPED_ERROR, at);
    else await endRound(db, running.roundId, "cancelled", new RevisionCancelled(why).message, at);
    await releaseLease(db, running.roundId);
    const cancel = why === "expired" ? "cancelled" : why;
    this.cancelHere(running.taskId, running.roundId, cancel);
    this.bus.publish(REVISION_CANCEL_TOPIC, { taskId: running.taskId, roundId: running.roundId, why: cancel });
  }

  private async start(taskId: string, user: SessionUser): Promise<{ roundId: string; n: number; joined: boolean }> {
    const { deps } = this;
    const task = await loadTask(deps.db, taskId);
    const actor = await resolveActor(deps, task, { kind: "user", user });
    if (!actsAsWorker(actor)) throw forbidden("Only the task's annotator can request a revision.");
    const room = await readRoom(deps.rooms, task.id);
    const key = critiqueSnapshotKey(room.draft, room.items);
    const running = await runningRevision(deps.db, task.id);
    if (running && !running.expired && running.snapshotKey === key) return { roundId: running.roundId, n: running.n, joined: true };
    // What the room showed before any run streamed over it: a superseded run's partial text is not it.
    const previousPost = running ? running.previousPost : room.post;
    if (running) await this.stop(running, running.expired ? "expired" : "superseded");
    for (const id of await unleasedRunningRounds(deps.db, task.id)) await endRound(deps.db, id, "failed", STOPPED_ERROR, deps.clock?.());
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
    let round: { id: string; n: number } | undefined;
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
      await claimLease(deps.db, { taskId: task.id, roundId: round.id, snapshotKey: key, previousPost, owner: this.bus.processId, ttlMs: this.lease.ttlMs });
    } catch (err) {
      // Nothing is running: put the task back where it was rather than leave it revising.
      if (round) await endRound(deps.db, round.id, "failed", "The revision could not start.", deps.clock?.()).catch(this.logFailure(`ending round ${round.id}`));
      await applyTransition(deps, task.id, "revision_failed", { kind: "system" }).catch(this.logFailure(`revision_failed for ${task.id}`));
      throw err;
    }
    const started = round;
    const state: RevisionState = {
      status: "running",
      roundId: started.id,
      n: started.n,
      error: null,
      startedBy: user.displayName.slice(0, 200),
      startedAt: (startedAt ?? new Date()).toISOString(),
    };
    const { promise } = this.coordinator.request(
      task.id,
      key,
      (signal) => this.run({ task, room, previousPost, provider, prompt, round: started, state, signal, startedAt }),
      { roundId: started.id, n: started.n },
    );
    const settled = promise.catch((err: unknown) => this.onCancelled(started, err));
    this.settledByRound.set(started.id, settled);
    void settled.finally(() => {
      // Keep the handle briefly for late awaiters, then let it go.
      setTimeout(() => this.settledByRound.delete(started.id), 60_000).unref();
    });
    return { roundId: started.id, n: started.n, joined: false };
  }

  private async onCancelled(round: { id: string; n: number }, err: unknown): Promise<RevisionOutcome> {
    const why = err instanceof RevisionCancelled ? err.message : String(err);
    await endRound(this.deps.db, round.id, "cancelled", why, this.deps.clock?.()).catch(this.logFailure(`ending cancelled round ${round.id}`));
    await releaseLease(this.deps.db, round.id).catch(this.logFailure(`releasing the lease of round ${round.id}`));
    return { status: "cancelled", roundId: round.id, n: round.n };
  }

  /** Keeps the round's lease while it runs; a lease found gone (taken over, cancelled elsewhere) stops the run. */
  private keepLease(taskId: string, roundId: string): () => void {
    const timer = setInterval(() => {
      renewLease(this.deps.db, roundId, this.lease.ttlMs).then(
        (held) => {
          if (!held) this.cancelHere(taskId, roundId, "superseded");
        },
        this.logFailure(`renewing the lease of round ${roundId}`),
      );
    }, this.lease.renewMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  /** Whether the run may still write its ending: not aborted here, and still the task's running revision. */
  private async stillRunning(taskId: string, roundId: string, signal: AbortSignal): Promise<boolean> {
    if (signal.aborted) return false;
    if (await holdsLease(this.deps.db, roundId)) return true;
    this.cancelHere(taskId, roundId, "superseded");
    return false;
  }

  private async run(r: {
    task: LoopTask;
    room: RoomSnapshot;
    /** The post-caption to put back if the run fails. */
    previousPost: string;
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
    // A run stopped from elsewhere must not write another chunk: the checks keep a cancelled run's late chunks out of
    // the next revision's text — aborted here, or the room already showing another round (a cancel still on its way
    // from another process). Chunk writes are queued without waiting for each commit.
    const writes: Promise<void>[] = [];
    const write = (fn: (doc: Y.Doc) => void) => {
      const done = deps.rooms.withDoc(name, (doc) => (r.signal.aborted || readRevision(doc).roundId !== r.round.id ? undefined : fn(doc)));
      writes.push(done.catch((e: unknown) => deps.log(`loop: room write failed for ${r.task.id}: ${String(e)}`)));
    };
    const release = this.keepLease(r.task.id, r.round.id);
    const first = deps.rooms.withDoc(name, (doc) => {
      if (r.signal.aborted) return;
      setPostText(doc, "");
      writeRevision(doc, r.state);
    });
    writes.push(first.catch((e: unknown) => deps.log(`loop: room write failed for ${r.task.id}: ${String(e)}`)));
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
        if (!(await this.stillRunning(r.task.id, r.round.id, r.signal))) return false;
        // The room first (queued after every streamed chunk): the final text as stored, and the status back to idle.
        await writeRevisionState(deps.rooms, r.task.id, { ...IDLE_REVISION, roundId: r.round.id, n: r.round.n }, result.text);
        await completeRound(deps.db, r.round.id, {
          postCaption: result.text,
          timings: r.startedAt ? timingsFrom(result.timings, r.startedAt) : result.timings,
          usage: result.usage,
          model: result.model,
          candidates,
        });
        await releaseLease(deps.db, r.round.id);
        await applyTransition(deps, r.task.id, "revision_done", system).catch((e: unknown) => deps.log(`loop: revision_done: ${String(e)}`));
        return true;
      });
      if (!finished) throw cancelReason(r.signal);
      return { status: "done", roundId: r.round.id, n: r.round.n, text: result.text };
    } catch (err) {
      if (r.signal.aborted || err instanceof RevisionCancelled) throw err;
      const error = `The revision failed: ${isProviderError(err) || err instanceof Error ? err.message : String(err)}`.slice(0, 2000);
      deps.log(`loop: task ${r.task.id} round ${r.round.n}: ${error}`);
      await Promise.allSettled(writes);
      const failed = await this.coordinator.exclusive(r.task.id, async () => {
        if (!(await this.stillRunning(r.task.id, r.round.id, r.signal))) return false;
        // What the model wrote before it stopped stays with the failed round only; the room gets the previous text back.
        const partial = isProviderError(err) ? err.partialText : "";
        await endRound(deps.db, r.round.id, "failed", error, deps.clock?.(), partial).catch(this.logFailure(`ending failed round ${r.round.id}`));
        await releaseLease(deps.db, r.round.id).catch(this.logFailure(`releasing the lease of round ${r.round.id}`));
        await applyTransition(deps, r.task.id, "revision_failed", system).catch((e: unknown) => deps.log(`loop: revision_failed: ${String(e)}`));
        // The previous post-caption comes back; the message stays in the room until the next request.
        await writeRevisionState(deps.rooms, r.task.id, { ...r.state, status: "failed", error }, r.previousPost).catch(
          this.logFailure(`writing the failed revision into room ${r.task.id}`),
        );
        return true;
      });
      if (!failed) throw cancelReason(r.signal);
      return { status: "failed", roundId: r.round.id, n: r.round.n, error };
    } finally {
      release();
    }
  }
}

/** Why a run that may not finish stops: its abort reason, or (taken over without a word reaching it) superseded. */
function cancelReason(signal: AbortSignal): RevisionCancelled {
  return signal.reason instanceof RevisionCancelled ? signal.reason : new RevisionCancelled("superseded");
}
