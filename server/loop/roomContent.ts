import * as Y from "yjs";
import type { RoomRegistry } from "../collab/rooms";
import { taskRoom } from "../../shared/collab/protocol";
import { renderCritique, type CritiqueItem } from "../../shared/critique/items";
import {
  critiqueItemsFromDoc,
  draftText,
  readPostText,
  readRevision,
  resolveAnchor,
  setDraftText,
  setPostText,
  writeRevision,
  type RevisionState,
} from "../../shared/room/document";
import type { RevisionItem } from "../pipeline/prompts";

/**
 * The loop's reads and writes of a task room, all through the rooms registry so every participant sees server
 * writes live and they are persisted like any participant's edit.
 */

export type RoomSnapshot = {
  draft: string;
  items: CritiqueItem[];
  /** Items with their anchors resolved on the current draft (span null for time-only or orphaned items). */
  revisionItems: RevisionItem[];
  post: string;
  revision: RevisionState;
};

export function readRoom(rooms: RoomRegistry, taskId: string): Promise<RoomSnapshot> {
  return rooms.withDoc(taskRoom(taskId), (doc) => {
    const items = critiqueItemsFromDoc(doc).items;
    return {
      draft: draftText(doc),
      items,
      revisionItems: items.map((item) => {
        if (!item.anchor) return { ...item, span: null };
        const r = resolveAnchor(doc, item.anchor);
        return { ...item, span: r.orphaned ? null : { from: r.from, to: r.to } };
      }),
      post: readPostText(doc),
      revision: readRevision(doc),
    };
  });
}

export const writeDraft = (rooms: RoomRegistry, taskId: string, text: string) =>
  rooms.withDoc(taskRoom(taskId), (doc) => setDraftText(doc, text));

export const writePost = (rooms: RoomRegistry, taskId: string, text: string) =>
  rooms.withDoc(taskRoom(taskId), (doc) => setPostText(doc, text));

export const writeRevisionState = (rooms: RoomRegistry, taskId: string, state: RevisionState, post?: string) =>
  rooms.withDoc(taskRoom(taskId), (doc) => {
    if (post !== undefined) setPostText(doc, post);
    writeRevision(doc, state);
  });

/** The annotator's critique and the model's tidied wording, both kept (server-written, shown by the room). */
export const POLISH_FIELD = "polish";
export type PolishRecord = { original: string; polished: string; by: string; at: string; promptHash: string };

export const writePolish = (rooms: RoomRegistry, taskId: string, record: PolishRecord) =>
  rooms.withDoc(taskRoom(taskId), (doc) => {
    const m = doc.getMap<unknown>(POLISH_FIELD);
    for (const [k, v] of Object.entries(record)) m.set(k, v);
  });

/** The polished text when it was made from the critique as it stands now; null otherwise. */
export function polishedFor(doc: Y.Doc, items: readonly CritiqueItem[]): string | null {
  const m = doc.getMap<unknown>(POLISH_FIELD);
  const original = m.get("original");
  const polished = m.get("polished");
  return typeof original === "string" && typeof polished === "string" && original === renderCritique(items) ? polished : null;
}

export const readPolished = (rooms: RoomRegistry, taskId: string, items: readonly CritiqueItem[]) =>
  rooms.withDoc(taskRoom(taskId), (doc) => polishedFor(doc, items));
