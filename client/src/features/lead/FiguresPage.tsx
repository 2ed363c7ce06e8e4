import { useState } from "react";
import type { LeaderboardRow, PeriodKind, PersonFiguresResponse } from "../../../../shared/api/review";
import { ROLE_LABELS } from "../../../../shared/domain";
import { labelOf } from "../../ui/format";
import { useAsync } from "../../ui/useAsync";
import { formatPoints, formatShare, monthRange, todayUtc } from "./figuresFormat";
import { DisputesPanel } from "./DisputesPanel";
import { RulesPanel } from "./RulesPanel";
import { leadApi, payoutHref } from "./leadApi";
import { LoadError } from "../../ui/Alert";
import { Field } from "../../ui/Field";
import { Panel } from "../../ui/Panel";
import { TableHead } from "../../ui/TableHead";
import "./lead.css";
import { PageHead } from "../../ui/PageHead";

/**
 * The lead's figures: the leaderboard of a week or a month, one person's quality and reward figures, the payout
 * CSV of a period, and the disputes awaiting a verdict. Everything is computed by the server from the ledger and the review records.
 */
export function FiguresPage({ canEditRules = false }: { canEditRules?: boolean }) {
  const [period, setPeriod] = useState<PeriodKind>("week");
  const [at, setAt] = useState(todayUtc());
  const [personId, setPersonId] = useState<string | null>(null);
  const board = useAsync(`${period}:${at}`, (signal) => leadApi.leaderboard(period, at, signal));

  return (
    <main className="page figures-page">
      <PageHead title="Figures" intro="Quality and reward points by person. Points follow the final verdict on every catch." />
      <div className="figures-layout">
        <section className="panel" aria-labelledby="board-title">
          <div className="panel-head">
            <h2 id="board-title">
              Leaderboard {board.data ? <span className="muted">{board.data.label}</span> : null}
            </h2>
            <div className="figures-controls">
              <div className="tabs" role="tablist" aria-label="Period">
                {(["week", "month"] as const).map((k) => (
                  <button
                    key={k}
                    type="button"
                    role="tab"
                    className="tab"
                    aria-selected={period === k}
                    onClick={() => setPeriod(k)}
                  >
                    {k === "week" ? "Week" : "Month"}
                  </button>
                ))}
              </div>
              <Field inline label="Day in period">
                <input type="date" value={at} onChange={(e) => e.target.value && setAt(e.target.value)} />
              </Field>
            </div>
          </div>
          <div className="panel-body">
            <LoadError state={board} />
            {board.data && <LeaderboardTable rows={board.data.rows} selected={personId} onSelect={setPersonId} />}
            {!board.data && board.status === "loading" && <p className="muted">Loading…</p>}
          </div>
        </section>
        <aside className="figures-side">
          {personId ? <PersonFigures key={personId} personId={personId} /> : <p className="muted panel panel-body">Choose a person to see their figures.</p>}
          <PayoutForm />
          <DisputesPanel />
          <RulesPanel canEdit={canEditRules} />
        </aside>
      </div>
    </main>
  );
}

function LeaderboardTable({ rows, selected, onSelect }: { rows: LeaderboardRow[]; selected: string | null; onSelect(id: string): void }) {
  if (rows.length === 0) return <p className="empty">Nobody earned points or was reviewed in this period.</p>;
  return (
    <div className="table-wrap">
      <table className="task-table figures-table" data-testid="leaderboard">
        <TableHead columns={["#", "Person", "Role", { label: "Points", num: true }, { label: "Tasks", num: true }, { label: "Catches", num: true }, { label: "Accuracy", num: true }, { label: "Upheld", num: true }]} />
        <tbody>
          {rows.map((r) => (
            <tr key={r.person.id} aria-selected={selected === r.person.id}>
              <td>{r.rank}</td>
              <td>
                <button type="button" className="linklike" onClick={() => onSelect(r.person.id)}>
                  {r.person.name}
                </button>
              </td>
              <td>{labelOf(ROLE_LABELS, r.person.role)}</td>
              <td className="num">{formatPoints(r.points)}</td>
              <td className="num">{r.tasks}</td>
              <td className="num">{r.catches}</td>
              <td className="num">{formatShare(r.accuracy)}</td>
              <td className="num">{formatShare(r.upheldRate)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function PersonFigures({ personId }: { personId: string }) {
  const [range, setRange] = useState<{ from?: string; to?: string }>({});
  const figures = useAsync(`${personId}:${range.from ?? ""}:${range.to ?? ""}`, (signal) => leadApi.person(personId, range, signal));
  const f: PersonFiguresResponse | null = figures.data;
  return (
    <Panel id="person-title" title={f ? f.person.name : "Person"} testId="person-figures" aside={f && <span className="muted">{formatPoints(f.points)} points</span>}>
      <div className="panel-body">
        <div className="figures-range">
          <Field inline label="From">
            <input type="date" value={range.from ?? ""} onChange={(e) => setRange((r) => ({ ...r, from: e.target.value || undefined }))} />
          </Field>
          <Field inline label="To (exclusive)">
            <input type="date" value={range.to ?? ""} onChange={(e) => setRange((r) => ({ ...r, to: e.target.value || undefined }))} />
          </Field>
        </div>
        <LoadError state={figures} />
        {f && (
          <>
            <h3>As annotator</h3>
            <dl className="figures-grid">
              <dt>Reviewed tasks</dt>
              <dd>{f.annotator.reviewed}</dd>
              <dt>Rejected</dt>
              <dd>{f.annotator.rejected}</dd>
              <dt>Accuracy</dt>
              <dd>{formatShare(f.annotator.accuracy)}</dd>
              <dt>Critique items</dt>
              <dd>{f.annotator.items}</dd>
              <dt>Critique precision</dt>
              <dd title={`${f.annotator.upheldFalseFlags} upheld false flags`}>{formatShare(f.annotator.precision)}</dd>
              <dt>Recall estimate</dt>
              <dd title={`${f.annotator.upheldMissedErrors} upheld missed errors`}>{formatShare(f.annotator.recall)}</dd>
              <dt>Constructive share</dt>
              <dd title={`${f.annotator.upheldNonConstructive} upheld non-constructive items`}>{formatShare(f.annotator.constructiveShare)}</dd>
            </dl>
            <h3>As reviewer</h3>
            <dl className="figures-grid">
              <dt>Catches</dt>
              <dd>{f.reviewer.catches}</dd>
              <dt>Upheld rate</dt>
              <dd>{formatShare(f.reviewer.upheldRate)}</dd>
              <dt>Overturn rate</dt>
              <dd>{formatShare(f.reviewer.overturnRate)}</dd>
              <dt>Awaiting a verdict</dt>
              <dd>{f.reviewer.pending}</dd>
            </dl>
          </>
        )}
      </div>
    </Panel>
  );
}

function PayoutForm() {
  const initial = monthRange(todayUtc());
  const [from, setFrom] = useState(initial.from);
  const [to, setTo] = useState(initial.to);
  const [rate, setRate] = useState("0.10");
  const valid = from !== "" && to > from && rate !== "" && Number(rate) >= 0;
  return (
    <Panel id="payout-title" title="Payout CSV">
      <div className="panel-body figures-range">
        <Field inline label="From">
          <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        </Field>
        <Field inline label="To (exclusive)">
          <input type="date" value={to} onChange={(e) => setTo(e.target.value)} />
        </Field>
        <Field inline label="Rate per point">
          <input type="number" min="0" step="0.01" value={rate} onChange={(e) => setRate(e.target.value)} />
        </Field>
        {valid ? (
          <a className="btn btn-primary" href={payoutHref(from, to, rate)} download>
            Download CSV
          </a>
        ) : (
          <span className="muted">Pick a period (to after from) and a rate.</span>
        )}
      </div>
    </Panel>
  );
}
