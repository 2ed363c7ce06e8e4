import { useEffect, useMemo, useReducer, useRef, useState } from "react";
import * as Y from "yjs";
import { WebsocketProvider } from "y-websocket";
import type { Awareness } from "y-protocols/awareness";
import { z } from "zod";
import type { TaskAbilities } from "../../../../shared/api/abilities";
import type { CritiqueItem } from "../../../../shared/critique/items";
import type { Stage } from "../../../../shared/domain/stages";
import { CLOSE, CLOSE_REASONS, type CloseCode } from "../../../../shared/collab/closeCodes";
import { PresenceUser } from "../../../../shared/collab/presence";
import {
  ACK_PARAM,
  COLLAB_PATH_PREFIX,
  MESSAGE,
  decodeOwnMessage,
  isDocumentMessage,
  taskRoom,
  type OwnMessage,
  type RefusalReason,
} from "../../../../shared/collab/protocol";
import {
  critiqueItemsFromDoc,
  critiqueMap,
  draftFragment,
  draftText,
  postText,
  readPostText,
  readRevision,
  revisionMap,
  type RevisionState,
} from "../../../../shared/room/document";
import { INITIAL_SAVE_STATE, saveReducer, type SaveEvent, type SaveState } from "./connectionState";

/** What a participant publishes about their player in awareness (besides the server-stamped `user`). */
export const PlayheadState = z.object({
  time: z.number().finite().min(0).max(24 * 3600),
  playing: z.boolean(),
});
export type PlayheadState = z.infer<typeof PlayheadState>;

export type Participant = {
  clientId: number;
  user: PresenceUser;
  playhead: PlayheadState | null;
  isSelf: boolean;
};

export type Room = {
  doc: Y.Doc;
  provider: WebsocketProvider;
  awareness: Awareness;
  save: SaveState;
  items: CritiqueItem[];
  draft: string;
  post: string;
  revision: RevisionState;
  participants: Participant[];
  /** The task's stage and what this person may do now, as the server last said (ABILITIES frame); null until it has. */
  live: LiveTaskState | null;
};

/** The newest stage and abilities the room connection was told. */
export type LiveTaskState = { abilities: TaskAbilities; stage: Stage };

/** Counts the document messages each socket sends, so SAVED n can be matched to local edits. */
function countingSocket(onSent: () => void): typeof WebSocket {
  return class CountingWebSocket extends WebSocket {
    override send(data: string | ArrayBufferLike | Blob | ArrayBufferView) {
      if (data instanceof Uint8Array && isDocumentMessage(data)) onSent();
      else if (data instanceof ArrayBuffer && isDocumentMessage(new Uint8Array(data))) onSent();
      super.send(data);
    }
  };
}

function readParticipants(awareness: Awareness): Participant[] {
  const out: Participant[] = [];
  for (const [clientId, state] of awareness.getStates()) {
    const user = PresenceUser.safeParse((state as { user?: unknown }).user);
    if (!user.success) continue;
    const playhead = PlayheadState.safeParse((state as { playhead?: unknown }).playhead);
    out.push({ clientId, user: user.data, playhead: playhead.success ? playhead.data : null, isSelf: clientId === awareness.clientID });
  }
  return out.sort((a, b) => a.user.name.localeCompare(b.user.name) || a.clientId - b.clientId);
}

export type RoomConnection = {
  doc: Y.Doc;
  provider: WebsocketProvider;
  save: SaveState;
  live: LiveTaskState | null;
  /** Why the server refused this person's last change, in words, when it did (the room was then reloaded). */
  refusal: string | null;
};

/** The server's refusal reasons (shared/collab/protocol.ts), said to the person whose change it was. */
const REFUSAL_TEXT: Record<RefusalReason, string> = {
  read_only: "this room is read-only for you now",
  field_not_writable: "you may not change that part of the task at this stage",
  invalid_structure: "the change did not have the shape the task's document allows",
  identity_mismatch: "a critique item may only be written in your own name",
  missing_dependencies: "it arrived without the changes it builds on",
  document_too_large: "the document would grow past its size limit",
  storage_unavailable: "the database is not taking writes right now",
};

/**
 * Joins a task's room: a Y.Doc and a y-websocket provider asking for our SAVED acks. Created inside an effect (not
 * during render) so React's mount–unmount–mount in development gets a fresh pair instead of a destroyed one. The
 * document lives as long as the page: a reconnect keeps every local edit in it. Null until created.
 */
export function useRoomConnection(taskId: string, self: PresenceUser): RoomConnection | null {
  const [save, dispatch] = useReducer(saveReducer, INITIAL_SAVE_STATE);
  const [conn, setConn] = useState<{ doc: Y.Doc; provider: WebsocketProvider } | null>(null);
  const [live, setLive] = useState<LiveTaskState | null>(null);
  const [refusal, setRefusal] = useState<string | null>(null);
  // A refused change leaves the local document ahead of the server's: the room is joined again with a fresh one.
  const [generation, setGeneration] = useState(0);
  const selfRef = useRef(self);
  useEffect(() => {
    const doc = new Y.Doc();
    const emit = (e: SaveEvent) => dispatch(e);
    const scheme = window.location.protocol === "https:" ? "wss" : "ws";
    const provider = new WebsocketProvider(`${scheme}://${window.location.host}${COLLAB_PATH_PREFIX.slice(0, -1)}`, taskRoom(taskId), doc, {
      params: { [ACK_PARAM]: "1" },
      WebSocketPolyfill: countingSocket(() => emit({ type: "sent" })),
      // Another tab of the same user must not stand in for the server (its edits would look saved).
      disableBc: true,
      connect: false,
    });
    // Our own frames, decoded by the shared protocol (the decoder holds the whole message).
    const own = (msg: OwnMessage | null) => {
      if (msg?.type === "saved") emit({ type: "saved", upTo: msg.upTo });
      else if (msg?.type === "refused") {
        emit({ type: "refused", messageNumber: msg.messageNumber });
        setRefusal(`Your last change was not saved: ${REFUSAL_TEXT[msg.reason]}. The room shows the saved state.`);
      }
      else if (msg?.type === "abilities") setLive({ abilities: msg.abilities, stage: msg.stage });
    };
    for (const type of [MESSAGE.saved, MESSAGE.refused, MESSAGE.abilities]) {
      provider.messageHandlers[type] = (_enc, dec) => own(decodeOwnMessage(dec.arr));
    }
    provider.on("status", ({ status }) => emit({ type: "status", status }));
    provider.on("sync", (synced: boolean) => synced && emit({ type: "synced" }));
    provider.on("closed", ({ code, reason }) => {
      if (code === CLOSE.UPDATE_REFUSED) {
        dispatch({ type: "reset" });
        setGeneration((g) => g + 1);
        return;
      }
      emit({ type: "closed", reason: CLOSE_REASONS[code as CloseCode] ?? (reason || `code ${code}`) });
    });
    doc.on("update", (_u: Uint8Array, origin: unknown) => origin !== provider && emit({ type: "localEdit" }));
    // Presence identity is stamped by the server; the local copy only lets our own caret render before the echo.
    provider.awareness.setLocalStateField("user", selfRef.current);
    provider.connect();
    // The socket notices a lost network only after its own timeout (30 s): follow the browser's word at once, so
    // edits made meanwhile show as queued, not as saving.
    const offline = () => provider.disconnect();
    const online = () => provider.connect();
    window.addEventListener("offline", offline);
    window.addEventListener("online", online);
    setConn({ doc, provider });
    return () => {
      window.removeEventListener("offline", offline);
      window.removeEventListener("online", online);
      setConn(null);
      setLive(null);
      provider.destroy();
      doc.destroy();
    };
  }, [taskId, generation]);
  return useMemo(() => (conn ? { ...conn, save, live, refusal } : null), [conn, save, live, refusal]);
}

/** React state derived from a joined room's document and awareness. */
export function useRoom(conn: RoomConnection): Room {
  const { doc, provider, save, live } = conn;
  const [items, setItems] = useState<CritiqueItem[]>([]);
  const [draft, setDraft] = useState("");
  const [post, setPost] = useState("");
  const [revision, setRevision] = useState<RevisionState>(() => readRevision(doc));
  const [participants, setParticipants] = useState<Participant[]>([]);

  useEffect(() => {
    const readItems = () => setItems(critiqueItemsFromDoc(doc).items);
    const readDraft = () => setDraft(draftText(doc));
    const readPost = () => setPost(readPostText(doc));
    const readRev = () => setRevision(readRevision(doc));
    const readPeople = () => setParticipants(readParticipants(provider.awareness));
    readItems();
    readDraft();
    readPost();
    readRev();
    readPeople();
    critiqueMap(doc).observeDeep(readItems);
    draftFragment(doc).observeDeep(readDraft);
    postText(doc).observe(readPost);
    revisionMap(doc).observe(readRev);
    provider.awareness.on("change", readPeople);
    return () => {
      critiqueMap(doc).unobserveDeep(readItems);
      draftFragment(doc).unobserveDeep(readDraft);
      postText(doc).unobserve(readPost);
      revisionMap(doc).unobserve(readRev);
      provider.awareness.off("change", readPeople);
    };
  }, [doc, provider]);

  return { doc, provider, awareness: provider.awareness, save, items, draft, post, revision, participants, live };
}

/** Publishes the local playhead in awareness at most 4 times a second (the last position always goes out). */
export function usePublishPlayhead(awareness: Awareness, playhead: PlayheadState) {
  const [pending] = useState(() => ({ last: 0, timer: 0 as ReturnType<typeof setTimeout> | 0, value: playhead }));
  useEffect(() => {
    pending.value = playhead;
    const publish = () => {
      pending.last = Date.now();
      pending.timer = 0;
      awareness.setLocalStateField("playhead", { time: Math.round(pending.value.time * 1000) / 1000, playing: pending.value.playing });
    };
    const wait = 250 - (Date.now() - pending.last);
    if (wait <= 0) publish();
    else if (!pending.timer) pending.timer = setTimeout(publish, wait);
  }, [awareness, pending, playhead]);
  useEffect(() => () => {
    if (pending.timer) clearTimeout(pending.timer);
  }, [pending]);
}
