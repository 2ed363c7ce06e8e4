import { Command } from "commander";
import { eq, or } from "drizzle-orm";
import { PgStorage } from "../../collab/pgStorage";
import { LocalRelay, RedisRelay } from "../../collab/relay";
import { RoomRegistry } from "../../collab/rooms";
import type { Db } from "../../db";
import { projects } from "../../db/schema";
import { loopDepsFrom, type LoopDeps } from "../../loop";
import { planDraftBatch, runDraftBatch } from "../../loop/draftBatch";
import { ASPECTS, Aspect } from "../../../shared/domain";
import { Id } from "../../../shared/api/common";
import { CliExit, CliFailure, EXIT, oneOf, parsedBy, required, runCommand, type CliCommand, type CliEnv } from "../command";

export type DraftRunOptions = {
  /** Overrides for the loop (tests pass a spec or a provider). */
  loop?: Partial<LoopDeps>;
  /** Whether to draw a progress bar (default: stderr is a terminal). */
  tty?: boolean;
};

type DraftOptions = { project?: string; aspect?: Aspect; concurrency: number };

const parseConcurrency = parsedBy((value) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 32) throw new Error("--concurrency must be a whole number from 1 to 32.");
  return n;
});

async function findProject(db: Db, nameOrId: string): Promise<{ id: string; name: string } | null> {
  const byId = Id.safeParse(nameOrId);
  const [row] = await db
    .select({ id: projects.id, name: projects.name })
    .from(projects)
    .where(byId.success ? or(eq(projects.id, byId.data), eq(projects.name, nameOrId)) : eq(projects.name, nameOrId))
    .limit(1);
  return row ?? null;
}

function bar(done: number, total: number, drafted: number, failed: number): string {
  const width = 30;
  const filled = total === 0 ? width : Math.round((done / total) * width);
  return `\r[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${total}  drafted ${drafted}  failed ${failed}`;
}

async function draftProject(env: CliEnv, opts: DraftOptions, command: Command, run: DraftRunOptions): Promise<void> {
  const parsed = { ...opts, project: required(command, opts.project, "--project is required.") };
  const { db, close } = await env.openDb();
  const relay = env.config.redisUrl ? new RedisRelay(env.config.redisUrl, (e) => env.err(`redis: ${String(e)}`)) : new LocalRelay();
  // Its own rooms registry: the drafts are appended to the rooms' logs (and relayed to live servers over Redis).
  const rooms = new RoomRegistry({ storage: new PgStorage(db), relay, unloadDelayMs: 0 });
  try {
    const project = await findProject(db, parsed.project);
    if (!project) throw new CliFailure(`No project "${parsed.project}".`);
    const deps = loopDepsFrom({ db, config: env.config, rooms, log: () => {}, ...run.loop });
    const { spec } = await deps.loadSpec();
    // A task left in drafting by an interrupted run is picked up again.
    const { todo, skippedDrafted, skippedUnlabelled } = await planDraftBatch(deps, spec, project.id, { aspect: parsed.aspect, drafting: "all" });
    env.out(
      `Project ${project.name}: ${todo.length} task(s) to draft` +
        (skippedDrafted ? `, ${skippedDrafted} already drafted` : "") +
        (skippedUnlabelled ? `, ${skippedUnlabelled} not fully labelled` : "") +
        ".",
    );

    const tty = run.tty ?? process.stderr.isTTY === true;
    let done = 0;
    let drafted = 0;
    let failed = 0;
    await runDraftBatch(deps, spec, todo, { kind: "system", actorId: null, onBehalfOfWorker: true }, parsed.concurrency, {
      onDone: (t, outcome, ms) => {
        done++;
        if (outcome.ok) drafted++;
        else failed++;
        if (tty) process.stderr.write(bar(done, todo.length, drafted, failed));
        else env.out(outcome.ok ? `drafted ${t.id} (${t.aspect}) in ${ms} ms` : `failed  ${t.id} (${t.aspect}): ${outcome.error}`);
      },
    });
    if (tty && todo.length) process.stderr.write("\n");
    env.out(`Drafted ${drafted}, failed ${failed}.`);
    if (failed > 0) throw new CliExit(EXIT.failed);
  } finally {
    await rooms.close();
    await close();
  }
}

/** `draft --project P [--aspect A] [--concurrency N]`; `run` is for tests (a spec or provider, no progress bar). */
export function draftCommandWith(run: DraftRunOptions = {}): CliCommand {
  return {
    build: (env) =>
      new Command("draft")
        .usage("--project P [--aspect A] [--concurrency N]")
        .description(
          "Drafts every labelled task of a project: each task in the labelling stage whose labels are complete is moved " +
            "to drafting, the configured model (MODEL_PROVIDER, or the project's provider setting) writes its pre-caption " +
            "into the task's room, and the task moves to critiquing. Resumable: tasks that already have a draft are " +
            "skipped, so an interrupted run can simply be started again. Subject and scene are drafted before motion and " +
            "spatial, which read them.",
        )
        .option("--project <P>", "project name or id (required)")
        .option("--aspect <A>", `only this aspect (${ASPECTS.join(", ")})`, oneOf("--aspect", ASPECTS))
        .option("--concurrency <N>", "drafts generated at once (at most 32)", parseConcurrency, 4)
        .addHelpText(
          "after",
          `
Examples:
  npm run chai -- draft --project demo
  npm run chai -- draft --project demo --aspect camera --concurrency 8`,
        )
        .action((opts: DraftOptions, command: Command) => draftProject(env, opts, command, run)),
  };
}

export const draftCommand = draftCommandWith();

/** `draft …` over `env`; returns the exit code. */
export const runDraft = (args: string[], env: CliEnv, run?: DraftRunOptions): Promise<number> =>
  runCommand(draftCommandWith(run), args, env);
