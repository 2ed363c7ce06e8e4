import { useEffect, useMemo, useRef, useState } from "react";
import type { MeResponse, UserListResponse } from "../../../../shared/api/auth";
import type { ProjectListResponse, TaskSummary } from "../../../../shared/api/tasks";
import { ASPECT_LABELS, ASPECTS } from "../../../../shared/domain";
import { STAGE_LABELS, STAGES } from "../../../../shared/domain/stages";
import { api } from "../../app/api";
import { hasModifier, isTypingTarget } from "../../ui/keys";
import { Link } from "../../ui/Link";
import { TaskPeopleCells } from "../../ui/StageBadge";
import { formatDateTime, formatRelative } from "../../ui/format";
import {
  apiQuery,
  hasFilters,
  matchesText,
  parseQueueFilters,
  queueSearch,
  queueViews,
  type QueueFilters,
} from "./filters";
import { useAsync } from "../../ui/useAsync";
import { navigate, taskHref } from "../../app/router";
import { mayDo } from "../../app/abilities";
import { LoadError } from "../../ui/Alert";
import { TableHead } from "../../ui/TableHead";
import { Choice } from "../../ui/Field";
import { PageHead } from "../../ui/PageHead";
import { ExamBadge } from "../training/ExamBadge";

type Props = { me: MeResponse; search: string };

export function QueuePage({ me, search }: Props) {
  const filters = useMemo(() => parseQueueFilters(search), [search]);
  const views = queueViews(me.abilities.queues);
  const view = views.find((v) => v.key === filters.view) ?? views[0];
  const personFilters = mayDo(me, "filter_by_person");
  const query = apiQuery(filters, personFilters);
  const queryKey = JSON.stringify(query);

  const tasks = useAsync(queryKey, (signal) => api.tasks(query, signal));
  const people = useAsync<UserListResponse>("users", (signal) => api.users(signal), personFilters);
  const projects = useAsync<ProjectListResponse>("projects", (signal) => api.projects(signal), personFilters);

  const rows = useMemo(
    () => (tasks.data ?? []).filter((t) => (view ? view.keep(t, me) : true) && matchesText(t, filters.q)),
    [tasks.data, view, me, filters.q],
  );

  const [cursor, setCursor] = useState(0);
  const searchRef = useRef<HTMLInputElement>(null);
  const tableRef = useRef<HTMLTableSectionElement>(null);
  const current: TaskSummary | undefined = rows[Math.min(cursor, rows.length - 1)];

  useEffect(() => setCursor(0), [search]);

  // Table keyboard: j/k or arrows move, Enter opens, `/` jumps to the text filter.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || hasModifier(e)) return;
      const typing = isTypingTarget(e.target);
      const inSearch = e.target === searchRef.current;
      if (e.key === "/" && !typing) {
        e.preventDefault();
        searchRef.current?.focus();
        searchRef.current?.select();
        return;
      }
      if (typing && !inSearch) return;
      const down = e.key === "ArrowDown" || (!typing && e.key === "j");
      const up = e.key === "ArrowUp" || (!typing && e.key === "k");
      if (down || up) {
        e.preventDefault();
        setCursor((c) => Math.max(0, Math.min(rows.length - 1, Math.min(c, rows.length - 1) + (down ? 1 : -1))));
      } else if (e.key === "Enter" && current && (inSearch || !(e.target instanceof HTMLAnchorElement || e.target instanceof HTMLButtonElement))) {
        e.preventDefault();
        navigate(taskHref(current.id));
      } else if (e.key === "Escape" && inSearch) {
        searchRef.current?.blur();
      }
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [rows.length, current]);

  useEffect(() => {
    tableRef.current?.querySelector("tr[aria-selected='true']")?.scrollIntoView({ block: "nearest" });
  }, [cursor]);

  const setFilters = (patch: Partial<QueueFilters>) => {
    navigate(`/${queueSearch({ ...filters, ...patch })}`, { replace: true });
  };

  // The text filter updates the URL as one types, without a history entry per key.
  const [text, setText] = useState(filters.q ?? "");
  useEffect(() => setText(filters.q ?? ""), [filters.q]);

  const loading = tasks.status === "loading" && tasks.data === null;

  return (
    <main className="page queue-page">
      <PageHead
        title={view?.label ?? "Tasks"}
        intro={
          <>
            {loading ? "Loading…" : `${rows.length} ${rows.length === 1 ? "task" : "tasks"}`}
            {tasks.status === "loading" && !loading ? " · updating…" : ""}
          </>
        }
      >
        {views.length > 1 && (
          <div className="tabs" role="tablist" aria-label="Queues">
            {views.map((v) => (
              <button
                key={v.key}
                type="button"
                role="tab"
                aria-selected={v.key === view?.key}
                className="tab"
                onClick={() => setFilters({ view: v.key === views[0]?.key ? undefined : v.key })}
              >
                {v.label}
              </button>
            ))}
          </div>
        )}
      </PageHead>

      <div className="filter-bar" role="search">
        <label className="filter-text">
          <span className="sr-only">Filter tasks</span>
          <input
            ref={searchRef}
            type="search"
            placeholder="Filter by clip, person, stage…"
            maxLength={200}
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              setFilters({ q: e.target.value.trim() || undefined });
            }}
          />
          <kbd aria-hidden="true">/</kbd>
        </label>
        <Select
          label="Aspect"
          value={filters.aspect}
          options={ASPECTS.map((a) => ({ value: a, label: ASPECT_LABELS[a] }))}
          onChange={(v) => setFilters({ aspect: v as QueueFilters["aspect"] })}
        />
        <Select
          label="Stage"
          value={filters.stage}
          options={STAGES.map((s) => ({ value: s, label: STAGE_LABELS[s] }))}
          onChange={(v) => setFilters({ stage: v as QueueFilters["stage"] })}
        />
        {personFilters && (
          <>
            <Select
              label="Annotator"
              value={filters.annotatorId}
              options={(people.data ?? [])
                .filter((p) => p.role === "annotator" || p.role === "trainee" || p.id === filters.annotatorId)
                .map((p) => ({ value: p.id, label: p.name }))}
              onChange={(v) => setFilters({ annotatorId: v })}
            />
            <Select
              label="Reviewer"
              value={filters.reviewerId}
              options={(people.data ?? [])
                .filter((p) => p.role !== "annotator" && p.role !== "trainee")
                .map((p) => ({ value: p.id, label: p.name }))}
              onChange={(v) => setFilters({ reviewerId: v })}
            />
            <Select
              label="Project"
              value={filters.projectId}
              options={(projects.data ?? []).map((p) => ({ value: p.id, label: p.name }))}
              onChange={(v) => setFilters({ projectId: v })}
            />
          </>
        )}
        {hasFilters(filters) && (
          <button type="button" className="btn btn-quiet" onClick={() => navigate(`/${queueSearch({ view: filters.view })}`, { replace: true })}>
            Clear filters
          </button>
        )}
      </div>

      <LoadError state={tasks} />

      <div className="table-wrap">
        <table className="task-table" aria-label={view?.label ?? "Tasks"} aria-busy={tasks.status === "loading"}>
          <TableHead columns={["Clip", "Aspect", "Stage", "Annotator", "Reviewer", { label: "Updated", num: true }]} />
          <tbody ref={tableRef}>
            {rows.map((t, i) => {
              const selected = t === current;
              return (
                <tr
                  key={t.id}
                  aria-selected={selected}
                  className={selected ? "selected" : undefined}
                  data-task-id={t.id}
                  onClick={(e) => {
                    setCursor(i);
                    if (!(e.target instanceof HTMLAnchorElement)) navigate(taskHref(t.id));
                  }}
                >
                  <td className="clip-cell">
                    <Link href={taskHref(t.id)} className="row-link" tabIndex={selected ? 0 : -1}>
                      {t.video.title}
                    </Link>
                    {t.isGold && <span className="badge badge-gold">Gold</span>}
                    <ExamBadge exam={t.exam} />
                  </td>
                  <TaskPeopleCells task={t} />
                  <td className="num muted" title={formatDateTime(t.updatedAt)}>
                    {formatRelative(t.updatedAt)}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {!loading && rows.length === 0 && tasks.status !== "error" && (
          <div className="empty">
            <p>{hasFilters(filters) ? "No tasks match these filters." : "Nothing here right now."}</p>
          </div>
        )}
      </div>
      <p className="key-hints muted" aria-hidden="true">
        <kbd>j</kbd>/<kbd>k</kbd> or <kbd>↑</kbd>/<kbd>↓</kbd> move · <kbd>Enter</kbd> open · <kbd>/</kbd> filter
      </p>
    </main>
  );
}

type SelectProps = {
  label: string;
  value: string | undefined;
  options: { value: string; label: string }[];
  onChange(value: string | undefined): void;
};

function Select({ label, value, options, onChange }: SelectProps) {
  return (
    <label className="filter-select">
      <span>{label}</span>
      <Choice value={value ?? ""} empty="All" options={options} onChange={(v) => onChange(v || undefined)} />
    </label>
  );
}
