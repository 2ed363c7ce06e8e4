import { cleanup, fireEvent, render } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { DiffSide } from "../../../../shared/api/training";
import { wordDiff } from "../../../../shared/wordDiff";
import { DiffView } from "./DiffView";
import { sideSegments } from "./diffSegments";

const side = (text: string, over: Partial<DiffSide> = {}): DiffSide => ({ label: "x", author: null, text, items: [], catches: [], ...over });

const PRE = "A man walks left to right. The camera zooms in on his face.";
const POST = "A man walks right to left. The camera dollies in on his weathered face.";

afterEach(cleanup);

/** The words of a rendered side whose every character sits inside a <del> / <ins>. */
function changedWords(root: HTMLElement, tag: "del" | "ins"): string[] {
  let text = "";
  const flags: boolean[] = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const inside = n.parentElement?.closest(tag) !== null;
    text += n.textContent ?? "";
    for (let i = 0; i < (n.textContent ?? "").length; i++) flags.push(inside);
  }
  return [...text.matchAll(/\S+/g)].filter((m) => [...m[0]].every((_, i) => flags[m.index + i])).map((m) => m[0]);
}

describe("DiffView", () => {
  it("strikes removed words on the left and marks added words on the right", () => {
    const onSeek = vi.fn();
    const { getByTestId, container } = render(
      <DiffView
        left={side(PRE, {
          label: "Pre-caption",
          items: [{ id: "i1", errorType: "wrong_term", primitiveId: null, quote: "zooms in", timeStart: 2, timeEnd: 3, what: "It is a dolly.", fix: 'Write "dollies in".' }],
          catches: [{ id: "c1", kind: "missed_error", itemId: null, quote: "left to right", timeStart: 0.5, timeEnd: 1, note: "Direction is wrong.", status: "open" }],
        })}
        right={side(POST, { label: "Post-caption" })}
        onSeek={onSeek}
      />,
    );
    const left = getByTestId("diff-text-left");
    const right = getByTestId("diff-text-right");
    expect(left.textContent).toBe(PRE);
    expect(right.textContent).toBe(POST);
    expect(changedWords(left, "del")).toEqual(["left", "right.", "zooms"]);
    expect(changedWords(right, "ins")).toEqual(["right", "left.", "dollies", "weathered"]);
    expect(left.querySelector("ins")).toBeNull();
    expect(right.querySelector("del")).toBeNull();
    expect(getByTestId("diff-stats").textContent).toBe("−3 words +4 words");

    // The critique item's quote and the catch's quote are drawn over the left text.
    const markedText = (cls: string) => [...left.querySelectorAll(`mark.${cls}`)].map((m) => m.textContent).join("");
    expect(markedText("mark-item")).toBe("zooms in");
    expect(markedText("mark-catch")).toBe("left to right");

    // Clicking a time jumps the video there.
    fireEvent.click(container.querySelector(".diff-item .time-chip")!);
    expect(onSeek).toHaveBeenCalledWith(2);
    fireEvent.click(container.querySelector("[data-testid=diff-catch] .time-chip")!);
    expect(onSeek).toHaveBeenLastCalledWith(0.5);
  });

  it("keeps the two columns' scroll positions together", () => {
    const { getByTestId } = render(<DiffView left={side(PRE)} right={side(POST)} onSeek={() => {}} />);
    const l = getByTestId("diff-scroll-left");
    const r = getByTestId("diff-scroll-right");
    for (const el of [l, r]) {
      Object.defineProperty(el, "scrollHeight", { value: 1000, configurable: true });
      Object.defineProperty(el, "clientHeight", { value: 200, configurable: true });
    }
    l.scrollTop = 400;
    fireEvent.scroll(l);
    expect(r.scrollTop).toBe(400);
  });
});

describe("sideSegments", () => {
  it("rebuilds each side exactly and cuts at marks", () => {
    const parts = wordDiff("the cat sat", "the dog sat");
    const l = sideSegments(parts, "left", [{ id: "m", quote: "cat sat" }]);
    expect(l.map((s) => s.text).join("")).toBe("the cat sat");
    expect(l.filter((s) => s.changed).map((s) => s.text.trim())).toEqual(["cat"]);
    expect(l.filter((s) => s.marks.includes("m")).map((s) => s.text).join("")).toBe("cat sat");
    const r = sideSegments(parts, "right", [{ id: "gone", quote: "cat" }]);
    expect(r.map((s) => s.text).join("")).toBe("the dog sat");
    expect(r.every((s) => s.marks.length === 0)).toBe(true);
  });
});
