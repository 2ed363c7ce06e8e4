import { useEffect, useMemo, useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from "react";
import { ASPECTS, type Aspect } from "../../../../shared/domain";
import type { Primitive, Spec } from "../../../../shared/captionSpec/schema";
import { isTypingTarget } from "../../ui/keys";
import { isModifiedClick } from "../../app/router";
import { kindLabel } from "./format";
import { specHref } from "./links";
import { filterSpec, flatten } from "./search";
import "./spec.css";

type Props = {
  spec: Spec;
  /** The primitive shown in the detail pane (from the URL). */
  selectedId: string | null;
  onSelect(id: string): void;
};

/**
 * The caption spec, browsable: aspects → sub-aspects → primitives on the left, the selected primitive on the right.
 * Keyboard: `/` focuses search, ↑/↓ move through the filtered list, Enter opens.
 */
export function SpecBrowser({ spec, selectedId, onSelect }: Props) {
  const [query, setQuery] = useState("");
  const [aspect, setAspect] = useState<Aspect | null>(null);
  const groups = useMemo(() => filterSpec(spec, query, aspect), [spec, query, aspect]);
  const flat = useMemo(() => flatten(groups), [groups]);
  const [cursor, setCursor] = useState<string | null>(selectedId);
  const searchRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLDivElement>(null);
  const selected = selectedId ? spec.primitives[selectedId] : undefined;

  // The highlighted row follows the URL when it changes (a confusable link, the back button).
  useEffect(() => setCursor(selectedId), [selectedId]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey || isTypingTarget(e.target)) return;
      e.preventDefault();
      searchRef.current?.focus();
      searchRef.current?.select();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);

  useEffect(() => {
    if (!cursor) return;
    const row = Array.from(listRef.current?.querySelectorAll<HTMLElement>("[data-primitive]") ?? []).find(
      (el) => el.dataset.primitive === cursor,
    );
    row?.scrollIntoView?.({ block: "nearest" }); // optional call: jsdom has no scrollIntoView
  }, [cursor]);

  const onListKey = (e: ReactKeyboardEvent) => {
    if (e.key !== "ArrowDown" && e.key !== "ArrowUp" && e.key !== "Enter") return;
    if (flat.length === 0) return;
    e.preventDefault();
    const at = flat.findIndex((p) => p.id === cursor);
    if (e.key === "Enter") {
      const target = flat[at] ?? flat[0];
      if (target) onSelect(target.id);
      return;
    }
    const next = e.key === "ArrowDown" ? Math.min(at + 1, flat.length - 1) : Math.max(at - 1, 0);
    setCursor(flat[at === -1 ? 0 : next]?.id ?? null);
  };

  return (
    <div className="spec-browser">
      <div className="spec-toolbar" onKeyDown={onListKey}>
        <input
          ref={searchRef}
          type="search"
          className="spec-search"
          aria-label="Search the spec"
          placeholder="Search ids, labels and definitions  ( / )"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
        <div className="spec-aspects" role="group" aria-label="Filter by aspect">
          <button type="button" aria-pressed={aspect === null} onClick={() => setAspect(null)}>
            All
          </button>
          {ASPECTS.map((a) => (
            <button key={a} type="button" aria-pressed={aspect === a} onClick={() => setAspect(a)}>
              {spec.aspects.find((s) => s.aspect === a)?.label ?? a}
            </button>
          ))}
        </div>
        <span className="spec-count" aria-live="polite">
          {flat.length} primitive{flat.length === 1 ? "" : "s"} · spec {spec.version}
        </span>
      </div>
      <div className="spec-body">
        <div className="spec-list" ref={listRef} tabIndex={0} onKeyDown={onListKey} aria-label="Primitives">
          {groups.length === 0 && <p className="spec-empty">Nothing matches “{query}”.</p>}
          {groups.map((g) => (
            <section key={g.aspect.aspect}>
              <h2>{g.aspect.label}</h2>
              {g.subAspects.map(({ subAspect, primitives }) => (
                <section key={subAspect.id}>
                  <h3 title={subAspect.description}>
                    {subAspect.label} <span className="spec-kind">{kindLabel(subAspect.value)}</span>
                  </h3>
                  <ul>
                    {primitives.map((p) => (
                      <li key={p.id}>
                        <a
                          href={specHref(p.id)}
                          data-primitive={p.id}
                          className={[p.id === cursor ? "cursor" : "", p.id === selectedId ? "selected" : ""].join(" ")}
                          aria-current={p.id === selectedId ? "true" : undefined}
                          onClick={(e) => {
                            if (isModifiedClick(e)) return;
                            e.preventDefault();
                            setCursor(p.id);
                            onSelect(p.id);
                          }}
                        >
                          {p.label}
                        </a>
                      </li>
                    ))}
                  </ul>
                </section>
              ))}
            </section>
          ))}
        </div>
        <div className="spec-detail">
          {selected ? (
            <PrimitiveDetail spec={spec} primitive={selected} onSelect={onSelect} />
          ) : selectedId ? (
            <p>No primitive “{selectedId}” in spec {spec.version}.</p>
          ) : (
            <p className="spec-hint">Choose a primitive. Press / to search, ↑/↓ to move, Enter to open.</p>
          )}
        </div>
      </div>
    </div>
  );
}

export function PrimitiveDetail({ spec, primitive, onSelect }: { spec: Spec; primitive: Primitive; onSelect(id: string): void }) {
  const subAspect = spec.aspects.flatMap((a) => a.subAspects).find((s) => s.id === primitive.subAspect);
  return (
    <article className="primitive-detail" aria-label={primitive.label}>
      <h2>{primitive.label}</h2>
      <p className="primitive-id">
        <code>{primitive.id}</code> · {subAspect?.label ?? primitive.subAspect} · {kindLabel(primitive.value)}
        {primitive.needsDescription && " · needs a description"}
      </p>
      <p className="primitive-definition">{primitive.definition}</p>
      <dl>
        <dt>Applies when</dt>
        <dd>{primitive.rule.applies}</dd>
        <dt>Does not apply when</dt>
        <dd>{primitive.rule.doesNotApply}</dd>
        <dt>Caption phrasing</dt>
        <dd>
          <q>{primitive.phrasing}</q>
        </dd>
        {primitive.avoid.length > 0 && (
          <>
            <dt>Terms to avoid</dt>
            <dd className="primitive-avoid">
              {primitive.avoid.map((t) => (
                <s key={t}>{t}</s>
              ))}
            </dd>
          </>
        )}
        {primitive.confusables.length > 0 && (
          <>
            <dt>Often confused with</dt>
            <dd>
              <ul className="primitive-confusables">
                {primitive.confusables.map((id) => (
                  <li key={id}>
                    <a
                      href={specHref(id)}
                      onClick={(e) => {
                        if (isModifiedClick(e)) return;
                        e.preventDefault();
                        onSelect(id);
                      }}
                    >
                      {spec.primitives[id]?.label ?? id}
                    </a>{" "}
                    <code>{id}</code>
                  </li>
                ))}
              </ul>
            </dd>
          </>
        )}
        {primitive.note && (
          <>
            <dt>Note</dt>
            <dd>{primitive.note}</dd>
          </>
        )}
      </dl>
    </article>
  );
}
