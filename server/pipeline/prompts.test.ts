import { describe, expect, it } from "vitest";
import type { CritiqueItem } from "../../shared/critique/items";
import { EMPTY_FACTS } from "../../shared/captionFacts";
import type { CaptionFacts } from "../../shared/captionFacts";
import { fixtureSpec, label } from "../testing/pipelineFixtures";
import { buildDraftPrompt, buildJudgePrompt, buildPolishCritiquePrompt, buildRevisionPrompt, promptHash } from "./prompts";
import type { RevisionItem } from "./prompts";

const spec = fixtureSpec();

const item = (over: Partial<RevisionItem>): RevisionItem => ({
  id: "i1",
  errorType: "wrong_term",
  primitiveId: "camera.movement.dolly_in",
  what: "the focal length does not change; the camera moves forward",
  fix: 'write "dollies in"',
  anchor: { start: "AAAA", end: "BBBB", quote: "zooms in" },
  timeStart: 1.2,
  timeEnd: 2,
  createdBy: "u1",
  createdAt: "2026-01-01T00:00:00.000Z",
  span: { from: 11, to: 19 },
  ...over,
});

describe("prompts", () => {
  it("a draft prompt carries the policy, the labels as ground truth and the spec's phrasing", () => {
    const p = buildDraftPrompt({
      spec,
      aspect: "camera",
      labels: [
        label("camera.movement.dolly_in", { kind: "yes" }, { timeStart: 0.5, timeEnd: 2 }),
        label("camera.height.eye_level", { kind: "start_end", at: "start" }),
        label("camera.movement.pan_left", { kind: "yes" }, { notSure: true }),
        label("motion.action.wave", { kind: "yes" }),
      ],
      facts: EMPTY_FACTS,
      dependencies: {},
    });
    expect(p.system).toContain("Cover, in this order:\n- steadiness\n- movement\n- height");
    expect(p.system).toContain("- Use precise cinematography terms.");
    expect(p.system).toContain("use them directly and do not go beyond them");
    expect(p.user).toContain("use these directly and do not go beyond them");
    expect(p.user).toContain(
      'Movement: Dolly in (camera.movement.dolly_in); definition: Definition of dolly in.; phrasing: "the camera dollies in toward the man"; time: from 0.5 s to 2 s; avoid: "zoom in", "zooms in"',
    );
    expect(p.user).toContain("Camera height: Eye level (camera.height.eye_level)");
    expect(p.user).toContain("holds at the start");
    // Not-sure labels are set apart; labels of other aspects are not this caption's business.
    expect(p.user).toMatch(/not sure" \(do not state these as facts\):\n- Movement: Pan left/);
    expect(p.user).not.toContain("motion.action.wave");
    expect(p.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(p.task.kind).toBe("draft");
  });

  it("motion reads the subject caption; spatial reads subject and scene", () => {
    const motion = buildDraftPrompt({
      spec,
      aspect: "motion",
      labels: [label("motion.action.wave", { kind: "yes" })],
      facts: EMPTY_FACTS,
      dependencies: { subject: "A man in a red coat stands by a door.", scene: "A street." },
    });
    expect(motion.user).toContain("Subject caption (approved; refer to subjects and places the way it does):\nA man in a red coat stands by a door.");
    expect(motion.user).not.toContain("A street.");
    const spatial = buildDraftPrompt({ spec, aspect: "spatial", labels: [], facts: EMPTY_FACTS, dependencies: { subject: "A man." } });
    expect(spatial.user).toContain("Subject caption (approved");
    expect(spatial.user).toContain("The clip's Scene caption is not available.");
  });

  it("a draft prompt gives the subjects and the setting as ground truth, and says phrasings are templates", () => {
    const facts: CaptionFacts = {
      subjects: [
        { phrase: "the man in the grey coat", plural: false, pronoun: "he" },
        { phrase: "two striped orange posts", plural: true, pronoun: "they" },
      ],
      setting: "on a pebble beach at low tide",
    };
    const p = buildDraftPrompt({ spec, aspect: "motion", labels: [label("motion.action.walk", { kind: "yes" })], facts, dependencies: {} });
    const [first] = p.user.split("\n\n");
    expect(first).toBe(
      [
        "Subjects and setting (ground truth named by the annotator — use these noun phrases as written):",
        '- Subject 1 (<subject>): "the man in the grey coat" — singular; pronouns he/him/his',
        '- Subject 2: "two striped orange posts" — plural; pronouns they/them/their',
        '- All subjects (<subjects>): "the man in the grey coat and two striped orange posts" — plural; pronouns they/them/their',
        '- Setting (<setting>): "on a pebble beach at low tide"',
      ].join("\n"),
    );
    expect(p.system).toMatch(/A phrasing is a template to fill, never to copy/);
    expect(p.system).toMatch(/never contains <, >, \{, \}, \[ or \] from a phrasing/);
    expect(p.system).toContain("make every verb agree with them in number");
    expect(p.task.facts).toEqual(facts);

    const none = buildDraftPrompt({ spec, aspect: "motion", labels: [], facts: EMPTY_FACTS, dependencies: {} });
    expect(none.user).toContain("- No subjects were named: leave out what would need them.\n- No setting was named: leave out what would need it.");
    // The facts are part of the prompt, so of its hash.
    expect(none.hash).not.toBe(buildDraftPrompt({ spec, aspect: "motion", labels: [], facts, dependencies: {} }).hash);
  });

  it("hashes are stable and change with the prompt", () => {
    const input = { spec, aspect: "camera" as const, labels: [label("camera.steadiness.static", { kind: "selected" as const })], facts: EMPTY_FACTS, dependencies: {} };
    const a = buildDraftPrompt(input);
    const b = buildDraftPrompt(structuredClone(input));
    expect(a.hash).toBe(b.hash);
    expect(a.hash).toBe(promptHash(a.system, a.user));
    const c = buildDraftPrompt({ ...input, labels: [label("camera.steadiness.smooth", { kind: "selected" })] });
    expect(c.hash).not.toBe(a.hash);
  });

  it("a revision prompt gives the draft and each item's quote, time, error, what and fix, in time order", () => {
    const items: RevisionItem[] = [
      item({ id: "late", timeStart: 4, timeEnd: 5, anchor: { start: "A", end: "B", quote: "beautiful" }, fix: "delete", errorType: "subjective_language", what: "a judgement", primitiveId: null }),
      item({}),
      item({ id: "missing", anchor: null, span: null, errorType: "missing_information", timeStart: 3, timeEnd: 3, what: "The pan is not mentioned", fix: 'add "The camera pans left at 3 s."', primitiveId: null }),
    ];
    const p = buildRevisionPrompt({ draft: "The camera zooms in toward a beautiful man.", items });
    expect(p.system).toContain("Change only what the critique asks.");
    expect(p.user).toContain("Draft caption:\nThe camera zooms in toward a beautiful man.");
    const at = (s: string) => p.user.indexOf(s);
    expect(at('Span: "zooms in"')).toBeGreaterThan(0);
    expect(at('Span: "zooms in"')).toBeLessThan(at("Span: none — information missing"));
    expect(at("Span: none — information missing")).toBeLessThan(at('Span: "beautiful"'));
    expect(p.user).toContain(
      [
        "1. Wrong term",
        '   Span: "zooms in"',
        "   Time: 00:01.2–00:02.0",
        "   Primitive: camera.movement.dolly_in",
        "   What is wrong: the focal length does not change; the camera moves forward",
        '   Fix: write "dollies in"',
      ].join("\n"),
    );
    expect(p.user).toContain("   Time: 00:03.0\n");
    expect(p.task.items.map((i) => i.id)).toEqual(["i1", "missing", "late"]);
  });

  it("says when a quoted span is gone", () => {
    const p = buildRevisionPrompt({ draft: "Text.", items: [item({ span: null })] });
    expect(p.user).toContain('Span: "zooms in (this text is no longer in the draft)"');
  });

  it("polish and judge prompts", () => {
    const critique: CritiqueItem = item({});
    const polish = buildPolishCritiquePrompt({ draft: "The camera zooms in.", items: [critique] });
    expect(polish.system).toMatch(/Keep its meaning/);
    expect(polish.user).toContain('[00:01.2–00:02.0] Wrong term: "zooms in" —');
    const judge = buildJudgePrompt({ draft: "The camera zooms in.", items: [item({})], candidate: "The camera dollies in." });
    expect(judge.system).toMatch(/Yes or No/);
    expect(judge.user).toContain("Revised caption:\nThe camera dollies in.");
  });
});
