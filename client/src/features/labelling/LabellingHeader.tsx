import type { AspectSpec } from "../../../../shared/captionSpec/schema";
import { ASPECT_LABELS } from "../../../../shared/domain";
import { ErrorNote } from "../../ui/Alert";
import { SaveStatus } from "./PanelParts";
import type { FinishLabelling } from "./useFinishLabelling";
import type { LabelDraft } from "./useLabelDraft";

/** The panel's title, save state, Save and Finish labelling, and why the labels are read-only or were not saved. */
export function LabellingHeader({ aspect, draft, finish }: { aspect: AspectSpec; draft: LabelDraft; finish: FinishLabelling }) {
  const { saved, dirty, saving, editable, validation, saveError } = draft;
  return (
    <>
      <header className="labelling-head">
        <h2>
          Primitives <span className="muted">· {ASPECT_LABELS[aspect.aspect]}</span>
        </h2>
        <SaveStatus saved={saved} dirty={dirty} saving={saving} />
        {editable && (
          <button
            type="button"
            className={finish.offered ? "btn" : "btn btn-primary"}
            onClick={() => void draft.save()}
            disabled={!dirty || saving || !validation.canSave}
            title={validation.canSave ? "Save (Ctrl+S)" : "Fix the errors first"}
          >
            {saving ? "Saving…" : "Save"} <kbd>Ctrl+S</kbd>
          </button>
        )}
        {finish.offered && (
          <button
            type="button"
            className="btn btn-primary"
            data-testid="finish-labelling"
            onClick={finish.finish}
            disabled={!finish.ready}
            title={finish.ready ? "Save the labels and ask the model for the draft (Ctrl+Enter)" : finish.blocker}
          >
            {finish.busy ? "Finishing…" : "Finish labelling"} <kbd>Ctrl+Enter</kbd>
          </button>
        )}
      </header>
      <ErrorNote message={finish.error} />
      {!editable && saved.readOnlyReason && (
        <p className="labelling-readonly" role="note">
          Read only: {saved.readOnlyReason}
        </p>
      )}
      {saveError && (
        <p className="alert alert-error" role="alert">
          {saveError}
        </p>
      )}
    </>
  );
}
