import { describe, expect, it } from "vitest";
import { SHORTCUTS, SHORTCUT_IDS, shortcutFor } from "./shortcuts";

const press = (key: string, target: EventTarget, init: KeyboardEventInit = {}) => {
  const e = new KeyboardEvent("keydown", { key, bubbles: true, ...init });
  Object.defineProperty(e, "target", { value: target });
  return e;
};

describe("room shortcuts", () => {
  const body = document.body;
  const input = document.createElement("textarea");
  const editor = document.createElement("div");
  editor.setAttribute("contenteditable", "true");
  const locked = (t: EventTarget | null) => t === editor;

  it("documents every action exactly once", () => {
    expect(SHORTCUTS.map((s) => s.id).sort()).toEqual([...SHORTCUT_IDS].sort());
  });

  it("dispatches single keys outside text fields", () => {
    expect(shortcutFor(press("c", body), locked)?.id).toBe("addCritique");
    expect(shortcutFor(press("ArrowLeft", body, { shiftKey: true }), locked)?.id).toBe("tenBack");
    expect(shortcutFor(press("ArrowLeft", body), locked)?.id).toBe("frameBack");
    expect(shortcutFor(press("N", body, { shiftKey: true }), locked)?.id).toBe("prevItem");
    expect(shortcutFor(press("?", body, { shiftKey: true }), locked)?.id).toBe("help");
  });

  it("leaves typing alone except Esc and Alt+C", () => {
    expect(shortcutFor(press("c", input), locked)).toBeNull();
    expect(shortcutFor(press("Escape", input), locked)?.id).toBe("escape");
    expect(shortcutFor(press("ç", input, { altKey: true, code: "KeyC" }), locked)?.id).toBe("addCritique");
  });

  it("in the locked draft, letters act and selection keys stay the editor's", () => {
    expect(shortcutFor(press("c", editor), locked)?.id).toBe("addCritique");
    expect(shortcutFor(press("ArrowRight", editor, { shiftKey: true }), locked)).toBeNull();
    expect(shortcutFor(press("c", editor), () => false)).toBeNull();
  });
});
