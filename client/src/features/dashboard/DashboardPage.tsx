import type { DashboardData } from "../../../../shared/api/training";
import { ASPECT_LABELS, ASPECTS, CATCH_KIND_LABELS, ERROR_TYPE_LABELS, ERROR_TYPES } from "../../../../shared/domain";
import { STAGE_LABELS, STAGES } from "../../../../shared/domain/stages";
import { api } from "../../app/api";
import { diffHref } from "../../app/router";
import { LoadError } from "../../ui/Alert";
import { labelOf } from "../../ui/format";
import { Link } from "../../ui/Link";
import { useAsync } from "../../ui/useAsync";
import { HBars, LineChart, StackedBars, type Series } from "./charts";
import { dashboardApi } from "./dashboardApi";
import "./dashboard.css";
import { PageHead } from "../../ui/PageHead";


const stageIndex = (stage: string) => (STAGES as readonly string[]).indexOf(stage);

function seriesBy<T>(rows: T[], name: (r: T) => string, x: (r: T) => string, y: (r: T) => number | null): Series[] {
  const map = new Map<string, Series>();
  for (const r of rows) {
    const n = name(r);
    let s = map.get(n);
    if (!s) map.set(n, (s = { name: n, points: [] }));
    s.points.push({ x: x(r), y: y(r) });
  }
  return [...map.values()];
}

/** The leads' dashboard: quality, agreement and throughput at a glance (recent 90 days). */
export function DashboardPage() {
  const state = useAsync("dashboard", (signal) => dashboardApi.figures(signal));
  const d = state.data;
  return (
    <main className="page dashboard-page">
      <PageHead title="Dashboard" intro="Error types, catches, annotator quality, agreement on primitives and throughput over the last 90 days." />
      <LoadError state={state} />
      {d && (
        <div className="dashboard-grid" data-testid="dashboard">
          <StackedBars
            testId="chart-error-types"
            title="Critique error types per aspect"
            categories={ASPECTS.filter((a) => d.errorTypesPerAspect.some((e) => e.aspect === a))}
            series={ERROR_TYPES.filter((t) => d.errorTypesPerAspect.some((e) => e.errorType === t)).map((t) => ({
              name: ERROR_TYPE_LABELS[t],
              values: ASPECTS.filter((a) => d.errorTypesPerAspect.some((e) => e.aspect === a)).map(
                (a) => d.errorTypesPerAspect.find((e) => e.aspect === a && e.errorType === t)?.count ?? 0,
              ),
            }))}
          />
          <LineChart
            testId="chart-catches"
            title="Catches per kind per day"
            series={seriesBy(d.catchesOverTime, (r) => labelOf(CATCH_KIND_LABELS, r.kind), (r) => r.day, (r) => r.count)}
          />
          <LineChart
            testId="chart-precision"
            title="Annotator precision by week"
            yMax={1}
            series={seriesBy(d.annotatorTrends, (r) => r.name, (r) => r.week, (r) => r.precision)}
          />
          <LineChart
            testId="chart-recall"
            title="Annotator recall by week"
            yMax={1}
            series={seriesBy(d.annotatorTrends, (r) => r.name, (r) => r.week, (r) => r.recall)}
          />
          <HBars
            testId="chart-agreement"
            title="Agreement on primitives (Krippendorff's α per sub-aspect)"
            min={Math.min(0, ...d.agreement.map((a) => a.alpha ?? 0))}
            max={1}
            rows={d.agreement.map((a) => ({ label: a.subAspect, value: a.alpha, note: `${a.units} clips` }))}
          />
          <Throughput perHour={d.throughput.tasksPerHour} />
          <HBars
            testId="chart-stages"
            title="Mean minutes per stage"
            unit=" min"
            rows={[...d.throughput.minutesPerStage]
              .sort((a, b) => stageIndex(a.stage) - stageIndex(b.stage))
              .map((s) => ({ label: labelOf(STAGE_LABELS, s.stage), value: Math.round(s.minutes * 10) / 10, note: `${s.samples} tasks` }))}
          />
          <RecentDiffs />
        </div>
      )}
    </main>
  );
}

/** Submissions per day as bars, with the busiest hour named: hourly bins over weeks are too many to draw. */
function Throughput({ perHour }: { perHour: DashboardData["throughput"]["tasksPerHour"] }) {
  const byDay = new Map<string, number>();
  for (const h of perHour) byDay.set(h.hour.slice(0, 10), (byDay.get(h.hour.slice(0, 10)) ?? 0) + h.count);
  const days = [...byDay.keys()].sort();
  const peak = perHour.reduce((m, h) => Math.max(m, h.count), 0);
  return (
    <StackedBars
      testId="chart-throughput"
      title={`Throughput: tasks submitted per day${peak ? ` (busiest hour: ${peak})` : ""}`}
      categories={days.map((d) => d.slice(5))}
      series={[{ name: "Submitted", values: days.map((d) => byDay.get(d) ?? 0) }]}
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
