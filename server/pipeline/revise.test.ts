import { afterEach, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { appendPostText, readPostText, setPostText } from "../../shared/room/document";
import { buildRevisionPrompt } from "./prompts";
import type { RevisionItem } from "./prompts";
import { ProviderError } from "./providers/errors";
import { createOpenAiProvider } from "./providers/openai";
import { createRulesProvider } from "./providers/rules";
import { sse, sseThenHang, startScriptedServer } from "../testing/scriptedProviderServer";
import type { ScriptedServer } from "../testing/scriptedProviderServer";
import type { GenerateOptions, GenerateRequest, ModelProvider, StreamEvent } from "./providers/types";
import {
  RevisionCancelled,
  RevisionCoordinator,
  bestOfN,
  critiqueSnapshotKey,
  judgeScorer,
  rulesScorer,
  runPrompt,
} from "./revise";

const DRAFT = "The camera zooms in toward the man. The beautiful light fades.";
const zoom: RevisionItem = {
  id: "zoom",
  errorType: "wrong_term",
  primitiveId: null,
  what: "the focal length does not change; the camera moves",
  fix: 'write "dollies in"',
  anchor: { start: "S", end: "E", quote: "zooms in" },
  timeStart: 1,
  timeEnd: 2,
  createdBy: "u1",
  createdAt: "2026-01-01T00:00:00.000Z",
  span: { from: 11, to: 19 },
};
const wave: RevisionItem = {
  ...zoom,
  id: "wave",
  errorType: "missing_information",
  anchor: null,
  span: null,
  fix: 'add "The man waves."',
  timeStart: 3,
  timeEnd: 3,
};

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const openAiChunk = (content: string, finish: string | null = null) => ({ choices: [{ index: 0, delta: { content }, finish_reason: finish }] });

describe("runPrompt", () => {
  it("streams the rules revision into the room's post-caption and returns text and timings", async () => {
    const doc = new Y.Doc();
    const replica = new Y.Doc();
    doc.on("update", (u: Uint8Array) => Y.applyUpdate(replica, u));
    setPostText(doc, "previous round");
    setPostText(doc, "");
    const prompt = buildRevisionPrompt({ draft: DRAFT, items: [zoom, wave] });
    const chunks: string[] = [];
    const result = await runPrompt(createRulesProvider(), prompt, {
      onChunk: (c) => {
        chunks.push(c);
        appendPostText(doc, c);
      },
    });
    expect(result.text).toBe("The camera dollies in toward the man. The light fades. The man waves.");
    expect(readPostText(replica)).toBe(result.text);
    expect(chunks.length).toBeGreaterThan(5);
    expect(result.provider).toBe("rules");
    expect(result.promptHash).toBe(prompt.hash);
    expect(result.usage).toBeNull();
    const { startedAt, firstTokenAt, finishedAt } = result.timings;
    expect(firstTokenAt).not.toBeNull();
    expect(startedAt.getTime()).toBeLessThanOrEqual(firstTokenAt?.getTime() ?? -1);
    expect(firstTokenAt?.getTime() ?? Infinity).toBeLessThanOrEqual(finishedAt.getTime());
  });

  it("runs through a network provider, keeping its usage and sending the media", async () => {
    server = await startScriptedServer([
      sse(
        [
          openAiChunk("The camera "),
          openAiChunk("dollies in.", "stop"),
          { choices: [], usage: { prompt_tokens: 10, completion_tokens: 4, total_tokens: 14 } },
        ],
        { done: true },
      ),
    ]);
    const provider = createOpenAiProvider({ baseUrl: server.url, model: "qwen3-vl" });
    const prompt = buildRevisionPrompt({ draft: DRAFT, items: [zoom] });
    const result = await runPrompt(provider, prompt, {
      media: { mode: "frames", images: [{ mime: "image/jpeg", base64: "AA", atSec: 1.5 }], durationSec: 3 },
      temperature: 0.7,
    });
    expect(result.text).toBe("The camera dollies in.");
    expect(result.usage).toEqual({ inputTokens: 10, outputTokens: 4, totalTokens: 14 });
    expect(result.model).toBe("qwen3-vl");
    const body = server.requests[0]?.body as { temperature: number; messages: Array<{ content: unknown }> };
    expect(body.temperature).toBe(0.7);
    expect(body.messages[1]?.content).toEqual([
      { type: "text", text: "1 frames sampled from the video, a clip 3 s long, each after its time:" },
      { type: "text", text: "Frame at 1.5 s:" },
      { type: "image_url", image_url: { url: "data:image/jpeg;base64,AA" } },
      { type: "text", text: prompt.user },
    ]);
    expect(result.finishReason).toBe("stop");
  });

  it("fails clearly on an empty answer", async () => {
    server = await startScriptedServer([sse([{ choices: [{ index: 0, delta: {}, finish_reason: "stop" }] }], { done: true })]);
    const provider = createOpenAiProvider({ baseUrl: server.url, model: "m" });
    await expect(runPrompt(provider, buildRevisionPrompt({ draft: DRAFT, items: [zoom] }))).rejects.toThrow(
      "openai returned no text",
    );
  });
});

describe("runPrompt: only a normal finish is a result", () => {
  it("throws a stopped stream with the text it had streamed, and never returns it", async () => {
    server = await startScriptedServer([sse([openAiChunk("The camera "), openAiChunk("dol", "length")], { done: true })]);
    const provider = createOpenAiProvider({ baseUrl: server.url, model: "m" });
    const chunks: string[] = [];
    const err = await runPrompt(provider, buildRevisionPrompt({ draft: DRAFT, items: [zoom] }), { onChunk: (c) => chunks.push(c) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).code).toBe("incomplete");
    expect((err as ProviderError).partialText).toBe("The camera dol");
    expect(chunks.join("")).toBe("The camera dol");
  });

  it("refuses a stream without a finish from a provider that reports one", async () => {
    const silent: ModelProvider = {
      name: "quiet",
      model: "q",
      reportsFinish: true,
      async *generate() {
        yield { type: "text", text: "half" };
      },
    };
    const err = await runPrompt(silent, buildRevisionPrompt({ draft: DRAFT, items: [zoom] })).catch((e: unknown) => e);
    expect((err as ProviderError).code).toBe("incomplete");
    expect((err as ProviderError).partialText).toBe("half");
  });
});

describe("RevisionCoordinator", () => {
  it("joins a second request for the same critique snapshot", async () => {
    const coordinator = new RevisionCoordinator<string>();
    let starts = 0;
    let release = () => {};
    const start = async () => {
      starts++;
      await new Promise<void>((r) => (release = r));
      return "done";
    };
    const key = critiqueSnapshotKey(DRAFT, [zoom, wave]);
    const a = coordinator.request("t1", key, start);
    // Same items in another order: the same snapshot.
    const b = coordinator.request("t1", critiqueSnapshotKey(DRAFT, [wave, zoom]), start);
    expect(a.joined).toBe(false);
    expect(b.joined).toBe(true);
    expect(coordinator.current("t1")).toEqual({ snapshotKey: key });
    release();
    expect(await a.promise).toBe("done");
    expect(await b.promise).toBe("done");
    expect(starts).toBe(1);
    expect(coordinator.current("t1")).toBeNull();
  });

  it("cancels the running revision when the critique changed, and the old one writes nothing more", async () => {
    server = await startScriptedServer([sseThenHang([openAiChunk("OLD ")]), sse([openAiChunk("NEW", "stop")], { done: true })]);
    const provider = createOpenAiProvider({ baseUrl: server.url, model: "m" });
    const doc = new Y.Doc();
    const coordinator = new RevisionCoordinator<string>();
    const revise = (items: RevisionItem[]) => (signal: AbortSignal) =>
      runPrompt(provider, buildRevisionPrompt({ draft: DRAFT, items }), {
        signal,
        timeoutMs: 10_000,
        onChunk: (c) => appendPostText(doc, c),
      }).then((r) => r.text);

    let firstChunk = () => {};
    const sawFirst = new Promise<void>((r) => (firstChunk = r));
    doc.on("update", () => firstChunk());
    const first = coordinator.request("t1", critiqueSnapshotKey(DRAFT, [zoom]), revise([zoom]));
    await sawFirst;
    setPostText(doc, "");
    const second = coordinator.request("t1", critiqueSnapshotKey(DRAFT, [zoom, wave]), revise([zoom, wave]));
    expect(second.joined).toBe(false);
    await expect(first.promise).rejects.toEqual(new RevisionCancelled("superseded"));
    expect(await second.promise).toBe("NEW");
    await server.closed(0);
    expect(readPostText(doc)).toBe("NEW");
    expect(server.requests).toHaveLength(2);
  });

  it("cancel() stops a running revision; other tasks are independent", async () => {
    const coordinator = new RevisionCoordinator<string>();
    const waitForAbort = (signal: AbortSignal) =>
      new Promise<string>((_, reject) => signal.addEventListener("abort", () => reject(new Error("aborted"))));
    const a = coordinator.request("t1", "k", waitForAbort);
    const other = coordinator.request("t2", "k", async () => "t2 done");
    expect(other.joined).toBe(false);
    expect(coordinator.cancel("t1")).toBe(true);
    await expect(a.promise).rejects.toEqual(new RevisionCancelled("cancelled"));
    expect(await other.promise).toBe("t2 done");
    expect(coordinator.cancel("t1")).toBe(false);
  });

  it("passes a failure through to every caller and frees the task", async () => {
    const coordinator = new RevisionCoordinator<string>();
    const boom = new ProviderError("openai", "http", "openai returned HTTP 500: boom", 500);
    const a = coordinator.request("t1", "k", async () => {
      throw boom;
    });
    const b = coordinator.request("t1", "k", async () => "unused");
    await expect(a.promise).rejects.toBe(boom);
    await expect(b.promise).rejects.toBe(boom);
    expect(coordinator.current("t1")).toBeNull();
  });
});

/** A provider answering from a list: a scripted stand-in for a sampling model. */
function listProvider(answers: (req: GenerateRequest) => string): ModelProvider {
  return {
    name: "list",
    model: "list-1",
    async *generate(req: GenerateRequest, _opts?: GenerateOptions): AsyncGenerator<StreamEvent> {
      yield { type: "text", text: answers(req) };
    },
  };
}

describe("best-of-N", () => {
  const candidates = [
    "The camera zooms in toward the man. The beautiful light fades.", // nothing applied
    "The camera dollies in toward the man. The light fades. The man waves.", // both fixes
    "The camera dollies in toward the man. The beautiful light fades.", // one of two
  ];

  it("ranks candidates by the rules scorer and keeps the rest with their scores", async () => {
    const result = await bestOfN({
      n: 3,
      generate: async (i) => ({ text: candidates[i] ?? "" }),
      score: rulesScorer(DRAFT, [zoom, wave]),
    });
    expect(result.best).toEqual({ index: 1, candidate: { text: candidates[1] }, score: 1 });
    expect(result.others.map((o) => [o.index, o.score])).toEqual([
      [2, 0.5],
      [0, 0],
    ]);
    expect(result.failed).toEqual([]);
  });

  it("keeps going when some candidates fail, and throws when all do", async () => {
    const result = await bestOfN({
      n: 3,
      generate: async (i) => {
        if (i !== 2) throw new Error(`candidate ${i} failed`);
        return { text: candidates[2] ?? "" };
      },
      score: rulesScorer(DRAFT, [zoom, wave]),
    });
    expect(result.best.index).toBe(2);
    expect(result.failed).toEqual([
      { index: 0, error: "candidate 0 failed" },
      { index: 1, error: "candidate 1 failed" },
    ]);
    await expect(
      bestOfN({ n: 2, generate: async () => Promise.reject(new Error("down")), score: () => 1 }),
    ).rejects.toThrow("down");
  });

  it("ranks with a yes/no judge through a provider", async () => {
    // The judge says Yes only to the candidate that applies both fixes.
    const judge = listProvider((req) => (req.user.includes(`Revised caption:\n${candidates[1]}`) ? "Yes." : "No"));
    const generator = listProvider((req) => candidates[Number(req.temperature ?? 0) * 10] ?? "");
    const prompt = buildRevisionPrompt({ draft: DRAFT, items: [zoom, wave] });
    const result = await bestOfN({
      n: 3,
      generate: (i) => runPrompt(generator, prompt, { temperature: i / 10 }),
      score: judgeScorer(judge, DRAFT, [zoom, wave]),
    });
    expect(result.best.index).toBe(1);
    expect(result.best.score).toBe(1);
    expect(result.others.map((o) => o.score)).toEqual([0, 0]);
  });

  it("the rules provider can serve as the judge", async () => {
    const score = judgeScorer(createRulesProvider(), DRAFT, [zoom, wave]);
    expect(await score({ text: candidates[1] ?? "" })).toBe(1);
    expect(await score({ text: candidates[2] ?? "" })).toBe(0);
  });
});
