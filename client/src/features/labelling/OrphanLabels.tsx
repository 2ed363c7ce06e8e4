import type { Label } from "../../../../shared/labels";

type Props = { orphans: Label[]; specVersion: string; editable: boolean; onRemove(primitiveId: string): void };

/** Labels saved against an older spec (or another aspect) have no chip to un-pick: they are listed here. */
export function OrphanLabels({ orphans, specVersion, editable, onRemove }: Props) {
  if (orphans.length === 0) return null;
  return (
    <div className="labelling-orphans" role="group" aria-label="Labels the spec no longer has">
      <p className="problem-error">These labels are not in this aspect of spec {specVersion}; remove them to save:</p>
      {orphans.map((l) => (
        <span key={l.primitiveId} className="orphan">
          <code>{l.primitiveId}</code>
          {editable && (
            <button type="button" className="btn btn-small btn-quiet" aria-label={`Remove ${l.primitiveId}`} onClick={() => onRemove(l.primitiveId)}>
              ×
            </button>
          )}
        </span>
      ))}
    </div>
  );
}
