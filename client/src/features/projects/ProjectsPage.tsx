import { useState, type FormEvent } from "react";
import type { MeResponse } from "../../../../shared/api/auth";
import { ProjectName, firstIssue } from "../../../../shared/api/projects";
import { api } from "../../app/api";
import { mayDo } from "../../app/abilities";
import { navigate } from "../../app/router";
import { ErrorNote, LoadError } from "../../ui/Alert";
import { InputField } from "../../ui/Field";
import { Link } from "../../ui/Link";
import { PageHead } from "../../ui/PageHead";
import { Panel } from "../../ui/Panel";
import { TableHead } from "../../ui/TableHead";
import { formatDateTime } from "../../ui/format";
import { useAction } from "../../ui/useAction";
import { useAsync } from "../../ui/useAsync";
import { projectHref, projectsApi } from "./projectsApi";

/** /admin/projects: every project; an admin creates one here (its settings are edited on its own page). */
export function ProjectsPage({ me }: { me: MeResponse }) {
  const list = useAsync("projects", (signal) => api.projects(signal));
  const canEdit = mayDo(me, "edit_projects");
  const [name, setName] = useState("");
  const [localError, setLocalError] = useState<string | null>(null);
  const { busy, error, run } = useAction();

  const create = (e: FormEvent) => {
    e.preventDefault();
    const parsed = ProjectName.safeParse(name);
    if (!parsed.success) return setLocalError(firstIssue(parsed.error));
    setLocalError(null);
    void run(async () => {
      const created = await projectsApi.create({ name: parsed.data });
      navigate(projectHref(created.id));
    });
  };

  return (
    <main className="page projects-page">
      <PageHead title="Projects" intro="Each project has its clips, its aspects and model settings, and its tasks and who works them." />
      {canEdit && (
        <Panel id="project-new-title" title="New project">
          <form className="panel-body" onSubmit={create} noValidate>
            <ErrorNote message={localError ?? error} testId="project-create-error" />
            <InputField label="Project name" value={name} onValue={setName} maxLength={120} />
            <button type="submit" className="btn btn-primary" disabled={busy}>
              {busy ? "Creating…" : "Create project"}
            </button>
          </form>
        </Panel>
      )}
      <LoadError state={list} />
      <div className="table-wrap">
        <table className="task-table">
          <TableHead columns={["Project", "Created"]} />
          <tbody>
            {(list.data ?? []).map((p) => (
              <tr key={p.id}>
                <td>
                  <Link href={projectHref(p.id)}>{p.name}</Link>
                </td>
                <td>{formatDateTime(p.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {list.status === "ready" && list.data.length === 0 && <p className="empty">No projects yet.</p>}
      </div>
    </main>
  );
}
