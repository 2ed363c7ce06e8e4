import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * The plumbing the fake model servers share: node:http on port 0 on loopback, every request recorded with its raw
 * and parsed body, and a route handler per dialect. The dialects themselves (what a real server sends, and what it
 * refuses) live in openaiCompatible.ts and gemini.ts.
 */

export type Recorded = { method: string; url: string; headers: IncomingMessage["headers"]; body: unknown; raw: Buffer; at: number };

export type FakeServer = {
  url: string;
  requests: Recorded[];
  close: () => Promise<void>;
};

export type Handler = (req: Recorded, res: ServerResponse, n: number) => void | Promise<void>;

export async function startFake(handler: Handler): Promise<FakeServer> {
  const requests: Recorded[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks);
      let body: unknown = null;
      if ((req.headers["content-type"] ?? "").includes("json")) {
        try {
          body = JSON.parse(raw.toString("utf8"));
        } catch {
          body = null;
        }
      }
      const rec: Recorded = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body, raw, at: Date.now() };
      requests.push(rec);
      Promise.resolve(handler(rec, res, requests.length - 1)).catch((e: unknown) => {
        if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { message: `fake server: ${String(e)}` } }));
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export const tick = () => new Promise((r) => setImmediate(r));

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json; charset=UTF-8", ...headers }).end(JSON.stringify(body));
}

/** Writes SSE events one network write each, with LF or CRLF line ends. */
export async function writeEvents(res: ServerResponse, events: string[], eol: "\n" | "\r\n"): Promise<void> {
  for (const e of events) {
    res.write(`data: ${e}${eol}${eol}`);
    await tick();
  }
}
