import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * An OpenAI-compatible chat-completions server that streams `tokens` words, one every `gapMs`, then a finish chunk
 * and [DONE]: a revision that runs long enough for two presses to meet it while it runs.
 */
export type SlowModel = { url: string; requests: number; close(): Promise<void> };

export async function startSlowModel(tokens: number, gapMs: number): Promise<SlowModel> {
  const model: SlowModel = { url: "", requests: 0, close: async () => {} };
  const stream = async (res: ServerResponse) => {
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    for (let i = 0; i < tokens && !res.destroyed; i++) {
      res.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: `word${i} ` }, finish_reason: null }] })}\n\n`);
      await new Promise((r) => setTimeout(r, gapMs));
    }
    res.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: "stop" }] })}\n\n`);
    res.end("data: [DONE]\n\n");
  };
  const server = createServer((req, res) => {
    model.requests++;
    req.resume();
    req.on("end", () => void stream(res));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  model.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  model.close = () =>
    new Promise((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  return model;
}
