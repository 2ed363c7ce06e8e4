import { beforeAll, describe, expect, it } from "vitest";
import { loadSpecDir } from "../server/captionSpec/index";
import type { CaptionFacts } from "../shared/captionFacts";
import { EMPTY_FACTS } from "../shared/captionFacts";
import { lintCaption } from "../shared/captionSpec/lint";
import { formatSpecError, type LoadedSpec } from "../shared/captionSpec/loader";
import {
  SINGULAR_VERBS,
  agreementErrors,
  findSlots,
  parsePhrasing,
  phrasingError,
  phrasingVerbs,
  realizePhrasing,
} from "../shared/captionSpec/phrasing";
import type { Primitive } from "../shared/captionSpec/schema";

/**
 * The spec's phrasings against the phrasing grammar: every one parses, and the aspects whose phrasings name
 * subjects and settings realize into English without slots or "the posts stays" errors, whatever the facts.
 */

let loaded: LoadedSpec;
let all: Primitive[];

beforeAll(async () => {
  const result = await loadSpecDir();
  if (!result.ok) throw new Error(`spec/ does not load:\n${result.errors.map(formatSpecError).join("\n")}`);
  loaded = result;
  all = loaded.spec.aspects.flatMap((a) => a.subAspects.flatMap((s) => s.primitives));
});

/** The aspects whose phrasings are checked for realizing (camera's are rewritten separately). */
const REALIZED = new Set(["subject", "scene", "motion", "spatial"]);

const SINGULAR: CaptionFacts = {
  subjects: [
    { phrase: "the man in the grey coat", plural: false, pronoun: "he" },
    { phrase: "a small brown dog", plural: false, pronoun: "it" },
  ],
  setting: "on a pebble beach at low tide",
};
const ONE_SINGULAR: CaptionFacts = { subjects: [{ phrase: "the woman in the yellow raincoat", plural: false, pronoun: "she" }], setting: null };
const PLURAL: CaptionFacts = { subjects: [{ phrase: "the striped orange posts", plural: true, pronoun: "they" }], setting: "in a car park" };
const FACT_SETS: Array<[string, CaptionFacts]> = [
  ["two singular subjects", SINGULAR],
  ["one singular subject", ONE_SINGULAR],
  ["one plural subject", PLURAL],
  ["no facts", EMPTY_FACTS],
];

describe("the spec's phrasings", () => {
  it("all follow the phrasing grammar", () => {
    const broken = all.flatMap((p) => {
      const error = phrasingError(p.phrasing);
      return error ? [`${p.id}: ${error} — "${p.phrasing}"`] : [];
    });
    expect(broken).toEqual([]);
  });

  it("use only {verbs} the agreement check knows", () => {
    const unknown = all.flatMap((p) =>
      phrasingError(p.phrasing) ? [] : phrasingVerbs(p.phrasing).filter((v) => !SINGULAR_VERBS.has(v)).map((v) => `${p.id}: {${v}}`),
    );
    expect(unknown).toEqual([]);
  });

  it("name <subject> at most once (another subject is an open slot, a repeat is a pronoun slot)", () => {
    const twice = all
      .filter((p) => REALIZED.has(p.aspect) && (p.phrasing.match(/<subject>/g) ?? []).length > 1)
      .map((p) => p.id);
    expect(twice).toEqual([]);
  });

  it.each(FACT_SETS)("realize with %s into text without slots or agreement errors", (_name, facts) => {
    const bad: string[] = [];
    for (const p of all.filter((x) => REALIZED.has(x.aspect))) {
      const parsed = parsePhrasing(p.phrasing);
      for (const note of [null, "the red door"]) {
        const text = realizePhrasing(parsed, facts, note);
        if (text === null) continue;
        const problems = [...findSlots(text), ...agreementErrors(text, facts, phrasingVerbs(parsed))];
        if (/\s{2}|\s[,.;:]|^[,.;:]/.test(text)) problems.push("stray space or punctuation");
        if (problems.length) bad.push(`${p.id}: "${text}" — ${problems.join("; ")}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it("realize, when they can, into text the linter reads as mentioning the primitive", () => {
    const { spec, lexicon } = loaded;
    const unmentioned: string[] = [];
    for (const p of all.filter((x) => REALIZED.has(x.aspect))) {
      for (const [, facts] of FACT_SETS) {
        const text = realizePhrasing(p.phrasing, facts);
        if (text === null) continue;
        const findings = lintCaption(text, { spec, lexicon, aspect: p.aspect, primitives: [p.id] });
        const wrong = findings.filter((f) => f.rule === "missing" || f.rule === "confusion" || f.primitiveId === p.id);
        if (wrong.length) unmentioned.push(`${p.id}: "${text}" — ${wrong.map((f) => f.rule).join(", ")}`);
      }
    }
    expect(unmentioned).toEqual([]);
  });

  it("are read by the linter word for word when they need no facts, a {verb} in either number", () => {
    const spec = structuredClone(loaded.spec);
    const p = spec.primitives["scene.dynamics.static"];
    if (!p) throw new Error("scene.dynamics.static is gone");
    p.phrasing = "nothing else in the scene {moves} [besides <what moves>]";
    p.keywords = ["no keyword matches this"];
    const opts = { spec, lexicon: loaded.lexicon, aspect: "scene" as const, primitives: [p.id] };
    const missing = (text: string) => lintCaption(text, opts).filter((f) => f.rule === "missing");
    expect(missing("Nothing else in the scene moves.")).toEqual([]);
    expect(missing("Nothing else in the scene move.")).toEqual([]);
    expect(missing("The scene is still.")).toHaveLength(1);
  });

  it("say something for the labels of a typical clip once the subjects and setting are known", () => {
    const said = all
      .filter((p) => REALIZED.has(p.aspect) && realizePhrasing(p.phrasing, SINGULAR) !== null)
      .map((p) => p.id);
    // Open slots only the annotator can fill keep some out; most primitives must read well from facts alone.
    expect(said.length).toBeGreaterThan(all.filter((p) => REALIZED.has(p.aspect)).length / 2);
    expect(said).toEqual(expect.arrayContaining(["motion.dynamics.stationary", "spatial.shot_size.wide", "scene.setting.coast"]));
  });
});
