import { isTypingTarget, ownsSpace } from "../../ui/keys";

/**
 * Every keyboard action of the room, in one table: the key handler dispatches from it and the help overlay (`?`)
 * lists it, so a shortcut cannot exist without being documented.
 */
export const SHORTCUT_IDS = [
  "playPause",
  "shuttleBack",
  "shuttleForward",
  "frameBack",
  "frameForward",
  "tenBack",
  "tenForward",
  "toStart",
  "toEnd",
  "slower",
  "faster",
  "loop",
  "addCritique",
  "markIn",
  "markOut",
  "nextItem",
  "prevItem",
  "editItem",
  "deleteItem",
  "focusDraft",
  "follow",
  "score",
  "help",
  "escape",
] as const;
export type ShortcutId = (typeof SHORTCUT_IDS)[number];

export type Shortcut = {
  id: ShortcutId;
  group: "Playback" | "Critique" | "Together" | "General";
  keys: string[];
  description: string;
  /** Also fires while the caret is in the draft when its text is locked (selection keys stay the editor's). */
  inLockedEditor: boolean;
  match(e: KeyboardEvent): boolean;
};

const key = (k: string, shift = false) => (e: KeyboardEvent) =>
  e.key.toLowerCase() === k.toLowerCase() && e.shiftKey === shift && !e.ctrlKey && !e.metaKey && !e.altKey;
const plain = (k: string) => (e: KeyboardEvent) => e.key === k && !e.ctrlKey && !e.metaKey && !e.altKey;

export const SHORTCUTS: readonly Shortcut[] = [
  { id: "playPause", group: "Playback", keys: ["Space", "K"], description: "Play / pause", inLockedEditor: true, match: (e) => key(" ")(e) || key("k")(e) },
  { id: "shuttleBack", group: "Playback", keys: ["J"], description: "Shuttle backwards (press again: faster)", inLockedEditor: true, match: key("j") },
  { id: "shuttleForward", group: "Playback", keys: ["L"], description: "Shuttle forwards (press again: faster)", inLockedEditor: true, match: key("l") },
  { id: "frameBack", group: "Playback", keys: ["←"], description: "One frame back", inLockedEditor: false, match: key("ArrowLeft") },
  { id: "frameForward", group: "Playback", keys: ["→"], description: "One frame forward", inLockedEditor: false, match: key("ArrowRight") },
  { id: "tenBack", group: "Playback", keys: ["Shift", "←"], description: "Ten frames back", inLockedEditor: false, match: key("ArrowLeft", true) },
  { id: "tenForward", group: "Playback", keys: ["Shift", "→"], description: "Ten frames forward", inLockedEditor: false, match: key("ArrowRight", true) },
  { id: "toStart", group: "Playback", keys: ["Home"], description: "Go to the first frame", inLockedEditor: false, match: key("Home") },
  { id: "toEnd", group: "Playback", keys: ["End"], description: "Go to the last frame", inLockedEditor: false, match: key("End") },
  { id: "slower", group: "Playback", keys: ["["], description: "Slower (down to 0.25×)", inLockedEditor: true, match: plain("[") },
  { id: "faster", group: "Playback", keys: ["]"], description: "Faster (up to 2×)", inLockedEditor: true, match: plain("]") },
  { id: "loop", group: "Playback", keys: ["R"], description: "Loop the selected item's range", inLockedEditor: true, match: key("r") },
  { id: "addCritique", group: "Critique", keys: ["C"], description: "Add a critique on the selected words (time only without a selection)", inLockedEditor: true, match: (e) => key("c")(e) || (e.altKey && e.code === "KeyC") },
  { id: "markIn", group: "Critique", keys: ["I"], description: "Set the selected item's start to the playhead", inLockedEditor: true, match: key("i") },
  { id: "markOut", group: "Critique", keys: ["O"], description: "Set the selected item's end to the playhead", inLockedEditor: true, match: key("o") },
  { id: "nextItem", group: "Critique", keys: ["N"], description: "Next item (seeks to it)", inLockedEditor: true, match: key("n") },
  { id: "prevItem", group: "Critique", keys: ["Shift", "N"], description: "Previous item", inLockedEditor: true, match: key("n", true) },
  { id: "editItem", group: "Critique", keys: ["Enter"], description: "Edit the selected item (what is wrong)", inLockedEditor: false, match: key("Enter") },
  { id: "deleteItem", group: "Critique", keys: ["Shift", "Delete"], description: "Delete the selected item", inLockedEditor: true, match: key("Delete", true) },
  { id: "focusDraft", group: "Critique", keys: ["E"], description: "Put the caret in the draft", inLockedEditor: false, match: key("e") },
  { id: "score", group: "Critique", keys: ["1 … 5"], description: "Score the draft (5 = perfect)", inLockedEditor: true, match: (e) => /^[1-5]$/.test(e.key) && !e.ctrlKey && !e.metaKey && !e.altKey },
  { id: "follow", group: "Together", keys: ["F"], description: "Follow the next participant's playhead (again: next / stop)", inLockedEditor: true, match: key("f") },
  { id: "help", group: "General", keys: ["?"], description: "Show / hide this help", inLockedEditor: true, match: (e) => e.key === "?" },
  { id: "escape", group: "General", keys: ["Esc"], description: "Close help, leave a field, deselect", inLockedEditor: true, match: (e) => e.key === "Escape" },
];

export type Handlers = Partial<Record<ShortcutId, (e: KeyboardEvent) => void>>;

/**
 * The shortcut a key press triggers, or null. In text fields only Esc and Alt+C act; in the locked draft the
 * letter keys act and the selection keys (arrows, Home/End) stay the editor's.
 */
export function shortcutFor(e: KeyboardEvent, lockedEditor: (target: EventTarget | null) => boolean): Shortcut | null {
  if (e.isComposing) return null;
  const inLocked = lockedEditor(e.target);
  const editable = e.target instanceof HTMLElement && e.target.closest('[contenteditable="true"]') !== null;
  const typing = !inLocked && (editable || isTypingTarget(e.target));
  for (const s of SHORTCUTS) {
    if (!s.match(e)) continue;
    if (typing && s.id !== "escape" && !(s.id === "addCritique" && e.altKey)) continue;
    if (inLocked && !s.inLockedEditor) continue;
    // A focused button, checkbox, radio or select keeps its own Space / Enter.
    if ((s.id === "playPause" && e.key === " " || s.id === "editItem") && ownsSpace(e.target)) continue;
    return s;
  }
  return null;
}
