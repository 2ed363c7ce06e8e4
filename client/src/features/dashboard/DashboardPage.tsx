import { useMemo } from "react";
import type { DashboardData, DashboardFilter } from "../../../../shared/api/dashboard";
import { ASPECT_LABELS, ASPECTS, CATCH_KIND_LABELS, CatchKind, ERROR_TYPE_LABELS, ERROR_TYPES, ROLE_LABELS } from "../../../../shared/domain";
import { STAGE_LABELS, STAGES, Stage } from "../../../../shared/domain/stages";
import { api } from "../../app/api";
import { diffHref, navigate } from "../../app/router";
import { LoadError } from "../../ui/Alert";
import { labelOf } from "../../ui/format";
import { Link } from "../../ui/Link";
import { useAsync } from "../../ui/useAsync";
import { HBars, LineChart, StackedBars, type Series } from "./charts";
import { dashboardApi } from "./dashboardApi";
import { behind, dashboardHref, parseDashboardSearch, type DashboardSearch } from "./filters";
import "./dashboard.css";
import { PageHead } from "../../ui/PageHead";

const stageIndex = (stage: string) => (STAGES as readonly string[]).indexOf(stage);

function seriesBy<T>(rows: T[], name: (r: T) => string, x: (r: T) => string, y: (r: T) => number | null, href: (r: T) => string | undefined): Series[] {
  const map = new Map<string, Series>();
  for (const r of rows) {
    const n = name(r);
    let s = map.get(n);
    if (!s) map.set(n, (s = { name: n, points: [] }));
    s.points.push({ x: x(r), y: y(r), href: href(r) });
  }
  return [...map.values()];
}

/**
 * The leads' dashboard: quality, agreement and throughput over a project, a person and a range of days, all kept in
 * the URL (a filtered dashboard is a link). Every bar and point opens the tasks behind it.
 */
export function DashboardPage({ search }: { search: string }) {
  const query = useMemo(() => parseDashboardSearch(search), [search]);
  const state = useAsync(`dashboard${dashboardHref(query)}`, (signal) => dashboardApi.figures(query, signal));
  const d = state.data;
  const f = d?.filter;
  return (
    <main className="page dashboard-page">
      <PageHead
        title="Dashboard"
        intro="Error types, catches, annotator quality, agreement on primitives and throughput. Click a bar or a point to see the tasks behind it."
      />
      <DashboardFilters query={query} data={d} />
      <p className="dashboard-note muted">
        The person is the annotator of the tasks: their tasks' error types, the catches found in their work, their precision and recall, and their tasks'
        stage times. Agreement covers all dates (a clip's labels are compared whenever they were made). Gold tasks are left out.
      </p>
      <LoadError state={state} />
      {d && f && (
        <div className="dashboard-grid" data-testid="dashboard" aria-busy={state.status === "loading"}>
          <ErrorTypes d={d} f={f} />
          <LineChart
            testId="chart-catches"
            title="Catches per kind per day"
            series={seriesBy(
              d.catchesOverTime,
              (r) => labelOf(CATCH_KIND_LABELS, r.kind),
              (r) => r.day,
              (r) => r.count,
              (r) => {
                const kind = CatchKind.safeParse(r.kind);
                return kind.success ? behind.catches(f, kind.data, r.day) : undefined;
              },
            )}
          />
          <LineChart
            testId="chart-precision"
            title="Annotator precision by week"
            yMax={1}
            series={seriesBy(d.annotatorTrends, (r) => r.name, (r) => r.week, (r) => r.precision, (r) => behind.annotatorWeek(f, r.userId, r.week))}
          />
          <LineChart
            testId="chart-recall"
            title="Annotator recall by week"
            yMax={1}
            series={seriesBy(d.annotatorTrends, (r) => r.name, (r) => r.week, (r) => r.recall, (r) => behind.annotatorWeek(f, r.userId, r.week))}
          />
          <HBars
            testId="chart-agreement"
            title="Agreement on primitives (Krippendorff's α per sub-aspect)"
            min={Math.min(0, ...d.agreement.map((a) => a.alpha ?? 0))}
            max={1}
            rows={d.agreement.map((a) => ({ label: a.subAspect, value: a.alpha, note: `${a.units} clips`, href: behind.agreement(f, a.subAspect) }))}
          />
          <Throughput perHour={d.throughput.tasksPerHour} f={f} />
          <HBars
            testId="chart-stages"
            title="Mean minutes per stage"
            unit=" min"
            rows={[...d.throughput.minutesPerStage]
              .sort((a, b) => stageIndex(a.stage) - stageIndex(b.stage))
              .map((s) => {
                const stage = Stage.safeParse(s.stage);
                return {
                  label: labelOf(STAGE_LABELS, s.stage),
                  value: Math.round(s.minutes * 10) / 10,
                  note: `${s.samples} tasks`,
                  href: stage.success ? behind.stage(f, stage.data) : undefined,
                };
              })}
          />
          <RecentDiffs />
        </div>
      )}
    </main>
  );
}

/** Project, person and days; each change rewrites the URL (no history entry per change), which reloads the figures. */
export function DashboardFilters({ query, data }: { query: DashboardSearch; data: DashboardData | null }) {
  const set = (patch: DashboardSearch) => navigate(dashboardHref({ ...query, ...patch }), { replace: true });
  const projects = data?.choices.projects ?? [];
  const people = data?.choices.people ?? [];
  return (
    <div className="filter-bar dashboard-filters" role="search" aria-label="Dashboard filters">
      <label className="filter-select">
        <span>Project</span>
        <select aria-label="Project" value={query.projectId ?? ""} onChange={(e) => set({ projectId: e.target.value || undefined })}>
          <option value="">All projects</option>
          {projects.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
          {query.projectId && !projects.some((p) => p.id === query.projectId) && <option value={query.projectId}>{data ? "Unknown project" : "…"}</option>}
        </select>
      </label>
      <label className="filter-select">
        <span>Person</span>
        <select aria-label="Person" value={query.personId ?? ""} onChange={(e) => set({ personId: e.target.value || undefined })}>
          <option value="">Everyone</option>
          {people.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name} ({ROLE_LABELS[p.role]})
            </option>
          ))}
          {query.personId && !people.some((p) => p.id === query.personId) && <option value={query.personId}>{data ? "Unknown person" : "…"}</option>}
        </select>
      </label>
      <label className="filter-select">
        <span>From</span>
        <input type="date" aria-label="From" value={query.from ?? data?.filter.from ?? ""} max={query.to ?? data?.filter.to} onChange={(e) => set({ from: e.target.value || undefined })} />
      </label>
      <label className="filter-select">
        <span>To</span>
        <input type="date" aria-label="To" value={query.to ?? data?.filter.to ?? ""} min={query.from ?? data?.filter.from} onChange={(e) => set({ to: e.target.value || undefined })} />
      </label>
      {Object.keys(query).length > 0 && (
        <button type="button" className="btn btn-quiet" onClick={() => navigate(dashboardHref({}), { replace: true })}>
          Reset: last 90 days, everyone
        </button>
      )}
    </div>
  );
}

/** Error types stacked per aspect; each segment opens the tasks whose final version has that error type. */
function ErrorTypes({ d, f }: { d: DashboardData; f: DashboardFilter }) {
  const aspects = ASPECTS.filter((a) => d.errorTypesPerAspect.some((e) => e.aspect === a));
  return (
    <StackedBars
      testId="chart-error-types"
      title="Critique error types per aspect"
      categories={aspects.map((a) => ASPECT_LABELS[a])}
      series={ERROR_TYPES.filter((t) => d.errorTypesPerAspect.some((e) => e.errorType === t)).map((t) => ({
        name: ERROR_TYPE_LABELS[t],
        values: aspects.map((a) => d.errorTypesPerAspect.find((e) => e.aspect === a && e.errorType === t)?.count ?? 0),
        hrefs: aspects.map((a) => behind.errorType(f, a, t)),
      }))}
    />
  );
}

/** Submissions per day as bars, with the busiest hour named: hourly bins over weeks are too many to draw. */
function Throughput({ perHour, f }: { perHour: DashboardData["throughput"]["tasksPerHour"]; f: DashboardFilter }) {
  const byDay = new Map<string, number>();
  for (const h of perHour) byDay.set(h.hour.slice(0, 10), (byDay.get(h.hour.slice(0, 10)) ?? 0) + h.count);
  const days = [...byDay.keys()].sort();
  const peak = perHour.reduce((m, h) => Math.max(m, h.count), 0);
  return (
    <StackedBars
      testId="chart-throughput"
      title={`Throughput: tasks submitted per day${peak ? ` (busiest hour: ${peak})` : ""}`}
      categories={days.map((d) => d.slice(5))}
      series={[{ name: "Submitted", values: days.map((d) => byDay.get(d) ?? 0), hrefs: days.map((d) => behind.submitted(f, d)) }]}
    />
  );
}

/** The latest reviewed tasks, each a link to its side-by-side diff. */
function RecentDiffs() {
  const list = useAsync("recent-approved", (signal) => api.tasks({ stage: "approved", limit: 12 }, signal));
  return (
    <figure className="chart recent-diffs">
      <figcaption>Compare side by side</figcaption>
      <ul>
        {(list.data ?? []).map((t) => (
          <li key={t.id}>
            <Link href={diffHref(t.id)}>
              {t.video.title} · {ASPECT_LABELS[t.aspect]}
            </Link>{" "}
            <span className="muted">{t.annotator?.name ?? ""}</span>
          </li>
        ))}
        {list.data?.length === 0 && <li className="muted">No approved tasks yet.</li>}
      </ul>
    </figure>
  );
}
