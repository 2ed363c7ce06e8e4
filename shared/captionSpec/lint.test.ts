import { describe, expect, it } from "vitest";
import { lintCaption, unknownPrimitiveIds, type Finding, type LintOptions } from "./lint";
import { inflect, inflectPhrase, termRegex } from "./terms";
import { FIXTURE_CAMERA, loadFixture } from "../../server/testing/specFixture";

const { spec, lexicon } = loadFixture();
const lint = (text: string, options: Partial<LintOptions> = {}) => lintCaption(text, { spec, lexicon, ...options });
const brief = (fs: Finding[]) => fs.map((f) => [f.rule, f.start, f.end, f.text]);

const DOLLY_IN = "camera.movement.dolly_in";

describe("lintCaption", () => {
  it("flags the subjective words and the zoom/dolly confusion with exact spans", () => {
    const text = "An atmospheric shot where the camera zooms toward a tense man.";
    const findings = lint(text, { aspect: "camera", primitives: [DOLLY_IN] });
    expect(brief(findings)).toEqual([
      ["subjective", 3, 14, "atmospheric"],
      ["confusion", 37, 42, "zooms"],
      ["subjective", 52, 57, "tense"],
    ]);
    for (const f of findings) expect(text.slice(f.start!, f.end!)).toBe(f.text);
    const confusion = findings[1]!;
    expect(confusion).toMatchObject({ severity: "error", primitiveId: DOLLY_IN, suggestion: "dollies in" });
    expect(confusion.message).toContain("camera.movement.zoom_in");
  });

  it("passes a precise caption", () => {
    const text = "The camera dollies in toward a man standing at the center of the frame.";
    expect(lint(text, { aspect: "camera", primitives: [DOLLY_IN] })).toEqual([]);
  });

  it("flags hedges, case-insensitively", () => {
    const text = "It appears that the man SEEMS to hold a cup, possibly a mug. It appears to be a mug.";
    expect(brief(lint(text))).toEqual([
      ["hedge", 0, 10, "It appears"],
      ["hedge", 24, 29, "SEEMS"],
      ["hedge", 45, 53, "possibly"],
      // "It appears" and "appears to be" overlap: one finding over both.
      ["hedge", 61, 77, "It appears to be"],
    ]);
  });

  it("matches inflections on word boundaries, and never inside other words", () => {
    for (const word of ["zoom", "zooms", "zoomed", "zooming", "Zooming"]) {
      const text = `The camera ${word} slowly.`;
      expect(brief(lint(text, { aspect: "camera" }))).toEqual([["imprecise", 11, 11 + word.length, word]]);
    }
    expect(lint("A zoo with a zoomorphic statue; zoomzoom.", { aspect: "camera" })).toEqual([]);
    expect(brief(lint("A dramatically lit, tensed face."))).toEqual([
      ["subjective", 2, 14, "dramatically"],
      ["subjective", 20, 26, "tensed"],
    ]);
  });

  it("reports labelled primitives the text never mentions, without a span, after the spanned findings", () => {
    const findings = lint("A dramatic view of the man.", {
      aspect: "camera",
      primitives: ["camera.steadiness.static", DOLLY_IN],
    });
    expect(brief(findings)).toEqual([
      ["subjective", 2, 10, "dramatic"],
      ["missing", null, null, "Dolly in"],
      ["missing", null, null, "Static"],
    ]);
    expect(findings[1]).toMatchObject({ primitiveId: DOLLY_IN, suggestion: "the camera dollies in toward the man" });
    // Mentioned in another inflection: not missing.
    expect(lint("The camera dollied in on the man.", { primitives: [DOLLY_IN] })).toEqual([]);
  });

  it("finds confusions through the lexicon pairs, answering in the matched word's form", () => {
    const findings = lint("The camera panned left past the shelves.", { primitives: ["camera.movement.truck_left"] });
    expect(brief(findings)).toEqual([["confusion", 11, 22, "panned left"]]);
    expect(findings[0]).toMatchObject({ suggestion: "trucked left", primitiveId: "camera.movement.truck_left" });
    expect(findings[0]!.message).toContain("A pan turns in place; a truck travels.");
  });

  it("does not call a mentioned or labelled primitive a confusion", () => {
    // A dolly zoom: both are labelled and both are named.
    const both = "The camera dollies in while the lens zooms in on the man.";
    expect(lint(both, { primitives: [DOLLY_IN, "camera.movement.zoom_in"] })).toEqual([]);
    // The precise "zooms in" names the labelled zoom in: the loose-word rule stays quiet.
    expect(lint("The lens zooms in on the man.", { aspect: "camera", primitives: ["camera.movement.zoom_in"] })).toEqual([]);
    // A dolly zoom: "zooms out" names the labelled zoom out, not the dolly in's confusable zoom in.
    const dollyZoom = lint("The lens zooms out.", { aspect: "camera", primitives: [DOLLY_IN, "camera.movement.zoom_out"] });
    expect(brief(dollyZoom)).toEqual([["missing", null, null, "Dolly in"]]);
    // Nothing labelled: a loose word inside any precise keyword of the spec is still not loose.
    expect(lint("The lens zoomed in on the man.", { aspect: "camera" })).toEqual([]);
  });

  it("does not count a mention inside a longer name of a confusable", () => {
    const shaky = loadFixture({
      "camera.yaml": FIXTURE_CAMERA.replace(
        "keywords: [unsteady, handheld shake]",
        "keywords: [unsteady, static camera with shake]\n        confusables: [camera.steadiness.static]",
      ),
    });
    const opts = { ...shaky, primitives: ["camera.steadiness.static"] };
    const findings = lintCaption("A static camera with shake films the man.", opts);
    expect(brief(findings)).toEqual([["confusion", 2, 26, "static camera with shake"]]);
    expect(lintCaption("A static camera films the man.", opts)).toEqual([]);
  });

  it("flags a labelled primitive's own words to avoid, with its phrasing as the fix", () => {
    const findings = lint("The camera pushes in on the man.", { primitives: [DOLLY_IN] });
    expect(brief(findings)).toEqual([["imprecise", 11, 20, "pushes in"]]);
    expect(findings[0]).toMatchObject({ primitiveId: DOLLY_IN, suggestion: "dollies in" });
  });

  it("scopes lexicon terms and labelled primitives to the aspect", () => {
    expect(lint("The camera zooms and is shaky.", { aspect: "subject" })).toEqual([]);
    expect(brief(lint("The camera zooms and is shaky.", { aspect: "camera" }))).toEqual([
      ["imprecise", 11, 16, "zooms"],
      ["imprecise", 24, 29, "shaky"],
    ]);
    // A camera primitive is not checked in a subject caption.
    expect(lint("A man.", { aspect: "subject", primitives: [DOLLY_IN] })).toEqual([]);
  });

  it("returns the same findings in the same order for the same input", () => {
    const text = "It appears an atmospheric, dramatic shot; the camera zooms, seems shaky, possibly tense.";
    const a = lint(text, { aspect: "camera", primitives: [DOLLY_IN, "camera.steadiness.static"] });
    const b = lint(text, { aspect: "camera", primitives: ["camera.steadiness.static", DOLLY_IN, DOLLY_IN] });
    expect(b).toEqual(a);
    const starts = a.filter((f) => f.start !== null).map((f) => f.start!);
    expect(starts).toEqual([...starts].sort((x, y) => x - y));
  });

  it("lists unknown primitive ids", () => {
    expect(unknownPrimitiveIds(spec, [DOLLY_IN, "camera.movement.warp_speed"])).toEqual(["camera.movement.warp_speed"]);
    // Inherited object keys are not primitives, and linting with them does not throw.
    expect(unknownPrimitiveIds(spec, ["constructor", "__proto__", "toString"])).toHaveLength(3);
    expect(lint("A man.", { primitives: ["constructor", "toString"] })).toEqual([]);
  });
});

describe("term matching", () => {
  it("inflects base forms", () => {
    expect(inflect("dolly", "s")).toBe("dollies");
    expect(inflect("dolly", "ed")).toBe("dollied");
    expect(inflect("pan", "ed")).toBe("panned");
    expect(inflect("pan", "ing")).toBe("panning");
    expect(inflect("move", "ing")).toBe("moving");
    expect(inflect("push", "s")).toBe("pushes");
    expect(inflect("zooms", "base")).toBe("zoom");
    expect(inflectPhrase("dolly in", "s")).toBe("dollies in");
    expect(inflectPhrase("the camera pans left", "ing")).toBe("the camera panning left");
  });

  it("joins words by spaces or hyphens", () => {
    const r = termRegex("close up");
    expect("a close-up, a close up, a closeup".match(r)).toEqual(["close-up", "close up"]);
  });
});
