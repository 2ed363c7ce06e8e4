import * as Y from "yjs";
import { WebSocket } from "ws";
import { WebsocketProvider } from "y-websocket";
import type { TaskAbilities } from "../../shared/api/abilities";
import {
  ACK_PARAM,
  MESSAGE,
  decodeFrame,
  decodeOwnMessage,
  encodeFrame,
  isDocumentMessage,
  type Frame,
  type RefusalReason,
} from "../../shared/collab/protocol";
import { critiqueItemsFromDoc, putCritiqueItem } from "../../shared/room/document";
import { draftFragment } from "../../shared/room/layout";
import { mergeToState, type DocStorage } from "../collab/storage";

type Headers = { cookie?: string; origin?: string };

/** A ws WebSocket that sends a Cookie (and Origin) header, as a browser would: the stock provider's polyfill slot. */
export function headerWebSocket(headers: Headers, onSend?: (data: Uint8Array, socket: WebSocket) => void) {
  return class HeaderWebSocket extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { headers: Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== undefined)) });
    }
    override send(data: unknown, ...rest: unknown[]): void {
      if (onSend && data instanceof Uint8Array) onSend(data, this);
      (super.send as (...a: unknown[]) => void)(data, ...rest);
    }
  };
}

export type TrackedProvider = {
  provider: WebsocketProvider;
  doc: Y.Doc;
  /** SAVED numbers received, per socket (the server numbers document messages per connection). */
  savedBySocket: Map<WebSocket, number>;
  refused: number;
  /** The reasons of the REFUSED frames received, oldest first. */
  refusals: RefusalReason[];
  /** Every ABILITIES frame received, oldest first (on connect, then after each revalidation that kept us). */
  abilities: TaskAbilities[];
  /** Called for each outgoing document message with its number on that socket. */
  destroy(): void;
};

/**
 * A stock y-websocket WebsocketProvider in Node. With `acks`, it opts into our own frames (SAVED/REFUSED/ABILITIES)
 * and registers a handler for them on the provider's public messageHandlers table (a stock client without it never gets them).
 */
export function stockProvider(
  baseUrl: string,
  room: string,
  headers: Headers,
  opts: { acks?: boolean; doc?: Y.Doc; onDocumentMessage?: (socket: WebSocket, n: number) => void; onSaved?: (socket: WebSocket, n: number) => void } = {},
): TrackedProvider {
  const doc = opts.doc ?? new Y.Doc();
  const sentCount = new Map<WebSocket, number>();
  const Polyfill = headerWebSocket(headers, (data, socket) => {
    if (!isDocumentMessage(data)) return;
    const n = (sentCount.get(socket) ?? 0) + 1;
    sentCount.set(socket, n);
    opts.onDocumentMessage?.(socket, n);
  });
  const provider = new WebsocketProvider(`${baseUrl.replace(/^http/, "ws")}/collab`, room, doc, {
    WebSocketPolyfill: Polyfill as unknown as typeof globalThis.WebSocket,
    params: opts.acks ? { [ACK_PARAM]: "1" } : {},
    disableBc: true,
    maxBackoffTime: 300,
  });
  const tracked: TrackedProvider = {
    provider,
    doc,
    savedBySocket: new Map(),
    refused: 0,
    refusals: [],
    abilities: [],
    destroy: () => {
      provider.destroy();
      doc.destroy();
    },
  };
  const own = (_encoder: unknown, decoder: { arr: Uint8Array }) => {
    const msg = decodeOwnMessage(decoder.arr);
    const socket = provider.ws as unknown as WebSocket | null;
    if (!msg || !socket) return;
    if (msg.type === "saved") {
      tracked.savedBySocket.set(socket, msg.upTo);
      opts.onSaved?.(socket, msg.upTo);
    } else if (msg.type === "refused") {
      tracked.refused++;
      tracked.refusals.push(msg.reason);
    }
    else tracked.abilities.push(msg.abilities);
  };
  type Handler = (typeof provider.messageHandlers)[number];
  provider.messageHandlers[MESSAGE.saved] = own as unknown as Handler;
  provider.messageHandlers[MESSAGE.refused] = own as unknown as Handler;
  provider.messageHandlers[MESSAGE.abilities] = own as unknown as Handler;
  return tracked;
}

/** Polls until `check` holds (tests wait for convergence this way; no assertion on how long it took). */
export async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Opens a raw WebSocket and resolves with it once open, or with the HTTP status it was refused with. */
export function rawConnect(url: string, headers: Headers): Promise<{ ws: WebSocket } | { status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers: Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== undefined)) });
    ws.binaryType = "nodebuffer";
    ws.once("open", () => resolve({ ws }));
    ws.once("unexpected-response", (_req, res) => {
      let body = "";
      res.on("data", (c: Buffer) => (body += c.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    ws.once("error", (err) => reject(err));
  });
}

export function closeCode(ws: WebSocket): Promise<number> {
  return new Promise((resolve) => ws.once("close", (code) => resolve(code)));
}

// ---- Writing real room fields (the server refuses any other top-level field)

let noteSeq = 0;

/** Adds a critique item written by `userId` whose "what" is `text` (an annotator's or a lead's edit). */
export function addNote(doc: Y.Doc, userId: string, text: string): string {
  const id = `note-${Date.now().toString(36)}-${(noteSeq++).toString(36)}-${doc.clientID}`;
  putCritiqueItem(doc, {
    id,
    errorType: "wrong_term",
    primitiveId: null,
    what: text,
    fix: "",
    anchor: null,
    timeStart: null,
    timeEnd: null,
    createdBy: userId,
    createdAt: new Date().toISOString(),
  });
  return id;
}

/** Every critique item's "what", in a stable order, joined by spaces: what the notes of a document read. */
export function notesText(doc: Y.Doc): string {
  const { items } = critiqueItemsFromDoc(doc);
  return [...items]
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((i) => i.what)
    .join(" ");
}

/** Types `text` at the end of the draft's first paragraph, as the editor does (paragraph and text made on first use). */
export function typeInDraft(doc: Y.Doc, text: string): void {
  const fragment = draftFragment(doc);
  doc.transact(() => {
    let p = fragment.get(0);
    if (!(p instanceof Y.XmlElement)) {
      p = new Y.XmlElement("paragraph");
      fragment.insert(0, [p]);
    }
    let t = p.get(0);
    if (!(t instanceof Y.XmlText)) {
      t = new Y.XmlText();
      p.insert(0, [t]);
    }
    t.insert(t.length, text);
  });
}

/** The document a room's log (snapshot + tail) holds, read straight from storage. */
export async function storedDoc(storage: DocStorage, room: string): Promise<Y.Doc> {
  const stored = await storage.load(room);
  const doc = new Y.Doc();
  Y.applyUpdate(doc, mergeToState(stored.snapshot, stored.updates));
  return doc;
}

/** A raw connection that asked for our frames: sends sync updates and awaits the SAVED or REFUSED that answers each. */
export type RawRoomClient = {
  ws: WebSocket;
  /** Every frame received, decoded. */
  frames: Frame[];
  closed: Promise<number>;
  /** Sends a document update; resolves with SAVED/REFUSED for it, or "closed" if the connection ended first. */
  sendUpdate(update: Uint8Array): Promise<"saved" | RefusalReason | "closed">;
  sendAwareness(update: Uint8Array): void;
  close(): void;
};

export async function rawRoomClient(baseUrl: string, room: string, headers: Headers): Promise<RawRoomClient> {
  const opened = await rawConnect(`${baseUrl.replace(/^http/, "ws")}/collab/${room}?${ACK_PARAM}=1`, headers);
  if (!("ws" in opened)) throw new Error(`could not connect: ${opened.status} ${opened.body}`);
  const ws = opened.ws;
  const frames: Frame[] = [];
  const waiters = new Map<number, (r: "saved" | RefusalReason | "closed") => void>();
  let sent = 0;
  const closed = closeCode(ws).then((code) => {
    for (const w of waiters.values()) w("closed");
    waiters.clear();
    return code;
  });
  ws.on("message", (data: Buffer) => {
    const frame = decodeFrame(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    frames.push(frame);
    if (frame.type === "saved") {
      for (const [n, w] of waiters) {
        if (n > frame.upTo) continue;
        waiters.delete(n);
        w("saved");
      }
    } else if (frame.type === "refused") {
      waiters.get(frame.messageNumber)?.(frame.reason);
      waiters.delete(frame.messageNumber);
    }
  });
  return {
    ws,
    frames,
    closed,
    sendUpdate(update) {
      const n = ++sent;
      return new Promise((resolve) => {
        if (ws.readyState !== ws.OPEN) return resolve("closed");
        waiters.set(n, resolve);
        ws.send(encodeFrame({ type: "syncUpdate", update }));
      });
    },
    sendAwareness(update) {
      if (ws.readyState === ws.OPEN) ws.send(encodeFrame({ type: "awareness", update }));
    },
    close: () => ws.close(),
  };
}
