import type { SessionUser } from "../../auth/sessionUser";
import { ROLES, type Role } from "../../../shared/domain";
import { APP_ACTIONS, APP_PAGES, type AppAbilities, type AppAction, type AppPage, type QueueViewKey } from "../../../shared/api/abilities";

/**
 * Pages and app-wide powers of a signed-in person, sent with GET /api/me and the login response, so the client
 * shows exactly these and never checks a role itself. Each line mirrors the server's own gate for that page or
 * action (requireRole on its routes).
 */

const EVERYONE: readonly Role[] = ROLES;
const STAFF: readonly Role[] = ["lead", "admin"];
const TRAINING_STAFF: readonly Role[] = ["trainer", "lead", "admin"];

const PAGE_ROLES: Record<AppPage, readonly Role[]> = {
  queue: EVERYONE,
  spec: EVERYONE,
  trainer: TRAINING_STAFF,
  dashboard: STAFF,
  // The leads' task list: every task, narrowed to the tasks behind a dashboard figure (GET /api/tasks lead filters).
  tasks: STAFF,
  figures: STAFF,
  diffs: STAFF,
  exports: STAFF,
  disputes: STAFF,
  // Admins edit projects; leads see them and assign their tasks (server/resources/projects/route.ts).
  projects: STAFF,
  // The people admin and the audit log (server/resources/users/adminRoute.ts, audit/route.ts).
  users: ["admin"],
  audit: ["admin"],
};

const ACTION_ROLES: Record<AppAction, readonly Role[]> = {
  // The people list behind the person filters is lead/admin only (GET /api/users).
  filter_by_person: STAFF,
  edit_reward_rules: ["admin"],
  // The clips' notes name the correct labels: only people who check work see them.
  see_video_descriptions: STAFF,
  promote_trainee: TRAINING_STAFF,
  // Exams are built from gold tasks (POST /api/exams is lead/admin).
  create_exam: STAFF,
  edit_projects: ["admin"],
  assign_tasks: STAFF,
  // Clips come in through the browser (tus uploads at /api/uploads).
  upload_clips: STAFF,
  // The model drafts a project's labelled tasks as a durable job (/api/draft-batches is lead/admin).
  draft_batches: STAFF,
};

/** The queue's task lists per role, first = default; the server already limits each list to what the role may see. */
const ROLE_QUEUES: Record<Role, readonly QueueViewKey[]> = {
  annotator: ["mine"],
  trainee: ["mine"],
  reviewer: ["to_review", "assigned"],
  trainer: ["trainees", "all"],
  lead: ["all"],
  admin: ["all"],
};

export function appAbilities(user: Pick<SessionUser, "role">): AppAbilities {
  return {
    pages: APP_PAGES.filter((p) => PAGE_ROLES[p].includes(user.role)),
    actions: APP_ACTIONS.filter((a) => ACTION_ROLES[a].includes(user.role)),
    queues: [...ROLE_QUEUES[user.role]],
  };
}

/** Whether this person may open an app page (and read what it shows, e.g. other people's figures). */
export const mayOpen = (user: Pick<SessionUser, "role">, page: AppPage) => PAGE_ROLES[page].includes(user.role);

/** Whether this person may take an app-wide action (the routes ask this, as the client reads it from GET /api/me). */
export const mayDoApp = (user: Pick<SessionUser, "role">, action: AppAction) => ACTION_ROLES[action].includes(user.role);
