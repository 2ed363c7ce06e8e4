import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A scripted model server for provider tests: node:http on port 0, answering each request with the next scripted
 * reply and recording what it was sent. Replies speak the real wire formats (SSE events, JSON error bodies).
 */

export type RecordedRequest = { method: string; url: string; headers: IncomingMessage["headers"]; body: unknown };
export type Reply = (res: ServerResponse, req: IncomingMessage) => void | Promise<void>;

export type ScriptedServer = {
  url: string;
  requests: RecordedRequest[];
  /** Resolves when the client closes the connection of the n-th request (0-based). */
  closed: (n: number) => Promise<void>;
  close: () => Promise<void>;
};

export async function startScriptedServer(replies: Reply[]): Promise<ScriptedServer> {
  const requests: RecordedRequest[] = [];
  const closedWaiters: Array<{ promise: Promise<void>; resolve: () => void }> = [];
  const waiter = (n: number) => {
    while (closedWaiters.length <= n) {
      let resolve = () => {};
      const promise = new Promise<void>((r) => (resolve = r));
      closedWaiters.push({ promise, resolve });
    }
    return closedWaiters[n] as { promise: Promise<void>; resolve: () => void };
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const n = requests.length;
      const text = Buffer.concat(chunks).toString("utf8");
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // keep the raw text
      }
      requests.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
      res.on("close", () => waiter(n).resolve());
      const reply = replies[n];
      if (!reply) {
        res.writeHead(500, { "content-type": "application/json" }).end('{"error":{"message":"unscripted request"}}');
        return;
      }
      void reply(res, req);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    closed: (n) => waiter(n).promise,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

const sseHead = { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" };

/** Streams each payload as one `data:` event, then ends (after `[DONE]` when `done`). */
export const sse =
  (payloads: unknown[], opts: { done?: boolean } = {}): Reply =>
  async (res) => {
    res.writeHead(200, sseHead);
    for (const p of payloads) {
      res.write(`data: ${typeof p === "string" ? p : JSON.stringify(p)}\n\n`);
      await new Promise((r) => setImmediate(r));
    }
    if (opts.done) res.write("data: [DONE]\n\n");
    res.end();
  };

/** Streams the payloads, then keeps the connection open and silent until the client goes away. */
export const sseThenHang =
  (payloads: unknown[]): Reply =>
  (res) => {
    res.writeHead(200, sseHead);
    for (const p of payloads) res.write(`data: ${JSON.stringify(p)}\n\n`);
  };

/** Answers with an error status and a JSON body. */
export const fail =
  (status: number, body: unknown, headers: Record<string, string> = {}): Reply =>
  (res) => {
    res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
  };

/** Accepts the request and never answers. */
export const hang: Reply = () => {};
