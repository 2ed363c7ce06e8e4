import { describe, expect, it } from "vitest";
import type { Lexicon } from "../../../../shared/captionSpec/lexicon";
import { fixtureSpec, label } from "../../../testing/pipelineFixtures";
import { buildDraftPrompt, buildJudgePrompt, buildRevisionPrompt } from "../../prompts";
import type { RevisionItem, RevisionTask } from "../../prompts";
import { ProviderError } from "../errors";
import type { StreamEvent } from "../types";
import { composeDraft } from "./draft";
import { createRulesProvider, rulesOutput, wordChunks } from "./index";
import { applyCritique } from "./revise";

const spec = fixtureSpec();
const lexicon: Lexicon = {
  subjective: [
    { term: "beautiful", suggestion: "Drop the judgement." },
    { term: "stunning", suggestion: "Drop the judgement." },
  ],
  hedges: [{ term: "seem", suggestion: "Say what is seen." }],
  imprecise: [],
  confusablePairs: [],
};

const draft = (labels: Parameters<typeof composeDraft>[0]["labels"]) =>
  composeDraft({ kind: "draft", spec, aspect: "camera", labels, dependencies: {} });

async function collect(events: AsyncIterable<StreamEvent>) {
  const chunks: string[] = [];
  for await (const e of events) if (e.type === "text") chunks.push(e.text);
  return chunks;
}

describe("rules provider: draft", () => {
  it("composes sentences from the spec's phrasings in sub-aspect order, with times and start→end", () => {
    const text = draft([
      label("camera.height.eye_level", { kind: "start_end", at: "start" }),
      label("camera.movement.pan_left", { kind: "yes" }, { timeStart: 3, timeEnd: 4.5 }),
      label("camera.height.high", { kind: "start_end", at: "end" }),
      label("camera.movement.dolly_in", { kind: "yes" }, { timeStart: 0.5, timeEnd: 2 }),
      label("camera.steadiness.smooth", { kind: "selected" }),
    ]);
    expect(text).toBe(
      "The camera moves smoothly. The camera dollies in toward the man from 0.5 s to 2 s. " +
        "The camera pans left from 3 s to 4.5 s. " +
        "At the start, the camera is at eye level; by the end, the camera is high above the ground.",
    );
  });

  it("leaves out not-sure labels, adds descriptions, and says 'throughout' for an unchanged start→end", () => {
    const text = draft([
      label("camera.movement.complex", { kind: "yes" }, { note: "it circles the table, then rises." }),
      label("camera.movement.pan_left", { kind: "yes" }, { notSure: true }),
      label("camera.height.eye_level", { kind: "start_end", at: "both" }),
      label("camera.movement.dolly_in", { kind: "yes" }, { timeStart: 2 }),
    ]);
    expect(text).toBe(
      "The camera makes a complex move: it circles the table, then rises. The camera dollies in toward the man from 2 s. " +
        "The camera is at eye level throughout.",
    );
    expect(text).not.toMatch(/pans/);
  });

  it("is honest when nothing was labelled", () => {
    expect(draft([])).toBe("No camera primitive was labelled as holding.");
  });

  it("streams the draft in word chunks, deterministically, and names itself", async () => {
    const provider = createRulesProvider();
    expect(provider.name).toBe("rules");
    expect(provider.model).toMatch(/^rules/);
    const prompt = buildDraftPrompt({
      spec,
      aspect: "camera",
      labels: [label("camera.movement.dolly_in", { kind: "yes" })],
      dependencies: {},
    });
    const req = { system: prompt.system, user: prompt.user, mode: "text" as const, task: prompt.task };
    const a = await collect(provider.generate(req));
    const b = await collect(provider.generate(req));
    expect(a).toEqual(["The", " camera", " dollies", " in", " toward", " the", " man."]);
    expect(b).toEqual(a);
  });

  it("refuses a request without structured inputs", async () => {
    await expect(collect(createRulesProvider().generate({ system: "s", user: "u", mode: "text" }))).rejects.toThrow(ProviderError);
  });
});

const DRAFT =
  "The camera moves smoothly. The camera zooms in toward the man from 0.5 s to 2 s. " +
  "The beautiful camera pans left from 3 s to 4.5 s. At the start, the camera is at eye level.";

let seq = 0;
function item(over: Partial<RevisionItem>): RevisionItem {
  seq++;
  return {
    id: `i${seq}`,
    errorType: "wrong_term",
    primitiveId: null,
    what: "wrong",
    fix: "delete",
    anchor: null,
    timeStart: null,
    timeEnd: null,
    createdBy: "u1",
    createdAt: `2026-01-01T00:00:0${seq % 10}.000Z`,
    span: null,
    ...over,
  };
}

/** An anchored item whose span is resolved at the first occurrence of the quote. */
function at(quote: string, fix: string, over: Partial<RevisionItem> = {}): RevisionItem {
  const from = DRAFT.indexOf(quote);
  return item({ anchor: { start: "S", end: "E", quote }, span: { from, to: from + quote.length }, fix, ...over });
}

const revise = (items: RevisionItem[], extra: Partial<RevisionTask> = {}) =>
  applyCritique({ kind: "revision", draft: DRAFT, items, lint: { spec, lexicon, aspect: "camera" }, ...extra });

describe("rules provider: revision", () => {
  it("applies fixes at their spans, inserts time-only fixes in time order, removes subjective words", () => {
    const zoom = at("zooms in", 'write "dollies in"');
    const toward = at(" toward the man", "delete");
    const wave = item({ errorType: "missing_information", timeStart: 2.5, timeEnd: 2.5, fix: 'add "the man waves at 2.5 s"' });
    const leave = item({ errorType: "missing_information", timeStart: 6, timeEnd: 7, fix: "Mention that the man leaves the frame at 6 s" });
    const first = item({ errorType: "missing_information", timeStart: 0, timeEnd: 0.2, fix: 'add "The shot opens on a door."' });
    const out = revise([leave, wave, zoom, toward, first]);
    expect(out.text).toBe(
      "The camera moves smoothly. The shot opens on a door. The camera dollies in from 0.5 s to 2 s. The man waves at 2.5 s. " +
        "The camera pans left from 3 s to 4.5 s. At the start, the camera is at eye level. The man leaves the frame at 6 s.",
    );
    expect(out.removedSubjective).toEqual(["beautiful"]);
    expect(out.skipped).toEqual([]);
    expect(out.applied.map((a) => [a.itemId, a.how])).toEqual([
      [zoom.id, "replaced"],
      [toward.id, "deleted"],
      [first.id, "inserted"],
      [wave.id, "inserted"],
      [leave.id, "inserted"],
    ]);
  });

  it("finds the quote when the span is not resolved, and keeps sentence capitals", () => {
    const out = revise([
      item({ anchor: { start: "S", end: "E", quote: "The camera moves smoothly" }, fix: 'replace with "the camera is static"' }),
    ]);
    expect(out.text.startsWith("The camera is static. The camera zooms in")).toBe(true);
  });

  it("adds text after an anchored span", () => {
    const out = revise([at("the man", 'add "in the red coat"')]);
    expect(out.text).toContain("toward the man in the red coat from 0.5 s");
  });

  it("reports fixes it cannot apply and leaves their spans alone", () => {
    const free = at("smoothly", "make it sound better please");
    const gone = item({ anchor: { start: "S", end: "E", quote: "not in the draft" }, fix: 'write "x"' });
    const overlapA = at("zooms in toward", 'write "dollies in toward"');
    const overlapB = at("in toward the man", "delete");
    const out = revise([free, gone, overlapA, overlapB]);
    expect(out.text).toContain("moves smoothly");
    expect(out.skipped.map((s) => s.itemId).sort()).toEqual([free.id, gone.id, overlapA.id].sort());
    expect(out.skipped.find((s) => s.itemId === gone.id)?.reason).toMatch(/no longer in the draft/);
  });

  it("removes subjective words cleanly without the spec lexicon too", () => {
    const out = applyCritique({
      kind: "revision",
      draft: "An amazing dolly shot of a very beautiful and calm lake. The view is stunning. The camera pans.",
      items: [],
    });
    expect(out.text).toBe("A dolly shot of a calm lake. The camera pans.");
  });

  it("is deterministic and streams through the provider", async () => {
    const items = [at("zooms in", 'write "dollies in"')];
    const prompt = buildRevisionPrompt({ draft: DRAFT, items, lint: { spec, lexicon, aspect: "camera" } });
    const chunks = await collect(createRulesProvider().generate({ system: prompt.system, user: prompt.user, mode: "text", task: prompt.task }));
    expect(chunks.join("")).toBe(revise(items).text);
    expect(chunks.join("")).toBe(rulesOutput(prompt.task));
    expect(chunks.length).toBe(wordChunks(revise(items).text).length);
  });

  it("judges a candidate with the fix check", () => {
    const items = [at("zooms in", 'write "dollies in"')];
    const yes = buildJudgePrompt({ draft: DRAFT, items, candidate: DRAFT.replace("zooms in", "dollies in") });
    const no = buildJudgePrompt({ draft: DRAFT, items, candidate: DRAFT });
    expect(rulesOutput(yes.task)).toBe("Yes");
    expect(rulesOutput(no.task)).toBe("No");
  });

  it("stops streaming when cancelled", async () => {
    const controller = new AbortController();
    const prompt = buildRevisionPrompt({ draft: DRAFT, items: [] });
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const e of createRulesProvider().generate(
          { system: "", user: "", mode: "text", task: prompt.task },
          { signal: controller.signal },
        )) {
          if (e.type === "text") seen.push(e.text);
          controller.abort();
        }
      })(),
    ).rejects.toMatchObject({ code: "cancelled" });
    expect(seen).toHaveLength(1);
  });
});
