import { get, patch, post } from "../../app/api";
import {
  AssignResponse,
  GenerateTasksResponse,
  PROJECT_PATHS,
  ProjectDetail,
  ProjectTaskList,
  type AssignRequest,
  type CreateProjectRequest,
  type UpdateProjectRequest,
} from "../../../../shared/api/projects";

/** The projects admin's calls (paths and schemas from shared/api/projects.ts). */
export const projectsApi = {
  one: (id: string, signal?: AbortSignal) => get(PROJECT_PATHS.one(id), { schema: ProjectDetail, signal }),
  create: (body: CreateProjectRequest) => post(PROJECT_PATHS.list, body, { schema: ProjectDetail }),
  update: (id: string, body: UpdateProjectRequest) => patch(PROJECT_PATHS.one(id), body, { schema: ProjectDetail }),
  tasks: (id: string, signal?: AbortSignal) => get(PROJECT_PATHS.tasks(id), { schema: ProjectTaskList, signal }),
  generate: (id: string) => post(PROJECT_PATHS.generate(id), undefined, { schema: GenerateTasksResponse }),
  assign: (id: string, body: AssignRequest) => post(PROJECT_PATHS.assign(id), body, { schema: AssignResponse }),
};

export const projectHref = (id: string) => `/admin/projects/${encodeURIComponent(id)}`;
export const PROJECTS_HREF = "/admin/projects";
