import type { KeyboardEvent, MouseEvent, ReactNode } from "react";
import { isModifiedClick, navigate } from "../../app/router";

/**
 * Small hand-written SVG charts for the leads' dashboard: no chart library, fixed view boxes that scale with the
 * container, a title and an accessible summary per chart. A bar or point with an `href` is a link (the tasks
 * behind it): focusable, opened by click or Enter, named by its aria-label.
 */

export const PALETTE = ["#2f5bea", "#d9480f", "#2b8a3e", "#ae3ec9", "#e8a200", "#0b7285", "#c2255c", "#5c677d"];

export type Series = { name: string; points: { x: string; y: number | null; href?: string }[] };

/** An SVG link around a mark; without an href the mark is drawn as it is. */
function MarkLink({ href, label, children }: { href: string | undefined; label: string; children: ReactNode }) {
  if (!href) return <>{children}</>;
  const open = (e: MouseEvent) => {
    if (isModifiedClick(e)) return;
    e.preventDefault();
    navigate(href);
  };
  const key = (e: KeyboardEvent) => {
    if (e.key !== "Enter") return;
    e.preventDefault();
    navigate(href);
  };
  return (
    <a href={href} className="chart-link" tabIndex={0} aria-label={`Open the tasks behind ${label}`} onClick={open} onKeyDown={key}>
      {children}
    </a>
  );
}

/** A chart whose marks are links is a group of links, not an image (an image hides its children from readers). */
const svgRole = (linked: boolean) => (linked ? "group" : "img");

const W = 480;
const H = 200;
const PAD = { left: 40, right: 16, top: 10, bottom: 30 };

function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  const m = v / p;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

/** Up to six ticks at a round step (1, 2, 2.5, 5 × 10^k) from 0 to max. */
function ticks(max: number): number[] {
  const raw = max / 4;
  const p = 10 ** Math.floor(Math.log10(raw));
  // The first round step that cuts [0, max] into at most five whole intervals (max comes from niceMax).
  const step =
    [1, 2, 2.5, 5, 10, 20, 25, 50]
      .map((m) => m * p)
      .find((s) => max / s <= 5 + 1e-9 && Math.abs(Math.round(max / s) - max / s) < 1e-9) ?? max / 4;
  const out: number[] = [];
  for (let v = 0; v <= max + step / 1e6; v += step) out.push(Math.round(v * 1e6) / 1e6);
  return out;
}
/** "2026-11-24" → "11-24"; "2026-11-24 13:00" → "11-24 13h". */
const shortX = (k: string) => {
  const m = /^\d{4}-(\d{2}-\d{2})(?:[ T](\d{2}):\d{2})?$/.exec(k);
  return m ? (m[2] ? `${m[1]} ${m[2]}h` : (m[1] ?? k)) : k;
};
const fmt = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(v < 1 ? 2 : 1));

function YAxis({ max, y }: { max: number; y: (v: number) => number }) {
  return (
    <g className="axis">
      {ticks(max).map((t) => (
        <g key={t}>
          <line x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} className="grid" />
          <text x={PAD.left - 6} y={y(t) + 4} textAnchor="end">
            {fmt(t)}
          </text>
        </g>
      ))}
    </g>
  );
}

function Legend({ names }: { names: string[] }) {
  return (
    <ul className="chart-legend">
      {names.map((n, i) => (
        <li key={n}>
          <span className="swatch" style={{ background: PALETTE[i % PALETTE.length] }} />
          {n}
        </li>
      ))}
    </ul>
  );
}

function Empty({ title }: { title: string }) {
  return (
    <figure className="chart chart-empty">
      <figcaption>{title}</figcaption>
      <p className="muted">No data yet.</p>
    </figure>
  );
}

/** Stacked bars: one bar per category, one segment per series. */
export function StackedBars({ title, categories, series, testId }: { title: string; categories: string[]; series: { name: string; values: number[]; hrefs?: (string | undefined)[] }[]; testId?: string }) {
  if (categories.length === 0 || series.length === 0) return <Empty title={title} />;
  const totals = categories.map((_, i) => series.reduce((s, x) => s + (x.values[i] ?? 0), 0));
  const max = niceMax(Math.max(...totals));
  const y = (v: number) => PAD.top + (H - PAD.top - PAD.bottom) * (1 - v / max);
  const band = (W - PAD.left - PAD.right) / categories.length;
  const bw = Math.min(56, band * 0.6);
  return (
    <figure className="chart" data-testid={testId}>
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role={svgRole(series.some((s) => s.hrefs?.some(Boolean)))} aria-label={title}>
        <YAxis max={max} y={y} />
        {categories.map((c, i) => {
          let acc = 0;
          const x = PAD.left + band * i + (band - bw) / 2;
          return (
            <g key={c}>
              {series.map((s, si) => {
                const v = s.values[i] ?? 0;
                if (v <= 0) return null;
                const top = y(acc + v);
                const h = y(acc) - top;
                acc += v;
                return (
                  <MarkLink key={s.name} href={s.hrefs?.[i]} label={`${c} · ${s.name}: ${v}`}>
                    <rect x={x} y={top} width={bw} height={h} fill={PALETTE[si % PALETTE.length]} data-testid="chart-bar">
                      <title>{`${c} · ${s.name}: ${v}`}</title>
                    </rect>
                  </MarkLink>
                );
              })}
              {i % Math.max(1, Math.ceil(categories.length / 8)) === 0 && (
                <text x={x + bw / 2} y={H - PAD.bottom + 16} textAnchor="middle" className="label">
                  {c}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <Legend names={series.map((s) => s.name)} />
    </figure>
  );
}

/** Lines over an ordered x axis (days, weeks); gaps where a value is null. */
export function LineChart({ title, series, yMax, testId }: { title: string; series: Series[]; yMax?: number; testId?: string }) {
  const xs = [...new Set(series.flatMap((s) => s.points.map((p) => p.x)))].sort();
  const values = series.flatMap((s) => s.points.map((p) => p.y ?? 0));
  if (xs.length === 0) return <Empty title={title} />;
  const max = yMax ?? niceMax(Math.max(0, ...values));
  const y = (v: number) => PAD.top + (H - PAD.top - PAD.bottom) * (1 - v / max);
  const x = (k: string) => {
    const i = xs.indexOf(k);
    return xs.length === 1 ? (PAD.left + W - PAD.right) / 2 : PAD.left + ((W - PAD.left - PAD.right) * i) / (xs.length - 1);
  };
  const every = Math.max(1, Math.ceil(xs.length / 6));
  return (
    <figure className="chart" data-testid={testId}>
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role={svgRole(series.some((s) => s.points.some((p) => p.href)))} aria-label={title}>
        <YAxis max={max} y={y} />
        {xs.map((k, i) =>
          i % every === 0 ? (
            <text key={k} x={x(k)} y={H - PAD.bottom + 16} textAnchor={xs.length > 1 && i === 0 ? "start" : i === xs.length - 1 && xs.length > 1 ? "end" : "middle"} className="label">
              {shortX(k)}
            </text>
          ) : null,
        )}
        {series.map((s, si) => {
          const colour = PALETTE[si % PALETTE.length];
          const pts = xs.map((k) => s.points.find((p) => p.x === k)?.y ?? null);
          const hrefs = xs.map((k) => s.points.find((p) => p.x === k)?.href);
          const segments: string[] = [];
          let current = "";
          pts.forEach((v, i) => {
            const k = xs[i] ?? "";
            if (v === null) {
              if (current) segments.push(current);
              current = "";
            } else current += `${current ? "L" : "M"}${x(k).toFixed(1)},${y(v).toFixed(1)}`;
          });
          if (current) segments.push(current);
          return (
            <g key={s.name}>
              {segments.map((d, i) => (
                <path key={i} d={d} fill="none" stroke={colour} strokeWidth={2} />
              ))}
              {pts.map((v, i) =>
                v === null ? null : (
                  <MarkLink key={i} href={hrefs[i]} label={`${s.name} · ${xs[i]}: ${fmt(v)}`}>
                    {/* A wider invisible target: a 3-pixel dot is hard to hit. */}
                    {hrefs[i] && <circle cx={x(xs[i] ?? "")} cy={y(v)} r={8} className="hit" />}
                    <circle cx={x(xs[i] ?? "")} cy={y(v)} r={3} fill={colour} data-testid="chart-point">
                      <title>{`${s.name} · ${xs[i]}: ${fmt(v)}`}</title>
                    </circle>
                  </MarkLink>
                ),
              )}
            </g>
          );
        })}
      </svg>
      <Legend names={series.map((s) => s.name)} />
    </figure>
  );
}

/** Horizontal bars with a value label; `min` allows negative values (alpha can be below 0). */
export function HBars({ title, rows, max, min = 0, unit = "", testId }: { title: string; rows: { label: string; value: number | null; note?: string; href?: string }[]; max?: number; min?: number; unit?: string; testId?: string }) {
  if (rows.length === 0) return <Empty title={title} />;
  const top = max ?? niceMax(Math.max(0, ...rows.map((r) => r.value ?? 0)));
  const rowH = 22;
  const h = rows.length * rowH + 24;
  const left = 170;
  const right = W - 60;
  const x = (v: number) => left + ((right - left) * (v - min)) / (top - min);
  return (
    <figure className="chart" data-testid={testId}>
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${W} ${h}`} role={svgRole(rows.some((r) => r.href))} aria-label={title}>
        <line x1={x(0)} x2={x(0)} y1={4} y2={h - 20} className="grid" />
        {rows.map((r, i) => {
          const yy = 8 + i * rowH;
          const v = r.value;
          return (
            <g key={r.label}>
              <text x={left - 8} y={yy + 13} textAnchor="end" className="label">
                {r.label.length > 26 ? `${r.label.slice(0, 25)}…` : r.label}
              </text>
              {v !== null && (
                <MarkLink href={r.href} label={`${r.label}: ${fmt(v)}${unit}${r.note ? ` (${r.note})` : ""}`}>
                  <rect x={Math.min(x(0), x(v))} y={yy + 2} width={Math.max(1, Math.abs(x(v) - x(0)))} height={rowH - 8} fill={v < 0 ? "#c62f3b" : PALETTE[0]} data-testid="chart-bar">
                    <title>{`${r.label}: ${fmt(v)}${unit}${r.note ? ` (${r.note})` : ""}`}</title>
                  </rect>
                </MarkLink>
              )}
              <text x={v === null ? x(0) + 4 : Math.max(x(0), x(v)) + 4} y={yy + 13} className="value">
                {v === null ? "n/a" : `${fmt(v)}${unit}`}
              </text>
            </g>
          );
        })}
        <text x={left} y={h - 4} className="label">
          {fmt(min)}
        </text>
        <text x={right} y={h - 4} textAnchor="end" className="label">
          {fmt(top)}
        </text>
      </svg>
    </figure>
  );
}
