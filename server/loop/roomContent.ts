import type { RoomRegistry } from "../collab/rooms";
import { taskRoom } from "../../shared/collab/protocol";
import type { CritiqueItem } from "../../shared/critique/items";
import { polishedFor, putPolish, type PolishRecord } from "../../shared/room/polish";
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

/** Stores the critique and the model's tidied wording of it (server-written; see shared/room/polish.ts). */
export const writePolish = (rooms: RoomRegistry, taskId: string, record: PolishRecord) =>
  rooms.withDoc(taskRoom(taskId), (doc) => putPolish(doc, record));

export const readPolished = (rooms: RoomRegistry, taskId: string, items: readonly CritiqueItem[]) =>
  rooms.withDoc(taskRoom(taskId), (doc) => polishedFor(doc, items));
