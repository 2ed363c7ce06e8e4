import { beforeAll, describe, expect, it } from "vitest";
import type { Aspect } from "../../../../shared/domain";
import type { Label } from "../../../../shared/labels";
import type { Lexicon } from "../../../../shared/captionSpec/lexicon";
import type { Spec } from "../../../../shared/captionSpec/schema";
import { EMPTY_FACTS } from "../../../../shared/captionFacts";
import type { CaptionFacts } from "../../../../shared/captionFacts";
import { agreementErrors, findSlots, phrasingError } from "../../../../shared/captionSpec/phrasing";
import { loadSpecDir } from "../../../captionSpec/index";
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
  composeDraft({ kind: "draft", spec, aspect: "camera", labels, facts: EMPTY_FACTS, dependencies: {} });

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
      facts: EMPTY_FACTS,
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

/** The real spec: its phrasings follow the phrasing grammar (shared/captionSpec/phrasing.ts). */
let real: Spec;
beforeAll(async () => {
  const loaded = await loadSpecDir();
  if (!loaded.ok) throw new Error("spec/ does not load");
  real = loaded.spec;
});

const POSTS: CaptionFacts = {
  subjects: [{ phrase: "the striped orange posts", plural: true, pronoun: "they" }],
  setting: "against a plain grey backdrop",
};
const CART: CaptionFacts = {
  subjects: [
    { phrase: "the green cart", plural: false, pronoun: "it" },
    { phrase: "two striped orange posts", plural: true, pronoun: "they" },
  ],
  setting: "on a pebble beach at low tide",
};
const WOMAN: CaptionFacts = { subjects: [{ phrase: "the woman in the yellow raincoat", plural: false, pronoun: "she" }], setting: null };

const yes = (id: string, over: Partial<Label> = {}) => label(id, { kind: "yes" }, over);
const one = (id: string) => label(id, { kind: "selected" });
const pair = (id: string, when: "start" | "end" | "both") => label(id, { kind: "start_end", at: when });

function realDraft(aspect: Aspect, facts: CaptionFacts, labels: Label[], checkAgreement = true): string {
  const text = composeDraft({ kind: "draft", spec: real, aspect, labels, facts, dependencies: {} });
  // Whatever the aspect and the facts: no slot ever, and no "the posts stays".
  expect(findSlots(text)).toEqual([]);
  if (checkAgreement) expect(agreementErrors(text, facts)).toEqual([]);
  return text;
}

describe("rules provider: drafts from facts", () => {
  it("opens the subject caption with the subjects, then states the labels that facts can fill", () => {
    const labels = [
      yes("subject.type.object"),
      yes("subject.attributes.colour"),
      pair("subject.pose.standing", "both"),
      pair("subject.orientation.facing_camera", "both"),
      yes("subject.relations.shadow_of"),
    ];
    expect(realDraft("subject", POSTS, labels)).toBe(
      "The clip shows the striped orange posts. The striped orange posts stand throughout. " +
        "The striped orange posts face the camera throughout. The striped orange posts cast a shadow.",
    );
    expect(realDraft("subject", CART, labels)).toBe(
      "The clip shows the green cart and two striped orange posts. The green cart stands throughout. " +
        "The green cart faces the camera throughout. The green cart casts a shadow.",
    );
  });

  it("opens the scene caption with the setting, transitions first, then the labels in the policy's order", () => {
    const labels = [
      one("scene.type.exterior"),
      pair("scene.time_of_day.daytime", "start"),
      pair("scene.time_of_day.night", "end"),
      yes("scene.weather.overcast"),
      yes("scene.setting.coast"),
      one("scene.style.live_action"),
      one("scene.dynamics.mostly_static"),
      yes("scene.transition.cut", { timeStart: 4, timeEnd: 4 }),
      one("scene.point_of_view.objective"),
    ];
    expect(realDraft("scene", CART, labels)).toBe(
      "The clip takes place on a pebble beach at low tide. The clip cuts to another shot at 4 s. The scene is outdoors. " +
        "The scene is on a beach by the sea. At the start, the scene is lit by daylight; by the end, the scene is at night. " +
        "The sky is overcast. The clip is live-action footage. The surroundings are mostly still. " +
        "The clip is seen from a detached observer's viewpoint.",
    );
    // No setting named: no opening, and the rest still reads.
    expect(realDraft("scene", WOMAN, [one("scene.type.exterior")])).toBe("The scene is outdoors.");
  });

  it("makes the motion caption's verbs agree with the subject's number", () => {
    const still = [yes("motion.dynamics.stationary", { timeStart: 0, timeEnd: 8 })];
    expect(realDraft("motion", POSTS, still)).toBe("The striped orange posts stay still from 0 s to 8 s.");
    expect(realDraft("motion", WOMAN, still)).toBe("The woman in the yellow raincoat stays still from 0 s to 8 s.");
    const moving = [yes("motion.locomotion.walk"), yes("motion.body_action.turns_head"), yes("motion.posture_change.lies_down")];
    expect(realDraft("motion", POSTS, moving)).toBe(
      "The striped orange posts walk. The striped orange posts turn their head. The striped orange posts lie down.",
    );
    expect(realDraft("motion", WOMAN, moving)).toBe(
      "The woman in the yellow raincoat walks. The woman in the yellow raincoat turns her head. The woman in the yellow raincoat lies down.",
    );
  });

  it("fills the one open slot with the label's note, and leaves out a sentence nobody can fill", () => {
    const text = realDraft("motion", WOMAN, [
      yes("motion.body_action.points", { note: "the red door." }),
      yes("motion.locomotion.walk", { note: "toward the camera" }),
      // Who she follows is not in the facts and there is no note: the sentence is left out.
      yes("motion.subject_interaction.follows"),
      // Two open slots: the note cannot say which it fills, so it is appended to what can be said.
      yes("motion.body_action.waves", { note: "with both hands" }),
    ]);
    expect(text).toBe(
      "The woman in the yellow raincoat walks toward the camera. The woman in the yellow raincoat waves: with both hands. " +
        "The woman in the yellow raincoat points at the red door.",
    );
    expect(text).not.toMatch(/follows/);
  });

  it("keeps start→end pairs in the spatial caption and drops what needs an unknown setting", () => {
    const labels = [
      pair("spatial.shot_size.wide", "both"),
      pair("spatial.frame_position.left", "start"),
      pair("spatial.frame_position.right", "end"),
      pair("spatial.depth.middle_ground", "both"),
      yes("spatial.movement.crosses_left_to_right", { timeStart: 0, timeEnd: 6 }),
    ];
    expect(realDraft("spatial", POSTS, labels)).toBe(
      "The shot is a wide shot of the striped orange posts against a plain grey backdrop throughout. " +
        "At the start, the striped orange posts are on the left side of the frame; by the end, the striped orange posts are on the right side of the frame. " +
        "The striped orange posts are in the middle ground throughout. The striped orange posts cross the frame from left to right from 0 s to 6 s.",
    );
    expect(realDraft("spatial", WOMAN, [pair("spatial.shot_size.wide", "both")])).toBe(
      "The shot is a wide shot of the woman in the yellow raincoat throughout.",
    );
  });

  it("says plainly when nothing could be stated without the facts", () => {
    const labels = [yes("motion.dynamics.stationary"), yes("motion.locomotion.walk")];
    expect(realDraft("motion", EMPTY_FACTS, labels)).toBe("No labelled motion primitive could be stated without the subjects.");
    expect(realDraft("motion", WOMAN, [yes("motion.subject_interaction.follows")])).toBe(
      "No labelled motion primitive could be stated without details only the annotator can give.",
    );
    expect(realDraft("subject", EMPTY_FACTS, [yes("subject.type.person")])).toBe(
      "No labelled subject primitive could be stated without details only the annotator can give.",
    );
    expect(realDraft("spatial", EMPTY_FACTS, [])).toBe("No spatial primitive was labelled as holding.");
    // The subjects alone are a caption of the subject aspect.
    expect(realDraft("subject", POSTS, [])).toBe("The clip shows the striped orange posts.");
  });

  it("never writes a slot or a plural subject with a singular verb, whatever is labelled", () => {
    for (const aspect of real.aspects) {
      const labels = aspect.subAspects.flatMap((sub) =>
        sub.primitives.map((p, i) =>
          p.value === "start_end"
            ? pair(p.id, (["start", "end", "both"] as const)[i % 3] ?? "both")
            : p.value === "one_of"
              ? one(p.id)
              : yes(p.id, i % 2 ? { note: "the red door" } : {}),
        ),
      );
      // An aspect whose phrasings do not all follow the grammar yet (camera, while it is rewritten) still never gets
      // a slot, but its literal verbs cannot agree; it is checked for agreement once every phrasing parses.
      const grammatical = aspect.subAspects.every((sub) => sub.primitives.every((p) => phrasingError(p.phrasing) === null));
      for (const facts of [POSTS, CART, WOMAN, EMPTY_FACTS]) realDraft(aspect.aspect, facts, labels, grammatical);
    }
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

  it("never writes a template slot from a fix: such fixes are skipped with a reason", () => {
    const anchored = at("zooms in", 'write "dollies in toward <subject>"');
    const verb = at("pans left", 'write "{pans} left"');
    const missing = item({ errorType: "missing_information", timeStart: 2.5, timeEnd: 2.5, fix: 'add "<subject> waves at 2.5 s"' });
    const fine = at("moves smoothly", 'write "moves smoothly on a dolly"');
    const out = revise([anchored, verb, missing, fine]);
    expect(findSlots(out.text)).toEqual([]);
    expect(out.text).toContain("zooms in");
    expect(out.text).toContain("moves smoothly on a dolly");
    expect(out.skipped.map((x) => x.itemId).sort()).toEqual([anchored.id, verb.id, missing.id].sort());
    expect(out.skipped.find((x) => x.itemId === anchored.id)?.reason).toMatch(/template slot "<subject>"/);
    expect(out.skipped.find((x) => x.itemId === verb.id)?.reason).toMatch(/template slot "\{pans\}"/);
    expect(out.applied.map((x) => x.itemId)).toEqual([fine.id]);
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
