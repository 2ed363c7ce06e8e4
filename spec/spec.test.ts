import { beforeAll, describe, expect, it } from "vitest";
import { loadSpecDir } from "../server/captionSpec/index";
import { ASPECTS } from "../shared/domain/index";
import { lintCaption } from "../shared/captionSpec/lint";
import { formatSpecError, type LoadedSpec } from "../shared/captionSpec/loader";
import { PRIMITIVE_ID, SUB_ASPECT_ID, type Primitive } from "../shared/captionSpec/schema";

/** Tests of the real caption specification in this folder (the data), through the shared loader. */

let loaded: LoadedSpec;
let all: Primitive[];

beforeAll(async () => {
  const result = await loadSpecDir();
  if (!result.ok) throw new Error(`spec/ does not load:\n${result.errors.map(formatSpecError).join("\n")}`);
  loaded = result;
  all = loaded.spec.aspects.flatMap((a) => a.subAspects.flatMap((s) => s.primitives));
});

describe("the caption spec", () => {
  it("has every aspect, in captioning order, with the content hash in its version", () => {
    expect(loaded.spec.aspects.map((a) => a.aspect)).toEqual([...ASPECTS]);
    expect(loaded.spec.version).toMatch(/^\d+\.\d+\.\d+\+[0-9a-f]{12}$/);
  });

  it("has well-formed ids, unique across the spec, nested under their parents", () => {
    const ids = new Set<string>();
    for (const aspect of loaded.spec.aspects) {
      for (const sub of aspect.subAspects) {
        expect(sub.id).toMatch(SUB_ASPECT_ID);
        expect(sub.id.startsWith(`${aspect.aspect}.`), sub.id).toBe(true);
        expect(ids.has(sub.id), `duplicate ${sub.id}`).toBe(false);
        ids.add(sub.id);
        for (const p of sub.primitives) {
          expect(p.id).toMatch(PRIMITIVE_ID);
          expect(p.id.startsWith(`${sub.id}.`), p.id).toBe(true);
          expect(ids.has(p.id), `duplicate ${p.id}`).toBe(false);
          ids.add(p.id);
        }
      }
    }
    expect(Object.keys(loaded.spec.primitives).sort()).toEqual(all.map((p) => p.id).sort());
  });

  it("names only existing primitives as confusables, never a primitive itself", () => {
    const dangling = all.flatMap((p) =>
      p.confusables.filter((c) => c === p.id || !loaded.spec.primitives[c]).map((c) => `${p.id} → ${c}`),
    );
    expect(dangling).toEqual([]);
    const lexiconIds = [
      ...loaded.lexicon.confusablePairs.flatMap((pair) => [pair.a, pair.b]),
      ...loaded.lexicon.imprecise.flatMap((t) => t.means),
    ];
    expect(lexiconIds.filter((id) => !loaded.spec.primitives[id])).toEqual([]);
  });

  it("gives every primitive a definition, a decision rule, a phrasing and keywords", () => {
    const incomplete = all
      .filter(
        (p) =>
          !p.label.trim() ||
          !p.definition.trim() ||
          !p.rule.applies.trim() ||
          !p.rule.doesNotApply.trim() ||
          !p.phrasing.trim() ||
          p.keywords.length === 0,
      )
      .map((p) => p.id);
    expect(incomplete).toEqual([]);
  });

  it("has at least 200 primitives, at least 15 per aspect, and at least 25 sub-aspects", () => {
    expect(all.length).toBeGreaterThanOrEqual(200);
    for (const aspect of loaded.spec.aspects) {
      const n = aspect.subAspects.reduce((sum, s) => sum + s.primitives.length, 0);
      expect(n, `${aspect.aspect} primitives`).toBeGreaterThanOrEqual(15);
    }
    expect(loaded.spec.aspects.reduce((n, a) => n + a.subAspects.length, 0)).toBeGreaterThanOrEqual(25);
  });

  it("gives every aspect a caption policy; motion reads subject, spatial reads subject and scene", () => {
    for (const aspect of loaded.spec.aspects) {
      expect(aspect.policy.covers.length, aspect.aspect).toBeGreaterThan(0);
      expect(aspect.policy.style.length, aspect.aspect).toBeGreaterThan(0);
    }
    const policy = (name: string) => loaded.spec.aspects.find((a) => a.aspect === name)!.policy;
    expect(policy("motion").dependsOn).toContain("subject");
    expect(policy("spatial").dependsOn).toEqual(expect.arrayContaining(["subject", "scene"]));
  });

  it("does not lint its own phrasings and keywords as subjective, hedged or imprecise", () => {
    const { spec, lexicon } = loaded;
    const flagged = all.flatMap((p) =>
      // Slots read as a noun phrase; braces and brackets are grammar, not words (shared/captionSpec/phrasing.ts).
      [p.phrasing.replace(/<[^>]*>/g, "the man").replace(/[{}[\]]/g, ""), ...p.keywords].flatMap((text) =>
        lintCaption(text, { spec, lexicon, aspect: p.aspect })
          .filter((f) => f.rule !== "missing")
          .map((f) => `${p.id}: ${f.rule} "${f.text}" in "${text}"`),
      ),
    );
    expect(flagged).toEqual([]);
  });

  it("lints the must-show caption against the real dolly-in", () => {
    const dollyIn = all.find((p) => p.aspect === "camera" && p.id.endsWith(".dolly_in"));
    expect(dollyIn).toBeDefined();
    const { spec, lexicon } = loaded;
    const opts = { spec, lexicon, aspect: "camera" as const, primitives: [dollyIn!.id] };
    const text = "An atmospheric shot where the camera zooms toward a tense man.";
    const findings = lintCaption(text, opts);
    expect(findings).toContainEqual(expect.objectContaining({ rule: "subjective", start: 3, end: 14, text: "atmospheric" }));
    expect(findings).toContainEqual(expect.objectContaining({ rule: "subjective", start: 52, end: 57, text: "tense" }));
    expect(findings).toContainEqual(
      expect.objectContaining({ rule: "confusion", start: 37, end: 42, text: "zooms", primitiveId: dollyIn!.id }),
    );
    const precise = "The camera dollies in toward a man standing at the center of the frame.";
    expect(lintCaption(precise, opts)).toEqual([]);
  });
});
