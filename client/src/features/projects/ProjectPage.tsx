import { useEffect, useState } from "react";
import type { MeResponse } from "../../../../shared/api/auth";
import type { ProjectDetail } from "../../../../shared/api/projects";
import { mayDo } from "../../app/abilities";
import { LoadError } from "../../ui/Alert";
import { Link } from "../../ui/Link";
import { PageHead } from "../../ui/PageHead";
import { useAsync } from "../../ui/useAsync";
import { DraftBatchPanel } from "./DraftBatchPanel";
import { ProjectClips } from "./ProjectClips";
import { ProjectProgress } from "./ProjectProgress";
import { ProjectSettingsFormView } from "./ProjectSettingsForm";
import { ProjectTasks } from "./ProjectTasks";
import { PROJECTS_HREF, projectsApi } from "./projectsApi";
import "./projects.css";

const TABS = [
  { key: "settings", label: "Settings" },
  { key: "clips", label: "Clips" },
  { key: "tasks", label: "Tasks" },
  { key: "progress", label: "Progress" },
] as const;
type Tab = (typeof TABS)[number]["key"];

/**
 * /admin/projects/<id>: the project's settings, clips, tasks and progress, one tab each; the Tasks tab also drafts
 * the labelled tasks in a batch, for those with the draft_batches ability.
 */
export function ProjectPage({ me, projectId }: { me: MeResponse; projectId: string }) {
  const [project, setProject] = useState<ProjectDetail | null>(null);
  // Re-read after clips arrive, so the header's clip and task counts follow the uploads.
  const [readNo, setReadNo] = useState(0);
  const loaded = useAsync(`project:${projectId}#${readNo}`, (signal) => projectsApi.one(projectId, signal));
  const [tab, setTab] = useState<Tab>("settings");
  // Bumped when a draft batch ends, so the tasks table shows the stages it moved them to.
  const [tasksRead, setTasksRead] = useState(0);
  // The newest of the last read and the last save.
  useEffect(() => {
    if (loaded.status === "ready") setProject(loaded.data);
  }, [loaded]);

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
          save={async (name, settings) => setProject(await projectsApi.update(projectId, { name, settings }))}
        />
      )}
      {tab === "clips" && <ProjectClips projectId={projectId} onClipsAdded={() => setReadNo((n) => n + 1)} />}
      {tab === "tasks" && project && mayDo(me, "draft_batches") && (
        <DraftBatchPanel projectId={projectId} aspects={project.settings.aspects} onFinished={() => setTasksRead((n) => n + 1)} />
      )}
      {tab === "tasks" && <ProjectTasks projectId={projectId} canAssign={mayDo(me, "assign_tasks")} refreshKey={tasksRead} />}
      {tab === "progress" && <ProjectProgress projectId={projectId} />}
    </main>
  );
}
