import type { AspectSpec } from "../../../../shared/captionSpec/schema";
import { ASPECT_LABELS } from "../../../../shared/domain";
import { SaveStatus } from "./PanelParts";
import type { LabelDraft } from "./useLabelDraft";

/** The panel's title, save state and Save button, and why the labels are read-only or were not saved. */
export function LabellingHeader({ aspect, draft }: { aspect: AspectSpec; draft: LabelDraft }) {
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
            className="btn btn-primary"
            onClick={() => void draft.save()}
            disabled={!dirty || saving || !validation.canSave}
            title={validation.canSave ? "Save (Ctrl+S)" : "Fix the errors first"}
          >
            {saving ? "Saving…" : "Save"} <kbd>Ctrl+S</kbd>
          </button>
        )}
      </header>
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
