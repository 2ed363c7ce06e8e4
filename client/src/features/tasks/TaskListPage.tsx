import { useMemo } from "react";
import type { MeResponse, UserListResponse } from "../../../../shared/api/auth";
import type { ProjectListResponse } from "../../../../shared/api/tasks";
import { api } from "../../app/api";
import { mayOpen } from "../../app/abilities";
import { diffHref, navigate, taskHref } from "../../app/router";
import { LoadError } from "../../ui/Alert";
import { formatDateTime, formatRelative } from "../../ui/format";
import { Link } from "../../ui/Link";
import { PageHead } from "../../ui/PageHead";
import { TaskPeopleCells } from "../../ui/StageBadge";
import { TableHead } from "../../ui/TableHead";
import { useAsync } from "../../ui/useAsync";
import { filterChips, parseTaskListSearch, tasksApi, withoutChip, type Names } from "./filters";
import "./tasks.css";

const DEFAULT_LIMIT = 500;

/**
 * The leads' task list (/tasks): every task, narrowed by the filters in the URL — the tasks behind a dashboard
 * figure, or a project's progress cell. Filters show as chips; each removes itself.
 */
export function TaskListPage({ me, search }: { me: MeResponse; search: string }) {
  const filters = useMemo(() => parseTaskListSearch(search), [search]);
  const tasks = useAsync(`tasks${search}`, (signal) => tasksApi.list(filters, signal));
  const people = useAsync<UserListResponse>("users", (signal) => api.users(signal), mayOpen(me, "tasks"));
  const projects = useAsync<ProjectListResponse>("projects", (signal) => api.projects(signal));
  const names: Names = useMemo(
    () => ({
      projects: new Map((projects.data ?? []).map((p) => [p.id, p.name])),
      people: new Map((people.data ?? []).map((p) => [p.id, p.name])),
    }),
    [projects.data, people.data],
  );
  const chips = filterChips(filters, names);
  const rows = tasks.data ?? [];
  const limit = Number(filters.limit ?? DEFAULT_LIMIT);
  const diffs = mayOpen(me, "diffs");
  const loading = tasks.status === "loading" && tasks.data === null;

  return (
    <main className="page task-list-page">
      <PageHead
        title="Task list"
        intro={
          loading
            ? "Loading…"
            : `${rows.length} ${rows.length === 1 ? "task" : "tasks"}${rows.length >= limit ? ` (the first ${limit}: narrow the filters to see the rest)` : ""}${tasks.status === "loading" ? " · updating…" : ""}`
        }
      />
      {chips.length > 0 && (
        <ul className="filter-chips" aria-label="Filters">
          {chips.map((chip) => (
            <li key={chip.keys.join("+")} className="filter-chip" data-testid="filter-chip">
              <span>{chip.label}</span>
              <button type="button" className="chip-remove" aria-label={`Remove the filter ${chip.label}`} onClick={() => navigate(withoutChip(filters, chip))}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <LoadError state={tasks} />
      <div className="table-wrap">
        <table className="task-table" aria-label="Tasks" aria-busy={tasks.status === "loading"} data-testid="task-list">
          <TableHead columns={["Clip", "Aspect", "Stage", "Annotator", "Reviewer", { label: "Updated", num: true }, ...(diffs ? ["Compare"] : [])]} />
          <tbody>
            {rows.map((t) => (
              <tr key={t.id} data-task-id={t.id}>
                <td className="clip-cell">
                  <Link href={taskHref(t.id)} className="row-link">
                    {t.video.title}
                  </Link>
                  {t.isGold && <span className="badge badge-gold">Gold</span>}
                </td>
                <TaskPeopleCells task={t} />
                <td className="num muted" title={formatDateTime(t.updatedAt)}>
                  {formatRelative(t.updatedAt)}
                </td>
                {diffs && (
                  <td>
                    <Link href={diffHref(t.id)} aria-label={`Compare the versions of ${t.video.title}`}>
                      Diff
                    </Link>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
        {!loading && rows.length === 0 && tasks.status !== "error" && (
          <div className="empty">
            <p>{chips.length > 0 ? "No tasks match these filters." : "No tasks yet."}</p>
          </div>
        )}
      </div>
    </main>
  );
}
