import * as Y from "yjs";
import { WebSocket } from "ws";
import { WebsocketProvider } from "y-websocket";
import type { TaskAbilities } from "../../shared/api/abilities";
import { decodeOwnMessage, isDocumentMessage, MESSAGE, ACK_PARAM } from "../../shared/collab/protocol";

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
    } else if (msg.type === "refused") tracked.refused++;
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
