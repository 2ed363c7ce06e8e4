import { useState } from "react";
import type { CatchView } from "../../../../shared/api/review";
import { CATCH_KIND_LABELS, type Resolution } from "../../../../shared/domain";
import { Link } from "../../ui/Link";
import { formatDateTime } from "../../ui/format";
import { reviewApi } from "../review/reviewApi";
import { useAsync } from "../../ui/useAsync";
import { taskHref } from "../../app/router";
import { leadApi } from "./leadApi";
import { ErrorNote, LoadError } from "../../ui/Alert";
import { Panel } from "../../ui/Panel";
import { useAction } from "../../ui/useAction";

/** Disputed catches awaiting a lead's verdict, oldest first; a verdict needs a note and removes it from the list. */
export function DisputesPanel() {
  const [reloads, setReloads] = useState(0);
  const list = useAsync(`disputed:${reloads}`, (signal) => leadApi.disputed(signal));
  return (
    <Panel id="disputes-title" title="Disputes" testId="disputes" aside={<span className="muted">{list.data ? `${list.data.length} awaiting a verdict` : ""}</span>}>
      <div className="panel-body">
        <LoadError state={list} />
        {list.data && list.data.length === 0 && <p className="muted">No disputes waiting.</p>}
        <ul className="catch-list">
          {(list.data ?? []).map((c) => (
            <DisputeItem key={c.id} c={c} onResolved={() => setReloads((n) => n + 1)} />
          ))}
        </ul>
      </div>
    </Panel>
  );
}

function DisputeItem({ c, onResolved }: { c: CatchView; onResolved(): void }) {
  const [note, setNote] = useState("");
  const { busy, error, run } = useAction();
  const dispute = c.disputes.find((d) => d.resolution === null);
  const resolve = async (r: Resolution) => {
    if (await run(() => reviewApi.resolve(c.id, r, note.trim()))) onResolved();
  };
  return (
    <li className="catch-card">
      <div className="catch-head">
        <strong>{CATCH_KIND_LABELS[c.kind]}</strong>
        <Link href={taskHref(c.taskId)}>Open task</Link>
      </div>
      <p className="catch-note">
        {c.reviewer.name}: {c.note}
      </p>
      {dispute && (
        <p className="muted">
          {dispute.raisedBy.name} disputes ({formatDateTime(dispute.createdAt)}): {dispute.reason}
        </p>
      )}
      {/* The server decides who may rule on this catch (not a party to it). */}
      {c.mayResolve ? (
        <div className="catch-actions">
          <textarea aria-label="Verdict note" rows={2} maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} />
          <button type="button" className="btn" disabled={busy || !note.trim()} onClick={() => void resolve("upheld")}>
            Uphold
          </button>
          <button type="button" className="btn" disabled={busy || !note.trim()} onClick={() => void resolve("overturned")}>
            Overturn
          </button>
        </div>
      ) : (
        <p className="muted">You are a party to this catch: another lead rules on it.</p>
      )}
      <ErrorNote message={error} />
    </li>
  );
}
