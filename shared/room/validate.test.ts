import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { putCatchSummary } from "./catches";
import { putCritiqueItem, setDraftText, setPostText, writeRevision } from "./document";
import { ROOM_FIELD_NAMES, ROOM_LAYOUT, catchesMap, critiqueMap, polishMap, revisionMap } from "./layout";
import { putPolish } from "./polish";
import { validateRoomDoc } from "./validate";

function goodDoc(): Y.Doc {
  const doc = new Y.Doc();
  setDraftText(doc, "The camera zooms in.");
  putCritiqueItem(doc, {
    id: "i1",
    errorType: "wrong_term",
    primitiveId: null,
    what: "It dollies.",
    fix: "Write dolly in.",
    anchor: null,
    timeStart: 1,
    timeEnd: 2,
    createdBy: "u1",
    createdAt: "2026-01-01T00:00:00Z",
  });
  setPostText(doc, "The camera dollies in.");
  writeRevision(doc, { status: "idle", roundId: null, n: null, error: null, startedBy: null, startedAt: null });
  putCatchSummary(doc, {
    id: "c1",
    kind: "false_flag",
    itemId: "i1",
    timeStart: null,
    timeEnd: null,
    note: "",
    status: "open",
    reviewerName: "R",
    createdAt: "2026-01-01T00:00:00Z",
  });
  putPolish(doc, { original: "a", polished: "b", by: "rules", at: "2026-01-01T00:00:00Z", promptHash: "h" });
  return doc;
}

/** What a peer receives: the document's bytes applied to a fresh doc, whose fields arrive untyped. */
function received(doc: Y.Doc): Y.Doc {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  return copy;
}

describe("room document validator", () => {
  it("the layout declares every field once", () => {
    expect(Object.keys(ROOM_LAYOUT).sort()).toEqual([...ROOM_FIELD_NAMES].sort());
  });

  it("accepts an empty document and a sound one, locally and as received", () => {
    expect(validateRoomDoc(new Y.Doc())).toEqual([]);
    const doc = goodDoc();
    expect(validateRoomDoc(doc)).toEqual([]);
    expect(validateRoomDoc(received(doc))).toEqual([]);
  });

  it("reports a field of the wrong type", () => {
    const local = new Y.Doc();
    local.getText("critique").insert(0, "not a map");
    expect(validateRoomDoc(local)).toEqual(["critique: is not a Y.Map"]);
    // From a remote writer the field arrives untyped; its content shows it is not a map.
    expect(validateRoomDoc(received(local))).toEqual(["critique: holds sequence content, not a Y.Map"]);
    const keyed = new Y.Doc();
    keyed.getMap("post").set("x", 1);
    expect(validateRoomDoc(received(keyed))).toEqual(["post: holds keyed content, not a Y.Text"]);
  });

  it("reports unknown top-level fields", () => {
    const doc = goodDoc();
    doc.getText("t").insert(0, "x");
    expect(validateRoomDoc(doc)).toEqual(['unknown top-level field "t"']);
  });

  it("reports map entries that do not parse", () => {
    const doc = goodDoc();
    doc.transact(() => {
      critiqueMap(doc).set("bad", "a string");
      const item = new Y.Map<unknown>();
      item.set("id", "other");
      critiqueMap(doc).set("i2", item);
      catchesMap(doc).set("c2", { id: "c2", kind: "nonsense" });
      revisionMap(doc).set("status", "exploded");
      polishMap(doc).set("extra", 1);
    });
    const problems = validateRoomDoc(received(doc));
    expect(problems).toHaveLength(5);
    expect(problems).toContain("critique.bad: not a map");
    expect(problems.some((p) => p.startsWith("critique.i2: "))).toBe(true);
    expect(problems.some((p) => p.startsWith("catches.c2: kind"))).toBe(true);
    expect(problems.some((p) => p.startsWith("revision: status"))).toBe(true);
    expect(problems).toContain('polish: unknown key "extra"');
  });
});
