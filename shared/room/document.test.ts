import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { MAX_CRITIQUE_ITEMS } from "../critique/items";
import type { CritiqueItem } from "../critique/items";
import {
  IDLE_REVISION,
  anchorFromTextRange,
  appendPostText,
  critiqueItemsFromDoc,
  critiqueMap,
  draftFragment,
  draftText,
  putCritiqueItem,
  readPostText,
  readRevision,
  removeCritiqueItem,
  resolveAnchor,
  revisionMap,
  setDraftText,
  setPostText,
  updateCritiqueItem,
  writeRevision,
} from "./document";

const DRAFT = "The camera zooms in toward the man. He waves.";

/** Two replicas kept in sync, like two participants of one room. */
function pair() {
  const a = new Y.Doc();
  const b = new Y.Doc();
  a.on("update", (u: Uint8Array, origin: unknown) => origin !== "remote" && Y.applyUpdate(b, u, "remote"));
  b.on("update", (u: Uint8Array, origin: unknown) => origin !== "remote" && Y.applyUpdate(a, u, "remote"));
  return { a, b };
}

/** The first paragraph's XmlText, as Tiptap's binding edits it. */
const firstText = (doc: Y.Doc) => (draftFragment(doc).get(0) as Y.XmlElement).get(0) as Y.XmlText;

const item = (over: Partial<CritiqueItem> = {}): CritiqueItem => ({
  id: "i1",
  errorType: "wrong_term",
  primitiveId: null,
  what: "focal length does not change",
  fix: 'write "dollies in"',
  anchor: null,
  timeStart: 1,
  timeEnd: 2,
  createdBy: "u1",
  createdAt: "2026-01-01T00:00:00.000Z",
  ...over,
});

describe("room document: draft", () => {
  it("writes and reads the draft as paragraphs", () => {
    const doc = new Y.Doc();
    setDraftText(doc, "First line.\n\nThird line.");
    expect(draftFragment(doc).length).toBe(3);
    expect((draftFragment(doc).get(0) as Y.XmlElement).nodeName).toBe("paragraph");
    expect(draftText(doc)).toBe("First line.\n\nThird line.");
    setDraftText(doc, "Replaced.");
    expect(draftText(doc)).toBe("Replaced.");
  });

  it("reads formatted text and hard breaks as plain text", () => {
    const doc = new Y.Doc();
    const p = new Y.XmlElement("paragraph");
    draftFragment(doc).insert(0, [p]);
    const t = new Y.XmlText();
    p.insert(0, [t, new Y.XmlElement("hardBreak"), new Y.XmlText("after")]);
    t.insert(0, "bold", { bold: true });
    t.insert(4, " plain");
    expect(draftText(doc)).toBe("bold plain\nafter");
  });
});

describe("room document: anchors", () => {
  const setup = () => {
    const { a, b } = pair();
    setDraftText(a, DRAFT);
    const from = DRAFT.indexOf("zooms in");
    const anchor = anchorFromTextRange(a, from, from + "zooms in".length);
    return { a, b, anchor, from };
  };

  it("resolves where it was made, on every replica", () => {
    const { a, b, anchor, from } = setup();
    expect(anchor.quote).toBe("zooms in");
    expect(resolveAnchor(a, anchor)).toEqual({ orphaned: false, from, to: from + 8, text: "zooms in" });
    expect(resolveAnchor(b, anchor)).toEqual({ orphaned: false, from, to: from + 8, text: "zooms in" });
  });

  it("follows insertions before the span and at its edges stay outside", () => {
    const { a, b, anchor, from } = setup();
    firstText(b).insert(0, "Slowly, ");
    let r = resolveAnchor(a, anchor);
    expect(r).toEqual({ orphaned: false, from: from + 8, to: from + 16, text: "zooms in" });
    // Typed right before and right after the span.
    firstText(b).insert(from + 8, "[");
    firstText(b).insert(from + 8 + 1 + 8, "]");
    r = resolveAnchor(a, anchor);
    expect(r.orphaned === false && r.text).toBe("zooms in");
    expect(draftText(a)).toContain("[zooms in]");
  });

  it("grows with insertions inside the span and ignores those after it", () => {
    const { a, b, anchor } = setup();
    const at = draftText(b).indexOf("in toward");
    firstText(b).insert(at, "slowly ");
    firstText(b).insert(draftText(b).length, " Then he leaves.");
    const r = resolveAnchor(a, anchor);
    expect(r.orphaned === false && r.text).toBe("zooms slowly in");
  });

  it("shrinks with deletions inside and before the span", () => {
    const { a, b, anchor } = setup();
    firstText(b).delete(0, "The ".length);
    const at = draftText(b).indexOf(" in toward");
    firstText(b).delete(at, 3); // " in"
    const r = resolveAnchor(a, anchor);
    expect(r).toEqual({ orphaned: false, from: "camera ".length, to: "camera zooms".length, text: "zooms" });
  });

  it("is orphaned, keeping its quote, when the span is deleted", () => {
    const { a, b, anchor, from } = setup();
    firstText(b).delete(from - 1, 10);
    expect(resolveAnchor(a, anchor)).toEqual({ orphaned: true, quote: "zooms in" });
  });

  it("is orphaned when the draft is replaced or the anchor is garbage", () => {
    const { a, anchor } = setup();
    setDraftText(a, "A new draft with zooms in it.");
    expect(resolveAnchor(a, anchor)).toEqual({ orphaned: true, quote: "zooms in" });
    expect(resolveAnchor(a, { start: "!!!", end: "AAAA", quote: "q" })).toEqual({ orphaned: true, quote: "q" });
  });

  it("spans paragraphs", () => {
    const doc = new Y.Doc();
    setDraftText(doc, "One two.\nThree four.");
    const anchor = anchorFromTextRange(doc, 4, 14);
    expect(anchor.quote).toBe("two.\nThree");
    const r = resolveAnchor(doc, anchor);
    expect(r.orphaned === false && r.text).toBe("two.\nThree");
  });

  it("refuses a span outside the draft", () => {
    const doc = new Y.Doc();
    setDraftText(doc, "Short.");
    expect(() => anchorFromTextRange(doc, 2, 20)).toThrow(RangeError);
    expect(() => anchorFromTextRange(doc, 3, 3)).toThrow(RangeError);
  });
});

describe("room document: critique items", () => {
  it("round-trips items between replicas, in time order", () => {
    const { a, b } = pair();
    setDraftText(a, DRAFT);
    const anchor = anchorFromTextRange(a, 11, 16);
    putCritiqueItem(a, item({ id: "late", timeStart: 5, timeEnd: 6, anchor }));
    putCritiqueItem(a, item({ id: "early", timeStart: 0.5, timeEnd: 1, errorType: "missing_information" }));
    const { items, invalid } = critiqueItemsFromDoc(b);
    expect(invalid).toEqual([]);
    expect(items.map((i) => i.id)).toEqual(["early", "late"]);
    expect(items[1]).toEqual(item({ id: "late", timeStart: 5, timeEnd: 6, anchor }));
    expect(updateCritiqueItem(b, "late", { fix: 'write "dollies"' })).toBe(true);
    expect(critiqueItemsFromDoc(a).items[1]?.fix).toBe('write "dollies"');
    expect(removeCritiqueItem(a, "late")).toBe(true);
    expect(critiqueItemsFromDoc(b).items.map((i) => i.id)).toEqual(["early"]);
  });

  it("reports and skips invalid items written by a client", () => {
    const doc = new Y.Doc();
    putCritiqueItem(doc, item({ id: "ok" }));
    const m = critiqueMap(doc);
    m.set("string", "not a map");
    const badType = new Y.Map<unknown>();
    m.set("badType", badType);
    badType.set("id", "badType");
    badType.set("errorType", "typo");
    const wrongId = new Y.Map<unknown>();
    m.set("wrongId", wrongId);
    for (const [k, v] of Object.entries(item({ id: "other" }))) wrongId.set(k, v);
    const huge = new Y.Map<unknown>();
    m.set("huge", huge);
    for (const [k, v] of Object.entries(item({ id: "huge", what: "x".repeat(5000) }))) huge.set(k, v);

    const { items, invalid } = critiqueItemsFromDoc(doc);
    expect(items.map((i) => i.id)).toEqual(["ok"]);
    expect(invalid.map((i) => i.key).sort()).toEqual(["badType", "huge", "string", "wrongId"]);
    expect(invalid.find((i) => i.key === "badType")?.problem).toMatch(/errorType/);
  });

  it("uses at most the item limit, reporting the latest extra ones", () => {
    const doc = new Y.Doc();
    for (let i = 0; i < MAX_CRITIQUE_ITEMS + 2; i++) {
      const createdAt = new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString();
      putCritiqueItem(doc, item({ id: `n${i}`, createdAt }));
    }
    const { items, invalid } = critiqueItemsFromDoc(doc);
    expect(items).toHaveLength(MAX_CRITIQUE_ITEMS);
    expect(invalid.map((i) => i.key)).toEqual([`n${MAX_CRITIQUE_ITEMS}`, `n${MAX_CRITIQUE_ITEMS + 1}`]);
  });

  it("refuses to write an invalid item", () => {
    expect(() => putCritiqueItem(new Y.Doc(), item({ timeStart: 3, timeEnd: 1 }))).toThrow();
  });
});

describe("room document: post-caption and revision status", () => {
  it("streams the post-caption to the other replica", () => {
    const { a, b } = pair();
    setPostText(a, "old text");
    setPostText(a, "");
    for (const chunk of ["The ", "camera ", "dollies ", "in."]) appendPostText(a, chunk);
    expect(readPostText(b)).toBe("The camera dollies in.");
    setPostText(b, "Final.");
    expect(readPostText(a)).toBe("Final.");
  });

  it("reads the revision status, idle when absent or tampered with", () => {
    const { a, b } = pair();
    expect(readRevision(b)).toEqual(IDLE_REVISION);
    const running = {
      status: "running" as const,
      roundId: "r1",
      n: 2,
      error: null,
      startedBy: "u1",
      startedAt: "2026-01-01T00:00:00.000Z",
    };
    writeRevision(a, running);
    expect(readRevision(b)).toEqual(running);
    revisionMap(b).set("status", "exploded");
    expect(readRevision(a)).toEqual(IDLE_REVISION);
  });
});
