import { Hono } from "hono";
import { eq } from "drizzle-orm";
import { audit } from "../../audit";
import { currentUser, requireUser } from "../../auth/middleware";
import type { AppDeps, AppEnv, SessionUser } from "../../context";
import type { Db } from "../../db/index";
import { tasks } from "../../db/schema/index";
import { badRequest, conflict, notFound } from "../../http/errors";
import { readJson } from "../../http/readJson";
import { applyTransition, getRound, listRounds, startDraft } from "../../loop/index";
import { readRoom, writePolish } from "../../loop/roomContent";
import { loadTask, type LoopTask } from "../../loop/taskFacts";
import { actsAsWorker, assertCan, requireTaskAccess, type TaskAccess } from "../tasks/policy";
import { resolveActor, stageContext } from "../../loop/transitions";
import { buildPolishCritiquePrompt } from "../../pipeline/prompts";
import { isProviderError } from "../../pipeline/providers/index";
import { runPrompt } from "../../pipeline/revise";
import { renderCritique } from "../../../shared/critique/items";
import { availableActions, transition, type StageAction } from "../../../shared/stage/machine";
import {
  RoundParams,
  ScoreBody,
  type ActionsResponse,
  TransitionBody,
  type DraftResponse,
  type PolishResponse,
  type ReviseResponse,
  type RoundDetail,
  type RoundListResponse,
  type ScoreResponse,
  type TransitionResponse,
} from "../../../shared/api/loop";
import type { TaskAction } from "../../../shared/api/abilities";

/**
 * Actions with their own endpoint: they start work or record more than a stage move (a review decision is
 * recorded and paid), so moving only the stage here would leave the task without that record.
 */
const OWN_ENDPOINT: Partial<Record<StageAction, string>> = {
  finish_labelling: "POST /api/tasks/:id/draft",
  request_revision: "POST /api/tasks/:id/revise",
  start_review: "POST /api/tasks/:id/review/start",
  approve: "POST /api/tasks/:id/decision",
  fix_and_approve: "POST /api/tasks/:id/decision",
  reject_and_redo: "POST /api/tasks/:id/decision",
};

/** The task policy's answer for one action: 403 when the caller may not see the task or act, 409 when not now. */
async function workAccess(db: Db, user: SessionUser, task: LoopTask, action: TaskAction): Promise<TaskAccess> {
  const access = await requireTaskAccess(db, user, task, "You may not work on this task.");
  assertCan(access, action);
  return access;
}

/**
 * The CHAI loop API, mounted at /api/tasks:
 *   POST /:id/transition  {action}   run the stage machine (409 with its reason when illegal)
 *   PUT  /:id/score       {score}    the worker scores the draft; 5 takes the perfect path (submitted, post = pre)
 *   POST /:id/draft                  202: labelling → drafting; the model's draft arrives in the room
 *   POST /:id/revise                 202: a round starts; its text streams into the room's post-caption
 *   GET  /:id/actions                the stage actions the caller may take now
 *   GET  /:id/rounds, /:id/rounds/:n every revision round with its timings
 *   POST /:id/polish                 the model tidies the critique's wording; both versions kept in the room
 */
export function loopRoutes(deps: AppDeps) {
  const { loop } = deps;
  return new Hono<AppEnv>()
    .post("/:id/transition", requireUser, async (c) => {
      const user = currentUser(c);
      const task = await loadTask(deps.database.db, c.req.param("id"));
      const body = await readJson(c, TransitionBody);
      const endpoint = OWN_ENDPOINT[body.action];
      if (endpoint) throw badRequest(`Use ${endpoint} for "${body.action}".`);
      const out = await applyTransition(loop.deps, task.id, body.action, { kind: "user", user }, {
        task,
        ...(body.expectedStage ? { expectedStage: body.expectedStage } : {}),
      });
      // Leaving the revision loop (withdrawn to review, relabelled…) stops a revision still running.
      if (out.to !== "revising") loop.revisions.cancel(task.id);
      const res: TransitionResponse = out;
      return c.json(res);
    })
    .put("/:id/score", requireUser, async (c) => {
      const user = currentUser(c);
      const l = loop.deps;
      const task = await loadTask(l.db, c.req.param("id"));
      const { score } = await readJson(c, ScoreBody);
      const { actor } = await workAccess(l.db, user, task, "score");
      const room = score === 5 ? await readRoom(l.rooms, task.id) : null;
      if (score === 5) {
        // Refuse before saving: a 5 with critique items (or outside critiquing) is not a perfect draft.
        const decision = transition(task.stage, "score_perfect", await stageContext(l, task, actor, room, { score: 5 }));
        if (!decision.ok) throw conflict(decision.reason, { stage: task.stage });
      }
      const moved = await l.db.transaction(async (tx) => {
        const rows = await tx
          .update(tasks)
          .set({ score, updatedAt: new Date() })
          .where(eq(tasks.id, task.id))
          .returning({ stage: tasks.stage });
        await audit(tx, { actorId: user.id, action: "task.score", entityType: "task", entityId: task.id, data: { score, before: task.score } });
        return rows[0]?.stage ?? task.stage;
      });
      let stage = moved;
      if (score === 5 && room) {
        const out = await applyTransition(l, task.id, "score_perfect", { kind: "user", user }, { task: { ...task, score: 5 }, room });
        stage = out.to;
      }
      const res: ScoreResponse = { taskId: task.id, score, stage };
      return c.json(res);
    })
    .post("/:id/draft", requireUser, async (c) => {
      const user = currentUser(c);
      const l = loop.deps;
      const task = await loadTask(l.db, c.req.param("id"));
      const isWorker = actsAsWorker((await workAccess(l.db, user, task, "request_draft")).actor);
      // A second press while the draft is being written joins it.
      if (task.stage === "drafting" && loop.drafts.has(task.id)) {
        const joined: DraftResponse = { taskId: task.id, stage: "drafting" };
        return c.json(joined, 202);
      }
      const started = await startDraft(l, task.id, { kind: "user", user, onBehalfOfWorker: !isWorker });
      loop.drafts.set(task.id, started.done);
      void started.done.finally(() => {
        if (loop.drafts.get(task.id) === started.done) loop.drafts.delete(task.id);
      });
      const res: DraftResponse = { taskId: task.id, stage: started.task.stage };
      return c.json(res, 202);
    })
    .post("/:id/revise", requireUser, async (c) => {
      const user = currentUser(c);
      const task = await loadTask(deps.database.db, c.req.param("id"));
      const r = await loop.revisions.request(task.id, user);
      const res: ReviseResponse = { taskId: task.id, roundId: r.roundId, n: r.n, joined: r.joined };
      return c.json(res, 202);
    })
    .get("/:id/actions", requireUser, async (c) => {
      const user = currentUser(c);
      const l = loop.deps;
      const task = await loadTask(l.db, c.req.param("id"));
      const actor = await resolveActor(l, task, { kind: "user", user });
      const room = await readRoom(l.rooms, task.id);
      const actions = availableActions(task.stage, await stageContext(l, task, actor, room));
      const res: ActionsResponse = { taskId: task.id, stage: task.stage, actions };
      return c.json(res);
    })
    .get("/:id/rounds", requireUser, async (c) => {
      const user = currentUser(c);
      const l = loop.deps;
      const task = await loadTask(l.db, c.req.param("id"));
      await resolveActor(l, task, { kind: "user", user });
      const res: RoundListResponse = await listRounds(l.db, task.id);
      return c.json(res);
    })
    .get("/:id/rounds/:n", requireUser, async (c) => {
      const user = currentUser(c);
      const l = loop.deps;
      const params = RoundParams.safeParse({ id: c.req.param("id"), n: c.req.param("n") });
      if (!params.success) throw badRequest("Invalid round number.", params.error.issues);
      const task = await loadTask(l.db, params.data.id);
      await resolveActor(l, task, { kind: "user", user });
      const round: RoundDetail | null = await getRound(l.db, task.id, params.data.n);
      if (!round) throw notFound(`No round ${params.data.n} for this task.`);
      return c.json(round);
    })
    .post("/:id/polish", requireUser, async (c) => {
      const user = currentUser(c);
      const l = loop.deps;
      const task = await loadTask(l.db, c.req.param("id"));
      await workAccess(l.db, user, task, "polish");
      const room = await readRoom(l.rooms, task.id);
      if (room.items.length === 0) throw conflict("There is no critique to polish yet.");
      const prompt = buildPolishCritiquePrompt({ draft: room.draft, items: room.items });
      let polished: string;
      try {
        polished = (await runPrompt(l.providerFor(task.settings), prompt)).text;
      } catch (err) {
        if (!isProviderError(err)) throw err;
        throw conflict(`Polishing failed: ${err.message}`);
      }
      const original = renderCritique(room.items);
      await writePolish(l.rooms, task.id, { original, polished, by: user.id, at: new Date().toISOString(), promptHash: prompt.hash });
      const res: PolishResponse = { taskId: task.id, original, polished, promptHash: prompt.hash };
      return c.json(res);
    });
}
