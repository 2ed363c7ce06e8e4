import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { getSchema } from "@tiptap/core";
import StarterKit from "@tiptap/starter-kit";
import { prosemirrorJSONToYXmlFragment } from "@tiptap/y-tiptap";
import { draftText, setDraftText } from "./document";
import { draftStructureProblems, repairDraft } from "./draftSchema";
import { draftFragment } from "./layout";
import { validateRoomDoc } from "./validate";

// The editor's schema exactly as client/src/features/room/DraftEditor.tsx configures it.
const editorSchema = getSchema([StarterKit.configure({ undoRedo: false, heading: false, codeBlock: false, blockquote: false, horizontalRule: false })]);

const richDraft = {
  type: "doc",
  content: [
    {
      type: "paragraph",
      content: [
        { type: "text", text: "The camera " },
        { type: "text", text: "zooms", marks: [{ type: "bold" }, { type: "italic" }] },
        { type: "hardBreak" },
        { type: "text", text: "in", marks: [{ type: "link", attrs: { href: "https://example.com" } }, { type: "underline" }, { type: "strike" }, { type: "code" }] },
      ],
    },
    { type: "paragraph" },
    { type: "bulletList", content: [{ type: "listItem", content: [{ type: "paragraph", content: [{ type: "text", text: "one" }] }] }] },
    {
      type: "orderedList",
      attrs: { start: 3 },
      content: [
        {
          type: "listItem",
          content: [
            { type: "paragraph", content: [{ type: "text", text: "two" }] },
            { type: "bulletList", content: [{ type: "listItem", content: [{ type: "paragraph" }] }] },
          ],
        },
      ],
    },
  ],
};

describe("the draft's structure (what the editor's schema allows)", () => {
  it("accepts everything the editor writes, and the server's own drafts", () => {
    const doc = new Y.Doc();
    prosemirrorJSONToYXmlFragment(editorSchema, richDraft, draftFragment(doc));
    expect(draftFragment(doc).length).toBe(4);
    expect(draftStructureProblems(draftFragment(doc))).toEqual([]);
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
    expect(validateRoomDoc(copy)).toEqual([]);
    const server = new Y.Doc();
    setDraftText(server, "a\n\nb");
    expect(validateRoomDoc(server)).toEqual([]);
  });

  it("reports raw text in the fragment (the 20-byte poison), text outside paragraphs and unknown elements", () => {
    const poison = new Y.Doc();
    poison.getText("draft").insert(0, "POISON");
    const received = new Y.Doc();
    Y.applyUpdate(received, Y.encodeStateAsUpdate(poison));
    expect(validateRoomDoc(received)[0]).toMatch(/^draft: draft\[0\] is not an element/);
    // Reading a poisoned draft never throws.
    expect(draftText(received)).toBe("");

    const doc = new Y.Doc();
    setDraftText(doc, "fine");
    const f = draftFragment(doc);
    f.insert(1, [new Y.XmlText("loose")]);
    f.insert(2, [new Y.XmlElement("script")]);
    const p = new Y.XmlElement("paragraph");
    p.setAttribute("onclick", "x");
    f.insert(3, [p]);
    const problems = draftStructureProblems(f);
    expect(problems).toEqual([
      "draft: text directly in draft",
      "draft: <script> is not allowed in draft",
      'draft: <paragraph> has an unknown attribute "onclick"',
    ]);
  });

  it("repairs a poisoned draft: the raw values go, the paragraphs stay", () => {
    const doc = new Y.Doc();
    setDraftText(doc, "kept");
    const bad = new Y.Doc();
    Y.applyUpdate(bad, Y.encodeStateAsUpdate(doc));
    bad.getText("draft").insert(0, "POISON");
    const loaded = new Y.Doc();
    Y.applyUpdate(loaded, Y.encodeStateAsUpdate(bad));
    let removed = 0;
    loaded.transact(() => (removed = repairDraft(draftFragment(loaded))));
    expect(removed).toBe(6);
    expect(validateRoomDoc(loaded)).toEqual([]);
    expect(draftText(loaded)).toBe("kept");
  });
});
