import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { Schema, type Node as PmNode } from "@tiptap/pm/model";
import { initProseMirrorDoc } from "@tiptap/y-tiptap";
import type { CritiqueItem } from "../../../../shared/critique/items";
import { draftFragment, draftText, setDraftText } from "../../../../shared/room/document";
import { anchorFromSelection, pmPlainText, pmToText, resolveItemSpans, textToPm } from "./anchorMapping";

const schema = new Schema({
  nodes: { doc: { content: "paragraph+" }, paragraph: { content: "inline*" }, text: { group: "inline" }, hardBreak: { group: "inline", inline: true } },
});

const item = (id: string, anchor: CritiqueItem["anchor"]): CritiqueItem => ({
  id,
  errorType: "wrong_term",
  primitiveId: null,
  what: "",
  fix: "",
  anchor,
  timeStart: 1,
  timeEnd: 2,
  createdBy: "u",
  createdAt: "2026-01-01T00:00:00.000Z",
});

/** The editor's view of the Y.Doc, as y-tiptap rebuilds it after a remote change. */
const pmOf = (doc: Y.Doc): PmNode => initProseMirrorDoc(draftFragment(doc), schema).doc;

/** Edits the draft as a remote participant would: a Yjs insert/delete in the first paragraph's text. */
function editFirstParagraph(doc: Y.Doc, f: (t: Y.XmlText) => void) {
  const p = draftFragment(doc).get(0) as Y.XmlElement;
  f(p.get(0) as Y.XmlText);
}

describe("anchor ↔ editor mapping", () => {
  const text = "The camera zooms in on the man.\nHe waves with his left hand.";

  it("maps positions both ways across paragraphs", () => {
    const doc = new Y.Doc();
    setDraftText(doc, text);
    const pm = pmOf(doc);
    expect(pmPlainText(pm)).toBe(text);
    for (let i = 0; i <= text.length; i++) expect(pmToText(pm, textToPm(pm, i))).toBe(i);
    expect(pm.textBetween(textToPm(pm, text.indexOf("waves")), textToPm(pm, text.indexOf("waves") + 5))).toBe("waves");
  });

  it("turns an editor selection into an anchor the shared resolver reads, and back into the same words", () => {
    const doc = new Y.Doc();
    setDraftText(doc, text);
    const pm = pmOf(doc);
    const from = textToPm(pm, text.indexOf("left hand"));
    const anchor = anchorFromSelection(doc, pm, from, from + "left hand".length);
    expect(anchor?.quote).toBe("left hand");
    const result = resolveItemSpans(doc, pm, [item("a", anchor)], draftText(doc));
    expect(result?.spans).toEqual([{ itemId: "a", from, to: from + 9 }]);
    expect(anchorFromSelection(doc, pm, from, from)).toBeNull();
  });

  describe("the span stays on its words through edits", () => {
    const setup = () => {
      const doc = new Y.Doc();
      setDraftText(doc, text);
      const pm = pmOf(doc);
      const start = text.indexOf("zooms in");
      const a = textToPm(pm, start);
      const anchor = anchorFromSelection(doc, pm, a, a + "zooms in".length);
      return { doc, items: [item("z", anchor)] };
    };
    const spanText = (doc: Y.Doc, items: CritiqueItem[]) => {
      const pm = pmOf(doc);
      const r = resolveItemSpans(doc, pm, items, draftText(doc));
      const s = r?.spans[0];
      return s ? pm.textBetween(s.from, s.to) : r?.orphaned;
    };

    it("insertion before", () => {
      const { doc, items } = setup();
      editFirstParagraph(doc, (t) => t.insert(0, "Suddenly, "));
      expect(spanText(doc, items)).toBe("zooms in");
    });
    it("insertion after, and right at the end", () => {
      const { doc, items } = setup();
      editFirstParagraph(doc, (t) => t.insert(text.indexOf(" on"), " slowly"));
      editFirstParagraph(doc, (t) => t.insert(t.length, " Then stops."));
      expect(spanText(doc, items)).toBe("zooms in");
    });
    it("insertion inside widens the span", () => {
      const { doc, items } = setup();
      editFirstParagraph(doc, (t) => t.insert(text.indexOf(" in"), " quickly"));
      expect(spanText(doc, items)).toBe("zooms quickly in");
    });
    it("deletion before and after", () => {
      const { doc, items } = setup();
      editFirstParagraph(doc, (t) => t.delete(0, 4));
      editFirstParagraph(doc, (t) => t.delete(t.toString().indexOf(" on the"), 7));
      expect(spanText(doc, items)).toBe("zooms in");
    });
    it("deletion inside shrinks the span", () => {
      const { doc, items } = setup();
      editFirstParagraph(doc, (t) => t.delete(text.indexOf("zooms") + 2, 3));
      expect(spanText(doc, items)).toBe("zo in");
    });
    it("a span whose text was deleted is orphaned with its quote, never moved", () => {
      const { doc, items } = setup();
      editFirstParagraph(doc, (t) => t.delete(text.indexOf("zooms in"), "zooms in".length));
      expect(spanText(doc, items)).toEqual([{ itemId: "z", quote: "zooms in" }]);
    });
    it("the whole draft replaced orphans the span", () => {
      const { doc, items } = setup();
      setDraftText(doc, "A different caption about zooms in.");
      expect(spanText(doc, items)).toEqual([{ itemId: "z", quote: "zooms in" }]);
    });
  });

  it("waits while the editor lags behind the document", () => {
    const doc = new Y.Doc();
    setDraftText(doc, text);
    const stale = pmOf(doc);
    editFirstParagraph(doc, (t) => t.insert(0, "X"));
    expect(resolveItemSpans(doc, stale, [], draftText(doc))).toBeNull();
  });
});
