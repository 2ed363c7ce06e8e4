import { useEffect, useRef } from "react";
import { SHORTCUTS, type Shortcut } from "./shortcuts";

/** The `?` overlay: every shortcut of the room, generated from the same table the key handler uses. */
export function HelpOverlay({ onClose }: { onClose(): void }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), []);
  const groups = new Map<Shortcut["group"], Shortcut[]>();
  for (const s of SHORTCUTS) groups.set(s.group, [...(groups.get(s.group) ?? []), s]);
  return (
    <div className="help-backdrop" onClick={onClose}>
      <div
        className="help"
        role="dialog"
        aria-modal="true"
        aria-label="Keyboard shortcuts"
        tabIndex={-1}
        ref={ref}
        onClick={(e) => e.stopPropagation()}
        data-testid="help-overlay"
      >
        <header>
          <h2>Keyboard shortcuts</h2>
          <button type="button" className="btn btn-small" onClick={onClose}>
            Close <kbd>Esc</kbd>
          </button>
        </header>
        <div className="help-grid">
          {[...groups].map(([group, list]) => (
            <section key={group}>
              <h3>{group}</h3>
              <dl>
                {list.map((s) => (
                  <div key={s.id}>
                    <dt>
                      {s.keys.map((k, i) => (
                        <kbd key={i}>{k}</kbd>
                      ))}
                    </dt>
                    <dd>{s.description}</dd>
                  </div>
                ))}
              </dl>
            </section>
          ))}
        </div>
        <p className="muted">In the draft, letter keys act while its text is locked; select words with Shift+arrows or the mouse.</p>
      </div>
    </div>
  );
}
