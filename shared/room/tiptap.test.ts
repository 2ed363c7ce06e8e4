import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { Schema } from "@tiptap/pm/model";
import { absolutePositionToRelativePosition, initProseMirrorDoc, relativePositionToAbsolutePosition } from "@tiptap/y-tiptap";
import { fromBase64, toBase64 } from "lib0/buffer";
import { anchorFromTextRange, draftFragment, draftText, resolveAnchor, setDraftText } from "./document";

// The editor (Tiptap through y-tiptap) and the server (these helpers) must read each other's anchors.
const schema = new Schema({
  nodes: { doc: { content: "paragraph+" }, paragraph: { content: "text*" }, text: {} },
});

describe("room document anchors and the Tiptap binding", () => {
  const text = "The camera zooms in.\nThe man waves.";

  it("resolves an anchor the editor made from ProseMirror positions", () => {
    const doc = new Y.Doc();
    setDraftText(doc, text);
    const fragment = draftFragment(doc);
    const { mapping } = initProseMirrorDoc(fragment, schema);
    // "man" in the second paragraph. ProseMirror counts the first paragraph's opening and closing tokens and the
    // second's opening one where the plain text has one "\n": two positions more.
    const from = text.indexOf("man");
    const pmFrom = from + 2;
    const start = toBase64(Y.encodeRelativePosition(absolutePositionToRelativePosition(pmFrom, fragment, mapping)));
    const end = toBase64(Y.encodeRelativePosition(absolutePositionToRelativePosition(pmFrom + 3, fragment, mapping)));
    expect(resolveAnchor(doc, { start, end, quote: "man" })).toEqual({ orphaned: false, from, to: from + 3, text: "man" });
  });

  it("gives the editor positions it can map back", () => {
    const doc = new Y.Doc();
    setDraftText(doc, text);
    const fragment = draftFragment(doc);
    const { mapping, doc: pmDoc } = initProseMirrorDoc(fragment, schema);
    const from = text.indexOf("zooms in");
    const anchor = anchorFromTextRange(doc, from, from + 8);
    const pm = (b64: string) => relativePositionToAbsolutePosition(doc, fragment, Y.decodeRelativePosition(fromBase64(b64)), mapping);
    const pmFrom = pm(anchor.start);
    const pmTo = pm(anchor.end);
    expect(pmFrom).not.toBeNull();
    expect(pmDoc.textBetween(pmFrom ?? 0, pmTo ?? 0)).toBe("zooms in");
    expect(draftText(doc)).toBe(text);
  });
});
