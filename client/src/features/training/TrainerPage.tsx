import { useEffect, useState } from "react";
import type { MeResponse } from "../../../../shared/api/auth";
import type { ExamResult, ExamSummary, GoldTaskRef, TraineeOverview, TrainerHome } from "../../../../shared/api/training";
import { errorMessage } from "../../app/api";
import { Link } from "../../ui/Link";
import { useAsync } from "../../ui/useAsync";
import { STAGE_LABELS } from "../../../../shared/domain/stages";
import { coachingHref, feedbackHref, taskHref } from "../../app/router";
import { ConfirmDialog } from "../../ui/ConfirmDialog";
import { useAction } from "../../ui/useAction";
import { mayDo } from "../../app/abilities";
import { formatShare } from "./format";
import { trainingApi } from "./trainingApi";
import { LoadError, Notice, type NoticeText } from "../../ui/Alert";
import { Panel } from "../../ui/Panel";
import { TableHead } from "../../ui/TableHead";
import { labelOf } from "../../ui/format";
import { ASPECT_LABELS } from "../../../../shared/domain";
import "./training.css";
import { PageHead } from "../../ui/PageHead";

const REFRESH_MS = 5000;

/** The trainer's home: who is working now (join their room, coach them), exams and results, promotion. */
export function TrainerPage({ me }: { me: MeResponse }) {
  const [tick, setTick] = useState(0);
  const [notice, setNotice] = useState<NoticeText | null>(null);
  const [promoting, setPromoting] = useState<TraineeOverview | null>(null);
  const home = useAsync(`home:${tick}`, (signal) => trainingApi.home(signal));
  const canCreateExam = mayDo(me, "create_exam");
  const gold = useAsync("gold", (signal) => trainingApi.goldTasks(signal), canCreateExam);

  // Live presence comes from the collaboration server's rooms: refresh it while the page is open.
  useEffect(() => {
    const t = setInterval(() => setTick((n) => n + 1), REFRESH_MS);
    return () => clearInterval(t);
  }, []);

  const act = (p: Promise<unknown>, ok: string) =>
    p.then(
      () => {
        setNotice({ kind: "info", text: ok });
        setTick((n) => n + 1);
      },
      (err: unknown) => setNotice({ kind: "error", text: errorMessage(err) }),
    );

  const data: TrainerHome | null = home.data;
  const promote = useAction();
  const confirmPromote = async (t: TraineeOverview) => {
    if (await promote.run(() => trainingApi.promote(t.id))) {
      setPromoting(null);
      setNotice({ kind: "info", text: `${t.name} is now an annotator.` });
      setTick((n) => n + 1);
    }
  };
  return (
    <main className="page trainer-page">
      <PageHead title="Training" intro="Trainees working now, gold exams and their results, promotion to annotator." />
      <Notice notice={notice} />
      <LoadError state={home} />
      {data && (
        <div className="trainer-grid">
          <Panel id="live-title" title="Working now" aside={<span className="muted">{data.live.length} in rooms</span>}>
            <ul className="trainer-list" data-testid="live-trainees">
              {data.live.length === 0 && <li className="muted">No trainee is in a room right now.</li>}
              {data.live.map((l) => (
                <li key={`${l.taskId}:${l.trainee.id}`} data-testid="live-trainee" data-task-id={l.taskId}>
                  <span className="live-dot is-live" aria-hidden="true" />
                  <strong>{l.trainee.name}</strong> · {l.videoTitle} · {ASPECT_LABELS[l.aspect]} · <span className="muted">{STAGE_LABELS[l.stage]}</span>
                  <span className="row-actions">
                    <Link className="btn btn-small btn-primary" href={taskHref(l.taskId)}>
                      Join room
                    </Link>
                    <Link className="btn btn-small" href={coachingHref(l.taskId)}>
                      Coach
                    </Link>
                  </span>
                </li>
              ))}
            </ul>
          </Panel>

          <Panel id="trainees-title" title="Trainees">
            <ul className="trainer-list" data-testid="trainees">
              {data.trainees.length === 0 && <li className="muted">No trainees.</li>}
              {data.trainees.map((t) => (
                <li key={t.id} data-testid="trainee">
                  <strong>{t.name}</strong> <span className="muted">{t.email}</span>
                  {t.eligible ? <span className="badge badge-ok">passed an exam</span> : <span className="badge">in training</span>}
                  {t.eligible && mayDo(me, "promote_trainee") && (
                    <button type="button" className="btn btn-small btn-primary" onClick={() => setPromoting(t)}>
                      Promote to annotator
                    </button>
                  )}
                  <div className="trainee-tasks">
                    {t.tasks.map((k) => (
                      <Link key={k.taskId} href={coachingHref(k.taskId)} className="task-chip" title="Coach this task">
                        {k.videoTitle} · {ASPECT_LABELS[k.aspect]} · {STAGE_LABELS[k.stage]}
                      </Link>
                    ))}
                  </div>
                </li>
              ))}
            </ul>
          </Panel>

          <Panel id="exams-title" title="Exams" className="trainer-wide">
            {canCreateExam && gold.data && <NewExam gold={gold.data} onCreate={(p) => void act(p, "Exam created.")} />}
            {data.exams.length === 0 && <p className="muted">No exams yet{canCreateExam ? "" : " (a lead creates them from gold tasks)"}.</p>}
            {data.exams.map((exam) => (
              <ExamBlock
                key={exam.id}
                exam={exam}
                results={data.results.filter((r) => r.examId === exam.id)}
                trainees={data.trainees.filter((t) => t.role === "trainee")}
                onAssign={(traineeId) => void act(trainingApi.assignExam(exam.id, traineeId), "Exam assigned: the trainee has new tasks.")}
              />
            ))}
          </Panel>
        </div>
      )}
      {promoting && (
        <ConfirmDialog
          title={`Promote ${promoting.name} to annotator?`}
          confirmLabel="Promote"
          busy={promote.busy}
          error={promote.error}
          onConfirm={() => void confirmPromote(promoting)}
          onCancel={() => setPromoting(null)}
        >
          <p>They passed an exam. As an annotator their work goes to review like everyone's, without a trainer's coaching.</p>
        </ConfirmDialog>
      )}
    </main>
  );
}

function ExamBlock({ exam, results, trainees, onAssign }: { exam: ExamSummary; results: ExamResult[]; trainees: TrainerHome["trainees"]; onAssign(id: string): void }) {
  const [who, setWho] = useState("");
  return (
    <div className="exam" data-testid="exam">
      <h3>
        {exam.name} <span className="muted">pass at mean F1 ≥ {formatShare(exam.passThreshold)}</span>
      </h3>
      <p className="muted">
        {exam.goldTasks.map((g) => `${g.videoTitle} · ${labelOf(ASPECT_LABELS, g.aspect)} (${g.goldItems} items)`).join("; ")}
      </p>
      <div className="coaching-form-row">
        <select value={who} onChange={(e) => setWho(e.target.value)} aria-label={`Assign ${exam.name} to`}>
          <option value="">Assign to…</option>
          {trainees.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
            </option>
          ))}
        </select>
        <button type="button" className="btn btn-small" disabled={!who} onClick={() => onAssign(who)}>
          Assign
        </button>
      </div>
      {results.length > 0 && (
        <table className="table exam-results">
          <TableHead columns={["Trainee", "Status", "Mean F1", "Attempts (precision / recall / constructive)"]} />
          <tbody>
            {results.map((r) => (
              <tr key={r.trainee.id} data-status={r.status} data-testid="exam-result" data-trainee-id={r.trainee.id}>
                <td>{r.trainee.name}</td>
                <td>
                  <span className={`badge${r.status === "passed" ? " badge-ok" : r.status === "failed" ? " badge-bad" : ""}`}>{r.status.replace("_", " ")}</span>
                </td>
                <td>{formatShare(r.meanF1)}</td>
                <td>
                  {r.attempts.map((a) => (
                    <span key={a.taskId} className="attempt" data-testid="exam-attempt" data-task-id={a.taskId} data-scored={a.score !== null}>
                      <Link href={coachingHref(a.taskId)} title="Coach this attempt">
                        {STAGE_LABELS[a.stage]}
                      </Link>{" "}
                      {a.score ? (
                        <Link href={feedbackHref(a.taskId)} title="The feedback the trainee saw">
                          {`${formatShare(a.score.precision)} / ${formatShare(a.score.recall)} / ${formatShare(a.score.constructiveShare)}`}
                        </Link>
                      ) : (
                        <>
                          not scored ·{" "}
                          <Link href={taskHref(a.taskId)} title="Open the trainee's room and follow them">
                            Follow
                          </Link>
                        </>
                      )}
                    </span>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function NewExam({ gold, onCreate }: { gold: GoldTaskRef[]; onCreate(p: Promise<unknown>): void }) {
  const [name, setName] = useState("");
  const [threshold, setThreshold] = useState("0.7");
  const [picked, setPicked] = useState<string[]>([]);
  if (gold.length === 0) return <p className="muted">Mark approved tasks as gold (from their diff view) to build an exam.</p>;
  return (
    <form
      className="new-exam"
      onSubmit={(e) => {
        e.preventDefault();
        onCreate(trainingApi.createExam({ name, goldTaskIds: picked, passThreshold: Number(threshold) }));
      }}
    >
      <input value={name} onChange={(e) => setName(e.target.value)} placeholder="Exam name" aria-label="Exam name" maxLength={200} />
      <input value={threshold} onChange={(e) => setThreshold(e.target.value)} aria-label="Pass threshold (0–1)" size={4} />
      <div className="gold-picks">
        {gold.map((g) => (
          <label key={g.taskId}>
            <input
              type="checkbox"
              checked={picked.includes(g.taskId)}
              onChange={(e) => setPicked((p) => (e.target.checked ? [...p, g.taskId] : p.filter((x) => x !== g.taskId)))}
            />
            {g.videoTitle} · {labelOf(ASPECT_LABELS, g.aspect)} ({g.goldItems})
          </label>
        ))}
      </div>
      <button type="submit" className="btn btn-small btn-primary" disabled={!name.trim() || picked.length === 0}>
        Create exam
      </button>
    </form>
  );
}
