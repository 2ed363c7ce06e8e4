import { useState } from "react";
import type { DraftBatch } from "../../../../shared/api/draftBatches";
import { ASPECT_LABELS, type Aspect } from "../../../../shared/domain";
import { ErrorNote, Notice, type NoticeText } from "../../ui/Alert";
import { Choice, Field } from "../../ui/Field";
import { Panel } from "../../ui/Panel";
import { TableHead } from "../../ui/TableHead";
import { formatRelative } from "../../ui/format";
import { useAction } from "../../ui/useAction";
import { BATCH_STATE_LABELS, draftBatchesApi, isUnfinished } from "./draftBatchesApi";
import { DraftBatchStatus, batchAspectLabel, leftOutText } from "./DraftBatchStatus";
import { useDraftBatches } from "./useDraftBatches";

const CONCURRENCY_CHOICES = ["1", "2", "4", "8", "16"] as const;
type Concurrency = (typeof CONCURRENCY_CHOICES)[number];
/** Drafts generated at once unless the lead says otherwise (the API's own default). */
const DEFAULT_CONCURRENCY: Concurrency = "4";

type Props = {
  projectId: string;
  /** The project's aspects, in its order: a batch may be started for one of them. */
  aspects: readonly Aspect[];
  /** A batch followed here ended: its tasks moved, so lists of them are stale. */
  onFinished?: (batch: DraftBatch) => void;
  pollMs?: number;
};

/**
 * "Draft labelled tasks" on a project's Tasks tab (leads and admins: the draft_batches ability): the model drafts
 * every task whose labels are complete and that has no draft yet, as a durable job on the server. The lead sees it
 * run (drafted, failed with each error, left out), may cancel it, and sees the project's recent batches.
 */
export function DraftBatchPanel({ projectId, aspects, onFinished, pollMs }: Props) {
  const { batches, loading, error, upsert } = useDraftBatches(projectId, { pollMs, onFinished });
  const [aspect, setAspect] = useState<Aspect | "">("");
  const [concurrency, setConcurrency] = useState<Concurrency>(DEFAULT_CONCURRENCY);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [notice, setNotice] = useState<NoticeText | null>(null);
  const { busy, error: actionError, run } = useAction();

  const shown = batches.find((b) => b.id === selectedId) ?? batches[0] ?? null;
  const running = shown !== null && isUnfinished(shown.state);

  const start = () =>
    void run(async () => {
      setNotice(null);
      const { id, joined } = await draftBatchesApi.start({ project: projectId, aspect: aspect || undefined, concurrency: Number(concurrency) });
      upsert(await draftBatchesApi.one(id));
      setSelectedId(id);
      if (joined) setNotice({ kind: "info", text: "A batch for these tasks was already under way: it is shown below." });
    });
  const cancel = (id: string) =>
    void run(async () => {
      setNotice(null);
      await draftBatchesApi.cancel(id);
      upsert(await draftBatchesApi.one(id));
    });

  return (
    <Panel id="draft-batches-title" title="Draft labelled tasks" className="draft-batches" testId="draft-batches">
      <div className="panel-body">
        <p className="muted">
          The model writes the draft of every task whose labels are complete and that has no draft yet; each goes to its annotator to critique.
          It runs on the server: you may leave this page.
        </p>
        <div className="draft-batch-form">
          <Field label="Aspect">
            <Choice<Aspect | ""> value={aspect} empty="All aspects" options={aspects.map((a) => ({ value: a, label: ASPECT_LABELS[a] }))} onChange={setAspect} disabled={busy} />
          </Field>
          <Field label="Drafts at once">
            <Choice<Concurrency> value={concurrency} options={CONCURRENCY_CHOICES.map((n) => ({ value: n, label: n }))} onChange={setConcurrency} disabled={busy} />
          </Field>
          <button type="button" className="btn btn-primary" disabled={busy} onClick={start}>
            Draft labelled tasks
          </button>
        </div>
        <ErrorNote message={actionError} testId="draft-batch-error" />
        <Notice notice={notice} />
        <ErrorNote message={error} />
        {shown && (
          <>
            <DraftBatchStatus batch={shown} />
            {running && (
              <button type="button" className="btn btn-danger" disabled={busy} onClick={() => cancel(shown.id)}>
                Cancel batch
              </button>
            )}
          </>
        )}
        {!shown && <p className="empty">{loading ? "Loading…" : "No batch yet for this project."}</p>}
        {batches.length > 1 && <RecentBatches batches={batches} shownId={shown?.id ?? null} onShow={setSelectedId} />}
      </div>
    </Panel>
  );
}

function RecentBatches({ batches, shownId, onShow }: { batches: readonly DraftBatch[]; shownId: string | null; onShow(id: string): void }) {
  return (
    <div className="table-wrap">
      <table className="task-table draft-batch-list" data-testid="draft-batch-list">
        <caption>Recent batches</caption>
        <TableHead columns={["Started", "By", "Aspects", "State", { label: "Drafted", num: true }, { label: "Failed", num: true }, "Left out"]} />
        <tbody>
          {batches.map((b) => (
            <tr key={b.id} className={b.id === shownId ? "selected" : undefined} data-testid={`draft-batch-row-${b.id}`}>
              <td>
                <button type="button" className="btn btn-quiet" aria-pressed={b.id === shownId} onClick={() => onShow(b.id)}>
                  {formatRelative(b.createdAt)}
                </button>
              </td>
              <td>{b.createdBy?.name ?? "—"}</td>
              <td>{batchAspectLabel(b)}</td>
              <td>{BATCH_STATE_LABELS[b.state]}</td>
              <td className="num">{b.progress.drafted}</td>
              <td className="num">{b.progress.failed}</td>
              <td>{leftOutText(b) || <span className="muted">—</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
