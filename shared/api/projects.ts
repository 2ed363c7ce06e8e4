import { z } from "zod";
import { ASPECTS, ASPECT_LABELS, Aspect, Role } from "../domain";
import { STAGES, Stage } from "../domain/stages";
import { Id, IsoDate, PersonRef } from "./common";

/**
 * Projects and their tasks' assignment (admin pages /admin/projects). Settings live in `projects.settings` (JSON);
 * this is their one schema, used by the route to validate and by the form to show the same words.
 */

/** Aspects whose captions a draft of this aspect reads (mirrors the spec's policy.dependsOn, spec/*.yaml). */
export const ASPECT_READS: Record<Aspect, readonly Aspect[]> = {
  subject: [],
  scene: [],
  motion: ["subject"],
  spatial: ["subject", "scene"],
  camera: [],
};

/** Warnings (not errors) for an aspect list: an aspect enabled without the ones its drafts read. */
export function aspectWarnings(aspects: readonly Aspect[]): string[] {
  const on = new Set(aspects);
  return aspects.flatMap((a) => {
    const missing = ASPECT_READS[a].filter((r) => !on.has(r));
    return missing.length
      ? [`${ASPECT_LABELS[a]} reads ${missing.map((m) => ASPECT_LABELS[m]).join(" and ")}, which this project does not caption: its drafts will lack that context.`]
      : [];
  });
}

export const MODEL_PROVIDERS = ["rules", "openai", "gemini"] as const;
export const ModelProvider = z.enum(MODEL_PROVIDERS, { error: "The model provider must be rules, openai or gemini." });
export const INPUT_MODES = ["video", "frames", "text"] as const;
export const InputMode = z.enum(INPUT_MODES, { error: "The input mode must be video, frames or text." });

const percent = (what: string) =>
  z
    .number({ error: `${what} must be a number.` })
    .int({ error: `${what} must be a whole percent.` })
    .min(0, { error: `${what} must be between 0 and 100 %.` })
    .max(100, { error: `${what} must be between 0 and 100 %.` });

/** Every setting a project has, as the form edits it. */
export const ProjectSettingsForm = z.object({
  aspects: z
    .array(Aspect, { error: "Aspects must be a list of subject, scene, motion, spatial and camera." })
    .min(1, { error: "Choose at least one aspect." })
    .refine((a) => new Set(a).size === a.length, { error: "Each aspect may appear only once." }),
  provider: ModelProvider,
  model: z
    .string({ error: "The model name must be text." })
    .trim()
    .max(100, { error: "The model name must be at most 100 characters." }),
  inputMode: InputMode,
  bestOfN: z
    .number({ error: "Best-of-N must be a number." })
    .int({ error: "Best-of-N must be a whole number." })
    .min(1, { error: "Best-of-N must be between 1 and 8." })
    .max(8, { error: "Best-of-N must be between 1 and 8." }),
  /** The day a reward rules version starts (server/review/rules.ts); null = the rules current on each day. */
  rewardRulesVersion: z.string({ error: "The reward rules version must be a date." }).nullable(),
  overlapShare: percent("The overlap share"),
  goldShare: percent("The gold share"),
  testShare: percent("The test share of the export split"),
  specVersion: z.string({ error: "The spec version must be text." }).min(1, { error: "Pin a spec version." }),
});
export type ProjectSettingsForm = z.infer<typeof ProjectSettingsForm>;

export const ProjectName = z
  .string({ error: "The project name must be text." })
  .trim()
  .min(1, { error: "Give the project a name." })
  .max(120, { error: "The project name must be at most 120 characters." });

/** POST /api/projects: a name and any settings (the rest take their defaults). */
export const CreateProjectRequest = z.strictObject({ name: ProjectName, settings: ProjectSettingsForm.partial().optional() });
export type CreateProjectRequest = z.infer<typeof CreateProjectRequest>;

/** PATCH /api/projects/:id: what changed. */
export const UpdateProjectRequest = z.strictObject({ name: ProjectName.optional(), settings: ProjectSettingsForm.partial().optional() });
export type UpdateProjectRequest = z.infer<typeof UpdateProjectRequest>;

export const ProjectDetail = z.object({
  id: Id,
  name: z.string(),
  createdAt: IsoDate,
  settings: ProjectSettingsForm,
  warnings: z.array(z.string()),
  /** What the form may offer. */
  options: z.object({ rewardRulesVersions: z.array(z.string()), currentSpecVersion: z.string() }),
  counts: z.object({ clips: z.number().int(), tasks: z.number().int() }),
});
export type ProjectDetail = z.infer<typeof ProjectDetail>;

/** One row of GET /api/projects/:id/tasks. */
export const ProjectTaskRow = z.object({
  id: Id,
  videoId: Id,
  videoTitle: z.string(),
  aspect: Aspect,
  stage: Stage,
  annotator: PersonRef.nullable(),
  reviewer: PersonRef.nullable(),
  isGold: z.boolean(),
});
export type ProjectTaskRow = z.infer<typeof ProjectTaskRow>;
export const ProjectTaskList = z.array(ProjectTaskRow);

export const GenerateTasksResponse = z.object({ created: z.number().int(), total: z.number().int() });
export type GenerateTasksResponse = z.infer<typeof GenerateTasksResponse>;

const TaskIds = z.array(Id, { error: "Choose tasks by their ids." }).max(5000, { error: "At most 5000 tasks at a time." });
const PeopleIds = z.array(Id, { error: "Choose people by their ids." }).min(1, { error: "Choose at least one annotator." }).max(200);

/**
 * POST /api/projects/:id/assign.
 *  - manual: these tasks go to this person (annotatorId null = unassign); reviewerId likewise when given.
 *  - round_robin / workload: these tasks (default: every unassigned labelling task) are spread over the chosen
 *    annotators, in turn or fewest open tasks first; then the project's overlap share of clips gets a second
 *    annotator each and trainees get gold attempts per the gold share (both can be turned off).
 */
export const AssignRequest = z.discriminatedUnion(
  "mode",
  [
    z.strictObject({ mode: z.literal("manual"), taskIds: TaskIds.min(1, { error: "Choose at least one task." }), annotatorId: Id.nullable().optional(), reviewerId: Id.nullable().optional() }),
    z.strictObject({
      mode: z.enum(["round_robin", "workload"]),
      taskIds: TaskIds.optional(),
      annotatorIds: PeopleIds,
      overlap: z.boolean().default(true),
      gold: z.boolean().default(true),
    }),
  ],
  { error: "Say how to assign: manual, round_robin or workload." },
);
export type AssignRequest = z.input<typeof AssignRequest>;

export const AssignResponse = z.object({
  /** Tasks whose annotator or reviewer changed. */
  changed: z.number().int(),
  overlapCreated: z.number().int(),
  goldCreated: z.number().int(),
});
export type AssignResponse = z.infer<typeof AssignResponse>;

/** The first problem of a failed validation, in words ("Best-of-N must be between 1 and 8."). */
export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "The request is not valid.";
  // Unknown keys name themselves; everything else carries our own message.
  if (issue.code === "unrecognized_keys") return `Unknown field${issue.keys.length > 1 ? "s" : ""}: ${issue.keys.join(", ")}.`;
  return issue.message;
}

export const DEFAULT_ASPECTS: readonly Aspect[] = ASPECTS;

/** Weeks of history the progress tab shows (this week and the seven before). */
export const PROGRESS_WEEKS = 8;
const Count = z.number().int().min(0);
/** A count for every stage (z.record over the enum requires each key). */
export const StageCounts = z.record(Stage, Count);
export type StageCounts = z.infer<typeof StageCounts>;
export const emptyStageCounts = (): StageCounts => Object.fromEntries(STAGES.map((s) => [s, 0])) as StageCounts;

/**
 * Who a group of tasks waits on (shared/stage/machine.ts WAITING_ON, per task: a rejected task waits on its annotator,
 * who redoes it; an unassigned task and an open dispute wait on the lead). `since` = the oldest wait began then.
 */
export const WaitingTotal = z.object({
  who: z.enum(["annotator", "reviewer", "model", "lead"]),
  count: Count,
  oldestSince: IsoDate.nullable(),
  /** Of `count`, open disputes (lead only; the rest are tasks). */
  openDisputes: Count,
});
export type WaitingTotal = z.infer<typeof WaitingTotal>;

/** One person in one part of the project's work: as annotator (their tasks) or as reviewer (tasks they review). */
export const PersonProgress = z.object({
  id: Id,
  name: z.string(),
  role: Role,
  part: z.enum(["annotator", "reviewer"]),
  byStage: StageCounts,
  /** Tasks they submitted, per week of `weeks`. */
  submittedPerWeek: z.array(Count),
  /** Approvals in those weeks: of their work (annotator), or given by them (reviewer). */
  approved: Count,
  /** Tasks waiting on them now, and since when the oldest has waited. */
  waiting: Count,
  oldestWaitingSince: IsoDate.nullable(),
});
export type PersonProgress = z.infer<typeof PersonProgress>;

/** GET /api/projects/:id/progress: tasks by stage, who they wait on, throughput per week, per person. */
export const ProjectProgress = z.object({
  projectId: Id,
  generatedAt: IsoDate,
  /** Mondays (UTC, YYYY-MM-DD) of the weeks shown, oldest first; every per-week array follows them. */
  weeks: z.array(z.string()),
  byStage: StageCounts,
  total: Count,
  waitingOn: z.array(WaitingTotal),
  throughput: z.array(z.object({ week: z.string(), submitted: Count, approved: Count })),
  people: z.array(PersonProgress),
});
export type ProjectProgress = z.infer<typeof ProjectProgress>;

const base = "/api/projects";
export const PROJECT_PATHS = {
  list: base,
  one: (id: string) => `${base}/${encodeURIComponent(id)}`,
  tasks: (id: string) => `${base}/${encodeURIComponent(id)}/tasks`,
  generate: (id: string) => `${base}/${encodeURIComponent(id)}/tasks/generate`,
  assign: (id: string) => `${base}/${encodeURIComponent(id)}/assign`,
  progress: (id: string) => `${base}/${encodeURIComponent(id)}/progress`,
} as const;
