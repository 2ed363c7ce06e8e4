import { useEffect, useId, useRef, type ReactNode } from "react";
import { ErrorNote } from "./Alert";

type Props = {
  title: string;
  children?: ReactNode;
  confirmLabel: string;
  /** False keeps the confirm button disabled (a required reason missing, a check not ticked). */
  canConfirm?: boolean;
  busy?: boolean;
  error?: string | null;
  danger?: boolean;
  onConfirm(): void;
  onCancel(): void;
};

/**
 * A modal question before an action that cannot be taken back (submit, reject). Focus moves into it, Esc cancels,
 * Tab stays inside; the page behind is inert while it is open.
 */
export function ConfirmDialog({ title, children, confirmLabel, canConfirm = true, busy = false, error, danger, onConfirm, onCancel }: Props) {
  const titleId = useId();
  const boxRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const box = boxRef.current;
    const first = box?.querySelector<HTMLElement>("textarea, input, select, button:not([disabled])");
    first?.focus();
  }, []);
  const onKeyDown = (e: React.KeyboardEvent) => {
    // The page's own shortcuts (the room's letter keys) must not act behind the dialog.
    e.stopPropagation();
    if (e.key === "Escape") {
      e.preventDefault();
      onCancel();
      return;
    }
    if (e.key !== "Tab" || !boxRef.current) return;
    const focusable = [...boxRef.current.querySelectorAll<HTMLElement>("textarea, input, select, button:not([disabled]), a[href]")];
    if (focusable.length === 0) return;
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last?.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first?.focus();
    }
  };
  return (
    <div className="dialog-backdrop">
      <div className="dialog card" role="dialog" aria-modal="true" aria-labelledby={titleId} ref={boxRef} onKeyDown={onKeyDown}>
        <h2 id={titleId}>{title}</h2>
        {children}
        <ErrorNote message={error ?? null} />
        <div className="dialog-buttons">
          <button type="button" className="btn" onClick={onCancel} disabled={busy}>
            Cancel
          </button>
          <button type="button" className={danger ? "btn btn-danger" : "btn btn-primary"} onClick={onConfirm} disabled={busy || !canConfirm}>
            {busy ? "Working…" : confirmLabel}
          </button>
        </div>
      </div>
    </div>
  );
}
