import { describe, expect, it } from "vitest";
import { formatPath, formatSpecError, loadSpec, type SpecError } from "./loader";
import { FIXTURE_CAMERA, FIXTURE_INDEX, FIXTURE_LEXICON, fixtureFiles, loadFixture, sha256Hex, simpleAspect } from "../../server/testing/specFixture";
import { canonicalJson, parseSpecVersion } from "./version";

function errorsOf(replace: Record<string, string>): SpecError[] {
  const result = loadSpec(fixtureFiles(replace), { sha256Hex });
  if (result.ok) throw new Error("expected the spec not to load");
  return result.errors;
}

/** 1-based line of the first occurrence of a snippet in a text. */
function lineOf(text: string, snippet: string, from = 0): number {
  const at = text.indexOf(snippet, from);
  if (at === -1) throw new Error(`snippet not found: ${snippet}`);
  return text.slice(0, at).split("\n").length;
}

describe("loadSpec", () => {
  it("loads a valid spec: aspects in index order, primitives carrying aspect, sub-aspect and value kind", () => {
    const { spec, lexicon } = loadFixture();
    expect(spec.aspects.map((a) => a.aspect)).toEqual(["subject", "scene", "motion", "spatial", "camera"]);
    expect(spec.primitives["camera.movement.dolly_in"]).toMatchObject({
      aspect: "camera",
      subAspect: "camera.movement",
      value: "yes_no",
      needsDescription: false,
    });
    expect(spec.primitives["camera.steadiness.static"]?.confusables).toEqual([]);
    expect(Object.keys(spec.primitives)).toHaveLength(4 * 2 + 7);
    expect(spec.semver).toBe("1.0.0");
    expect(parseSpecVersion(spec.version)).toEqual({ semver: "1.0.0", contentHash: spec.contentHash });
    expect(lexicon.confusablePairs).toHaveLength(1);
  });

  it("reports a malformed primitive id with its path and line", () => {
    const camera = FIXTURE_CAMERA.replace("id: camera.movement.zoom_in", "id: camera.movement.Zoom-In");
    const errors = errorsOf({ "camera.yaml": camera });
    expect(errors).toContainEqual(
      expect.objectContaining({
        file: "camera.yaml",
        path: "subAspects[0].primitives[1].id",
        line: lineOf(camera, "camera.movement.Zoom-In"),
        message: expect.stringMatching(/aspect\.sub_aspect\.name/),
      }),
    );
  });

  it("reports a primitive id outside its sub-aspect and a sub-aspect id outside its aspect", () => {
    const camera = FIXTURE_CAMERA.replace("id: camera.movement.pan_left", "id: camera.steadiness.pan_left")
      .replace("confusables: [camera.movement.pan_left]", "confusables: [camera.steadiness.pan_left]")
      .replace("- id: camera.steadiness\n", "- id: spatial.steadiness\n");
    const errors = errorsOf({ "camera.yaml": camera });
    expect(errors).toContainEqual(
      expect.objectContaining({
        path: "subAspects[0].primitives[3].id",
        line: lineOf(camera, "id: camera.steadiness.pan_left"),
        message: expect.stringContaining('must start with "camera.movement."'),
      }),
    );
    expect(errors).toContainEqual(
      expect.objectContaining({ path: "subAspects[1].id", message: expect.stringContaining('must start with "camera."') }),
    );
  });

  it("reports a duplicate id where it repeats, naming the first use", () => {
    const camera = FIXTURE_CAMERA.replace("id: camera.movement.truck_left", "id: camera.movement.pan_left");
    const errors = errorsOf({ "camera.yaml": camera });
    const dup = errors.find((e) => e.message.includes("already used"));
    expect(dup).toMatchObject({
      file: "camera.yaml",
      path: "subAspects[0].primitives[4].id",
      line: lineOf(camera, "id: camera.movement.pan_left", camera.indexOf("id: camera.movement.pan_left") + 1),
    });
    expect(dup?.message).toContain("subAspects[0].primitives[3]");
  });

  it("reports a dangling confusable and a self-reference with the exact list index", () => {
    const camera = FIXTURE_CAMERA.replace(
      "confusables: [camera.movement.zoom_in]",
      "confusables: [camera.movement.zoom_in, camera.movement.crash_zoom, camera.movement.dolly_in]",
    );
    const errors = errorsOf({ "camera.yaml": camera });
    const line = lineOf(camera, "camera.movement.crash_zoom");
    expect(errors).toContainEqual({
      file: "camera.yaml",
      path: "subAspects[0].primitives[0].confusables[1]",
      line,
      column: camera.split("\n")[line - 1]!.indexOf("camera.movement.crash_zoom") + 1,
      message: 'confusable "camera.movement.crash_zoom" is not a primitive of the spec',
    });
    expect(errors).toContainEqual(
      expect.objectContaining({ path: "subAspects[0].primitives[0].confusables[2]", message: expect.stringContaining("itself") }),
    );
  });

  it("reports a file whose aspect does not match the index", () => {
    const errors = errorsOf({ "scene.yaml": simpleAspect("subject").replace("aspect: subject", "aspect: scene") });
    // scene.yaml is listed for scene; here it declares scene but its ids say subject.
    expect(errors.some((e) => e.file === "scene.yaml" && e.path === "subAspects[0].id")).toBe(true);
    const wrong = errorsOf({ "scene.yaml": simpleAspect("scene").replace("aspect: scene", "aspect: motion") });
    expect(wrong).toContainEqual(
      expect.objectContaining({ file: "scene.yaml", path: "aspect", line: 1, message: expect.stringContaining('listed for aspect "scene"') }),
    );
  });

  it("reports a dependency on a later aspect and on itself", () => {
    const errors = errorsOf({ "scene.yaml": simpleAspect("scene", ["camera", "scene"]) });
    expect(errors).toContainEqual(
      expect.objectContaining({ file: "scene.yaml", path: "policy.dependsOn[0]", line: 7, message: expect.stringContaining("after") }),
    );
    expect(errors).toContainEqual(expect.objectContaining({ path: "policy.dependsOn[1]", message: expect.stringContaining("itself") }));
  });

  it("reports missing and unknown fields, collecting every error instead of stopping at the first", () => {
    const camera = FIXTURE_CAMERA.replace("        phrasing: the lens zooms in on the man\n", "        phrase: zoom\n");
    const errors = errorsOf({ "camera.yaml": camera, "subject.yaml": simpleAspect("subject").replace("value: one_of", "value: many") });
    expect(errors).toContainEqual(expect.objectContaining({ file: "camera.yaml", path: "subAspects[0].primitives[1].phrasing" }));
    expect(errors).toContainEqual(
      expect.objectContaining({
        file: "camera.yaml",
        path: "subAspects[0].primitives[1].phrase",
        line: lineOf(camera, "phrase: zoom"),
        message: 'unknown field "phrase"',
      }),
    );
    expect(errors).toContainEqual(expect.objectContaining({ file: "subject.yaml", path: "subAspects[0].value", line: 12 }));
  });

  it("reports YAML syntax errors with their line, and missing files against the index entry", () => {
    const errors = errorsOf({ "motion.yaml": "aspect: motion\nlabel: [unclosed\n" });
    expect(errors.some((e) => e.file === "motion.yaml" && e.line !== undefined && e.message.startsWith("YAML:"))).toBe(true);

    const files = fixtureFiles().filter((f) => f.path !== "spatial.yaml");
    const result = loadSpec(files, { sha256Hex });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors).toContainEqual(
        expect.objectContaining({ file: "spec.yaml", path: "aspects[3].file", line: lineOf(FIXTURE_INDEX, "spatial.yaml") }),
      );
    }
  });

  it("checks that lexicon pairs and meanings name primitives of the spec", () => {
    const lexicon = FIXTURE_LEXICON.replace("b: camera.movement.truck_left", "b: camera.movement.truck_right");
    const errors = errorsOf({ "lexicon.yaml": lexicon });
    expect(errors).toEqual([
      expect.objectContaining({ file: "lexicon.yaml", path: "confusablePairs[0].b", line: lineOf(lexicon, "truck_right") }),
    ]);
  });

  it("formats errors as file:line:column path: message", () => {
    expect(formatSpecError({ file: "camera.yaml", path: "subAspects[0].id", line: 3, column: 9, message: "bad" })).toBe(
      "camera.yaml:3:9 subAspects[0].id: bad",
    );
    expect(formatPath(["subAspects", 3, "primitives", 7, "confusables", 1])).toBe("subAspects[3].primitives[7].confusables[1]");
  });
});

describe("spec version", () => {
  it("changes when a definition changes, and only then", () => {
    const base = loadFixture().spec.version;
    expect(loadFixture().spec.version).toBe(base);
    // Formatting and comments are not content.
    expect(loadFixture({ "camera.yaml": `# a comment\n${FIXTURE_CAMERA}\n\n` }).spec.version).toBe(base);
    const edited = loadFixture({
      "camera.yaml": FIXTURE_CAMERA.replace("The camera travels forward.", "The camera travels forward on a track."),
    }).spec.version;
    expect(edited).not.toBe(base);
    expect(edited.startsWith("1.0.0+")).toBe(true);
    const bumped = loadFixture({ "spec.yaml": FIXTURE_INDEX.replace("version: 1.0.0", "version: 1.1.0") }).spec.version;
    expect(bumped.startsWith("1.1.0+")).toBe(true);
    const lexiconEdit = loadFixture({ "lexicon.yaml": FIXTURE_LEXICON.replace("term: dramatic", "term: moody") });
    expect(lexiconEdit.spec.version).not.toBe(base);
  });

  it("serialises canonically: key order does not matter, content does", () => {
    expect(canonicalJson({ b: 1, a: [1, { d: null, c: "x" }] })).toBe('{"a":[1,{"c":"x","d":null}],"b":1}');
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
    expect(canonicalJson({ a: undefined, b: 2 })).toBe('{"b":2}');
  });
});
