import { useState } from "react";
import type { MeResponse } from "../../../../shared/api/auth";
import type { ProjectDetail } from "../../../../shared/api/projects";
import { mayDo } from "../../app/abilities";
import { LoadError } from "../../ui/Alert";
import { Link } from "../../ui/Link";
import { PageHead } from "../../ui/PageHead";
import { useAsync } from "../../ui/useAsync";
import { ProjectClips } from "./ProjectClips";
import { ProjectSettingsFormView } from "./ProjectSettingsForm";
import { ProjectTasks } from "./ProjectTasks";
import { PROJECTS_HREF, projectsApi } from "./projectsApi";
import "./projects.css";

const TABS = [
  { key: "settings", label: "Settings" },
  { key: "clips", label: "Clips" },
  { key: "tasks", label: "Tasks" },
] as const;
type Tab = (typeof TABS)[number]["key"];

/** /admin/projects/<id>: the project's settings, clips and tasks, one tab each. */
export function ProjectPage({ me, projectId }: { me: MeResponse; projectId: string }) {
  const [saved, setSaved] = useState<ProjectDetail | null>(null);
  const loaded = useAsync(`project:${projectId}`, (signal) => projectsApi.one(projectId, signal));
  const [tab, setTab] = useState<Tab>("settings");
  const project = saved ?? loaded.data;

  return (
    <main className="page project-page">
      <p className="crumbs">
        <Link href={PROJECTS_HREF}>Projects</Link>
      </p>
      <PageHead title={project?.name ?? "Project"} intro={project ? `${project.counts.clips} clips · ${project.counts.tasks} tasks` : "Loading…"}>
        <div className="tabs" role="tablist" aria-label="Project">
          {TABS.map((t) => (
            <button key={t.key} type="button" role="tab" className="tab" aria-selected={tab === t.key} onClick={() => setTab(t.key)}>
              {t.label}
            </button>
          ))}
        </div>
      </PageHead>
      <LoadError state={loaded} />
      {project && tab === "settings" && (
        <ProjectSettingsFormView
          key={project.id}
          project={project}
          canEdit={mayDo(me, "edit_projects")}
          save={async (name, settings) => setSaved(await projectsApi.update(projectId, { name, settings }))}
        />
      )}
      {tab === "clips" && <ProjectClips projectId={projectId} />}
      {tab === "tasks" && <ProjectTasks projectId={projectId} canAssign={mayDo(me, "assign_tasks")} />}
    </main>
  );
}
