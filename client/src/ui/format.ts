const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Pure: "just now", "5 min ago", "3 h ago", "yesterday", "4 d ago", then a date. */
export function formatRelative(iso: string, now: number = Date.now()): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return "—";
  const ago = now - at;
  if (ago < MINUTE) return "just now";
  if (ago < HOUR) return `${Math.floor(ago / MINUTE)} min ago`;
  if (ago < DAY) return `${Math.floor(ago / HOUR)} h ago`;
  if (ago < 2 * DAY) return "yesterday";
  if (ago < 7 * DAY) return `${Math.floor(ago / DAY)} d ago`;
  return new Date(at).toLocaleDateString(undefined, { year: "numeric", month: "short", day: "numeric" });
}

export const formatDateTime = (iso: string) => {
  const at = Date.parse(iso);
  return Number.isNaN(at) ? "—" : new Date(at).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
};

/** The display label of a value the API types as a plain string; an unknown value shows as itself. */
export function labelOf<K extends string>(labels: Record<K, string>, key: string): string {
  return Object.hasOwn(labels, key) ? labels[key as K] : key;
}
