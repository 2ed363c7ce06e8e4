import { useEffect, useState } from "react";
import type { LabelsResponse } from "../../../../shared/api/labels";
import { errorMessage, isAbort } from "../../app/api";
import type { PlayerHandle } from "../player/types";
import { useSpec } from "../spec/useSpec";
import { LabellingEditor } from "./LabellingEditor";
import { labelsApi } from "./labelsApi";

type Props = { taskId: string; player: PlayerHandle | null; canFinish: boolean; onFinished(): void };

/** The first stage of a task: tag which spec primitives hold in the clip. Loads the spec and the saved labels. */
export function LabellingPanel({ taskId, player, canFinish, onFinished }: Props) {
  const spec = useSpec();
  const [loaded, setLoaded] = useState<LabelsResponse | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);

  useEffect(() => {
    const ctrl = new AbortController();
    labelsApi.get(taskId, ctrl.signal).then(setLoaded, (err: unknown) => {
      if (!isAbort(err)) setLoadError(errorMessage(err));
    });
    return () => ctrl.abort();
  }, [taskId]);

  if (loadError || spec.status === "error") {
    return (
      <p className="alert alert-error" role="alert">
        {loadError ?? (spec.status === "error" ? spec.message : "")}
      </p>
    );
  }
  if (!loaded || spec.status !== "ready") return <p className="muted">Loading labels…</p>;
  const aspect = spec.spec.aspects.find((a) => a.aspect === loaded.aspect);
  if (!aspect) return <p className="alert alert-error">The spec has no {loaded.aspect} aspect.</p>;
  return <LabellingEditor key={taskId} spec={spec.spec} aspect={aspect} initial={loaded} player={player} canFinish={canFinish} onFinished={onFinished} />;
}
