import { useState } from "react";
import type { AssignRequest, AssignResponse } from "../../../../shared/api/projects";
import { ASPECT_LABELS, ROLE_LABELS } from "../../../../shared/domain";
import { api } from "../../app/api";
import { taskHref } from "../../app/router";
import { ErrorNote, LoadError, Notice, type NoticeText } from "../../ui/Alert";
import { Choice, Field } from "../../ui/Field";
import { Link } from "../../ui/Link";
import { TaskPeopleCells } from "../../ui/StageBadge";
import { TableHead } from "../../ui/TableHead";
import { useAction } from "../../ui/useAction";
import { useAsync } from "../../ui/useAsync";
import { projectsApi } from "./projectsApi";

type BulkMode = "round_robin" | "workload";

const outcome = (r: AssignResponse): string => {
  const parts = [`${r.changed} task${r.changed === 1 ? "" : "s"} assigned`];
  if (r.overlapCreated) parts.push(`${r.overlapCreated} second task${r.overlapCreated === 1 ? "" : "s"} for agreement`);
  if (r.goldCreated) parts.push(`${r.goldCreated} gold attempt${r.goldCreated === 1 ? "" : "s"} for trainees`);
  return parts.join(", ") + ".";
};

/**
 * The Tasks tab: tasks per clip × aspect (made here), who works and reviews each; assign selected ones by hand, or
 * spread them in bulk. Shown to people with the assign_tasks ability; the server checks it again.
 */
export function ProjectTasks({ projectId, canAssign, refreshKey = 0 }: { projectId: string; canAssign: boolean; refreshKey?: number }) {
  const [version, setVersion] = useState(0);
  // `refreshKey` changes when tasks moved elsewhere on the page (a draft batch ended): read them again.
  const tasks = useAsync(`tasks:${projectId}:${version}:${refreshKey}`, (signal) => projectsApi.tasks(projectId, signal));
  const people = useAsync("users", (signal) => api.users(signal), canAssign);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [person, setPerson] = useState("");
  const [reviewer, setReviewer] = useState("");
  const [mode, setMode] = useState<BulkMode>("round_robin");
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const [notice, setNotice] = useState<NoticeText | null>(null);
  const { busy, error, run } = useAction();

  const rows = tasks.data ?? [];
  const workers = (people.data ?? []).filter((p) => p.role === "annotator" || p.role === "trainee");
  const checkers = (people.data ?? []).filter((p) => p.role === "reviewer" || p.role === "lead" || p.role === "admin");
  const reload = () => {
    setSelected(new Set());
    setVersion((v) => v + 1);
  };
  const act = (what: () => Promise<string>) =>
    void run(async () => {
      setNotice(null);
      const text = await what();
      setNotice({ kind: "info", text });
      reload();
    });
  const send = (body: AssignRequest) => projectsApi.assign(projectId, body).then(outcome);
  const toggle = (set: ReadonlySet<string>, id: string, on: boolean) => {
    const next = new Set(set);
    if (on) next.add(id);
    else next.delete(id);
    return next;
  };

  return (
    <div className="project-tasks">
      <ErrorNote message={error} testId="assign-error" />
      <Notice notice={notice} />
      {canAssign && (
        <div className="filter-bar">
          <button type="button" className="btn" disabled={busy} onClick={() => act(async () => {
            const r = await projectsApi.generate(projectId);
            return `${r.created} task${r.created === 1 ? "" : "s"} made; the project has ${r.total}.`;
          })}>
            Make missing tasks
          </button>
        </div>
      )}
      {canAssign && (
        <fieldset className="assign-manual" disabled={busy}>
          <legend>Selected tasks ({selected.size})</legend>
          <Field label={`Select all ${rows.length} tasks`} inline>
            <input
              type="checkbox"
              checked={rows.length > 0 && selected.size === rows.length}
              disabled={rows.length === 0}
              onChange={(e) => setSelected(e.target.checked ? new Set(rows.map((t) => t.id)) : new Set())}
            />
          </Field>
          <Field label="Annotator">
            <Choice value={person} empty="Choose a person" options={workers.map((w) => ({ value: w.id, label: `${w.name} (${ROLE_LABELS[w.role]})` }))} onChange={setPerson} />
          </Field>
          <button type="button" className="btn" disabled={selected.size === 0 || !person} onClick={() => act(() => send({ mode: "manual", taskIds: [...selected], annotatorId: person }))}>
            Assign
          </button>
          <button type="button" className="btn btn-quiet" disabled={selected.size === 0} onClick={() => act(() => send({ mode: "manual", taskIds: [...selected], annotatorId: null }))}>
            Unassign
          </button>
          <Field label="Reviewer">
            <Choice value={reviewer} empty="Choose a reviewer" options={checkers.map((w) => ({ value: w.id, label: `${w.name} (${ROLE_LABELS[w.role]})` }))} onChange={setReviewer} />
          </Field>
          <button type="button" className="btn" disabled={selected.size === 0 || !reviewer} onClick={() => act(() => send({ mode: "manual", taskIds: [...selected], reviewerId: reviewer }))}>
            Set reviewer
          </button>
        </fieldset>
      )}
      {canAssign && (
        <fieldset className="assign-bulk" disabled={busy}>
          <legend>Assign in bulk</legend>
          <p className="muted">The selected tasks, or every unassigned one when none is selected. The project's overlap and gold shares apply.</p>
          {workers.map((w) => (
            <Field key={w.id} label={`${w.name} (${ROLE_LABELS[w.role]})`} inline>
              <input type="checkbox" checked={chosen.has(w.id)} onChange={(e) => setChosen(toggle(chosen, w.id, e.target.checked))} />
            </Field>
          ))}
          <Field label="How">
            <Choice<BulkMode> value={mode} options={[{ value: "round_robin", label: "Round robin" }, { value: "workload", label: "By current workload" }]} onChange={setMode} />
          </Field>
          <button type="button" className="btn btn-primary" disabled={chosen.size === 0} onClick={() => act(() => send({ mode, annotatorIds: [...chosen], ...(selected.size ? { taskIds: [...selected] } : {}) }))}>
            Assign in bulk
          </button>
        </fieldset>
      )}
      <LoadError state={tasks} />
      <div className="table-wrap">
        <table className="task-table">
          <TableHead columns={canAssign ? ["", "Clip", "Aspect", "Stage", "Annotator", "Reviewer"] : ["Clip", "Aspect", "Stage", "Annotator", "Reviewer"]} />
          <tbody>
            {rows.map((t) => (
              <tr key={t.id}>
                {canAssign && (
                  <td>
                    <input type="checkbox" aria-label={`Select ${t.videoTitle} ${ASPECT_LABELS[t.aspect]}`} checked={selected.has(t.id)} onChange={(e) => setSelected(toggle(selected, t.id, e.target.checked))} />
                  </td>
                )}
                <td>
                  <Link href={taskHref(t.id)}>{t.videoTitle}</Link>
                  {t.isGold && <span className="badge badge-gold"> gold</span>}
                </td>
                <TaskPeopleCells task={t} noAnnotator="unassigned" />
              </tr>
            ))}
          </tbody>
        </table>
        {tasks.status === "ready" && rows.length === 0 && <p className="empty">No tasks yet: each clip uploaded on the Clips tab gets its tasks; for clips added otherwise, make the missing tasks.</p>}
      </div>
    </div>
  );
}
