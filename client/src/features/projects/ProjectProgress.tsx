import {
  PROJECT_PATHS,
  ProjectProgress as ProgressSchema,
  type PersonProgress,
  type ProjectProgress as Progress,
  type WaitingTotal,
} from "../../../../shared/api/projects";
import type { TaskListQuery } from "../../../../shared/api/tasks";
import { ROLE_LABELS } from "../../../../shared/domain";
import { STAGES, STAGE_LABELS, type Stage } from "../../../../shared/domain/stages";
import { get } from "../../app/api";
import { LoadError } from "../../ui/Alert";
import { Link } from "../../ui/Link";
import { formatRelative } from "../../ui/format";
import { useAsync } from "../../ui/useAsync";

type TaskFilter = Partial<Pick<TaskListQuery, "projectId" | "annotatorId" | "reviewerId" | "stage">>;

/**
 * The lead's tasks page behind a count, filtered by TaskListQuery's own keys (shared/api/tasks.ts).
 * Local until the router's shared `tasksHref` lands; then this should become that.
 */
export function progressTasksHref(filter: TaskFilter): string {
  const q = new URLSearchParams();
  for (const key of ["projectId", "annotatorId", "reviewerId", "stage"] as const) {
    const v = filter[key];
    if (v) q.set(key, v);
  }
  return `/tasks?${q.toString()}`;
}

const WHO_LABELS: Record<WaitingTotal["who"], string> = { annotator: "Annotators", reviewer: "Reviewers", model: "The model", lead: "Leads" };

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
/** "Nov 30" for a week's Monday (UTC). */
const weekLabel = (monday: string) => new Date(`${monday}T00:00:00Z`).toLocaleDateString(undefined, { month: "short", day: "numeric", timeZone: "UTC" });

/** The Progress tab: tasks by stage, who they wait on, throughput per week, and each person's share. */
export function ProjectProgress({ projectId }: { projectId: string }) {
  const state = useAsync(`progress:${projectId}`, (signal) => get(PROJECT_PATHS.progress(projectId), { schema: ProgressSchema, signal }));
  const p = state.data;
  return (
    <div className="project-progress" data-testid="project-progress">
      <LoadError state={state} />
      {!p && state.status === "loading" && <p className="muted">Loading…</p>}
      {p && (
        <>
          <section aria-labelledby="progress-stages-h">
            <h2 id="progress-stages-h">Tasks by stage</h2>
            <StageBar progress={p} />
          </section>
          <section aria-labelledby="progress-waiting-h">
            <h2 id="progress-waiting-h">Waiting on</h2>
            <WaitingOn totals={p.waitingOn} />
          </section>
          <section aria-labelledby="progress-throughput-h">
            <h2 id="progress-throughput-h">Throughput per week</h2>
            <Throughput progress={p} />
          </section>
          <section aria-labelledby="progress-people-h">
            <h2 id="progress-people-h">People</h2>
            <PeopleTable progress={p} />
          </section>
        </>
      )}
    </div>
  );
}

function StageBar({ progress: p }: { progress: Progress }) {
  if (p.total === 0) return <p className="empty">No tasks yet: make them on the Tasks tab.</p>;
  const present = STAGES.filter((s) => p.byStage[s] > 0);
  return (
    <>
      {/* The bar is a picture of the legend below, which carries the same counts as links. */}
      <div className="progress-bar" data-testid="progress-stage-bar" role="img" aria-label={present.map((s) => `${STAGE_LABELS[s]} ${p.byStage[s]}`).join(", ")}>
        {present.map((s) => (
          <span key={s} className={`progress-segment stage-${s}`} style={{ flexGrow: p.byStage[s] }} title={`${STAGE_LABELS[s]}: ${p.byStage[s]}`} />
        ))}
      </div>
      <ul className="progress-legend">
        {STAGES.map((s) => (
          <li key={s}>
            <span className={`progress-swatch stage-${s}`} aria-hidden="true" />
            {p.byStage[s] > 0 ? (
              <Link href={progressTasksHref({ projectId: p.projectId, stage: s })} data-testid={`progress-stage-${s}`}>
                {STAGE_LABELS[s]} <strong>{p.byStage[s]}</strong>
              </Link>
            ) : (
              <span className="muted" data-testid={`progress-stage-${s}`}>
                {STAGE_LABELS[s]} 0
              </span>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}

function WaitingOn({ totals }: { totals: readonly WaitingTotal[] }) {
  return (
    <ul className="progress-waiting">
      {totals.map((t) => (
        <li key={t.who} data-testid={`waiting-${t.who}`}>
          <span className="progress-waiting-who">{WHO_LABELS[t.who]}</span>
          <strong className="progress-waiting-count">{t.count}</strong>
          <span className="muted">
            {t.count === 0 ? "nothing waiting" : `oldest: ${t.oldestSince ? formatRelative(t.oldestSince) : "—"}`}
            {t.openDisputes > 0 && ` · ${plural(t.openDisputes, "open dispute")}`}
          </span>
        </li>
      ))}
    </ul>
  );
}

function Throughput({ progress: p }: { progress: Progress }) {
  const max = Math.max(1, ...p.throughput.flatMap((w) => [w.submitted, w.approved]));
  const bar = (n: number, kind: string) => (
    <span className="progress-hbar">
      <span className={`progress-hbar-fill ${kind}`} style={{ width: `${Math.round((120 * n) / max)}px` }} aria-hidden="true" />
      <span className="progress-hbar-n">{n}</span>
    </span>
  );
  return (
    <table className="task-table progress-throughput" data-testid="progress-throughput">
      <caption className="sr-only">Tasks submitted and approved per week, oldest week first</caption>
      <thead>
        <tr>
          <th scope="col">Week of</th>
          <th scope="col">Submitted</th>
          <th scope="col">Approved</th>
        </tr>
      </thead>
      <tbody>
        {p.throughput.map((w) => (
          <tr key={w.week} data-testid={`throughput-${w.week}`}>
            <th scope="row">{weekLabel(w.week)}</th>
            <td>{bar(w.submitted, "submitted")}</td>
            <td>{bar(w.approved, "approved")}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Submitted per week as small bars on the table's shared scale, with the numbers in words for screen readers. */
function Sparkline({ values, max, testId }: { values: readonly number[]; max: number; testId: string }) {
  const w = 6;
  const gap = 2;
  const h = 20;
  return (
    <svg className="sparkline" data-testid={testId} width={values.length * (w + gap)} height={h} role="img" aria-label={`Submitted per week, oldest first: ${values.join(", ")}`}>
      {values.map((v, i) => {
        const bh = v === 0 ? 1 : Math.max(2, (h * v) / max);
        return <rect key={i} x={i * (w + gap)} y={h - bh} width={w} height={bh} className={v === 0 ? "zero" : undefined} />;
      })}
    </svg>
  );
}

function PeopleTable({ progress: p }: { progress: Progress }) {
  if (p.people.length === 0) return <p className="empty">Nobody has tasks in this project yet.</p>;
  const stages = STAGES.filter((s) => p.byStage[s] > 0);
  const max = Math.max(1, ...p.people.flatMap((x) => x.submittedPerWeek));
  const countCell = (x: PersonProgress, s: Stage) => {
    const n = x.byStage[s];
    if (n === 0) return <span className="muted">0</span>;
    const who = x.part === "annotator" ? { annotatorId: x.id } : { reviewerId: x.id };
    return (
      <Link href={progressTasksHref({ projectId: p.projectId, ...who, stage: s })} aria-label={`${x.name}: ${n} ${STAGE_LABELS[s].toLowerCase()}`}>
        {n}
      </Link>
    );
  };
  return (
    <div className="table-wrap">
      <table className="task-table progress-people" data-testid="progress-people">
        <caption className="sr-only">Each person's tasks in this project by stage, submissions per week and what waits on them</caption>
        <thead>
          <tr>
            <th scope="col">Person</th>
            <th scope="col">Works as</th>
            {stages.map((s) => (
              <th key={s} scope="col" className="num">
                {STAGE_LABELS[s]}
              </th>
            ))}
            <th scope="col">Submitted / week</th>
            <th scope="col" className="num">
              Approved
            </th>
            <th scope="col">Waiting on them</th>
          </tr>
        </thead>
        <tbody>
          {p.people.map((x) => (
            <tr key={`${x.id}-${x.part}`} data-testid={`progress-person-${x.id}-${x.part}`}>
              <th scope="row">{x.name}</th>
              <td>
                {x.part === "annotator" ? "Annotator" : "Reviewer"}
                {x.role !== x.part && <span className="muted"> ({ROLE_LABELS[x.role]})</span>}
              </td>
              {stages.map((s) => (
                <td key={s} className="num" data-testid={`count-${s}`}>
                  {countCell(x, s)}
                </td>
              ))}
              <td>
                <Sparkline values={x.submittedPerWeek} max={max} testId="sparkline" />{" "}
                <span className="muted">{x.submittedPerWeek.reduce((a, b) => a + b, 0)}</span>
              </td>
              <td className="num">{x.approved}</td>
              <td data-testid="waiting">
                {x.waiting === 0 ? (
                  <span className="muted">—</span>
                ) : (
                  <>
                    {plural(x.waiting, "task")}
                    {x.oldestWaitingSince && <span className="muted"> · oldest {formatRelative(x.oldestWaitingSince)}</span>}
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
