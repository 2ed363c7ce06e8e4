/** True when a key press belongs to a text field, so single-letter shortcuts must leave it alone. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === "TEXTAREA" || tag === "SELECT") return true;
  if (tag !== "INPUT") return false;
  const type = (target as HTMLInputElement).type;
  return !["button", "checkbox", "radio", "range", "submit", "reset", "color", "file"].includes(type);
}

export const hasModifier = (e: KeyboardEvent) => e.ctrlKey || e.metaKey || e.altKey;

/** A focused control whose own action Space is (press a button, tick a box, pick a radio): page shortcuts leave it. */
export function ownsSpace(target: EventTarget | null): boolean {
  if (target instanceof HTMLButtonElement || target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLInputElement && ["button", "checkbox", "radio", "submit", "reset"].includes(target.type);
}
