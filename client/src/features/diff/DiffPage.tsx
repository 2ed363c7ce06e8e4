import { useRef, useState } from "react";
import type { DiffOption } from "../../../../shared/api/training";
import { errorMessage } from "../../app/api";
import { Link } from "../../ui/Link";
import { useAsync } from "../../ui/useAsync";
import { taskHref } from "../../app/router";
import { trainingApi } from "../training/trainingApi";
import { diffApi } from "./diffApi";
import { DiffView } from "./DiffView";
import { LoadError, Notice, type NoticeText } from "../../ui/Alert";
import { labelOf } from "../../ui/format";
import { ASPECT_LABELS } from "../../../../shared/domain";
import { PageHead } from "../../ui/PageHead";

type Choice = { kind: DiffOption["kind"]; k?: number; other?: string };

const choiceKey = (c: Choice) => `${c.kind}:${c.k ?? ""}:${c.other ?? ""}`;

/** The lead's side-by-side comparison of one task: pick what to compare; click a time to jump the clip there. */
export function DiffPage({ taskId }: { taskId: string }) {
  const [choice, setChoice] = useState<Choice>({ kind: "pre_post" });
  const state = useAsync(`${taskId}|${choiceKey(choice)}`, (signal) => diffApi.diff(taskId, choice, signal));
  const video = useRef<HTMLVideoElement | null>(null);
  const diff = state.data;
  const [goldNotice, setGoldNotice] = useState<NoticeText | null>(null);
  const makeGold = () =>
    trainingApi.markGold(taskId).then(
      (r) => setGoldNotice({ kind: "info", text: `Gold task: its ${r.goldItems} critique items are now an answer key.` }),
      (err: unknown) => setGoldNotice({ kind: "error", text: errorMessage(err) }),
    );

  const seek = (t: number) => {
    const v = video.current;
    if (!v) return;
    v.currentTime = t;
    v.scrollIntoView?.({ block: "nearest" });
  };

  return (
    <main className="page diff-page">
      <PageHead
        title="Side-by-side diff"
        intro={
          <>
            {diff ? `${diff.video.title} · ${labelOf(ASPECT_LABELS, diff.aspect)}` : "Loading…"} · <Link href={taskHref(taskId)}>open the task</Link>
          </>
        }
      >
        {diff && (
          <div className="diff-actions">
          <button type="button" className="btn" onClick={() => void makeGold()} title="Use this approved task's critique as an exam answer key">
            Make gold
          </button>
          <label className="diff-picker">
            Compare{" "}
            <select
              value={choiceKey(choice)}
              onChange={(e) => {
                const o = diff.options.find((x) => choiceKey(x) === e.target.value);
                if (o) setChoice({ kind: o.kind, k: o.k, other: o.other });
              }}
            >
              {diff.options.map((o) => (
                <option key={choiceKey(o)} value={choiceKey(o)}>
                  {o.label}
                </option>
              ))}
            </select>
          </label>
          </div>
        )}
      </PageHead>
      <Notice notice={goldNotice} />
      <LoadError state={state} />
      {diff && (
        <div className="diff-layout">
          <video ref={video} className="diff-video" src={diff.video.url} controls preload="metadata" data-testid="diff-video" />
          <DiffView left={diff.left} right={diff.right} onSeek={seek} />
        </div>
      )}
    </main>
  );
}
