import { createHash } from "node:crypto";
import { ASPECTS, type Aspect } from "../../shared/domain";
import { loadSpec, type LoadedSpec, type SpecSourceFile } from "../../shared/captionSpec/loader";

/** Small spec folders for tests of the loader, the linter and the CLI (test-only: uses node:crypto). */

export const sha256Hex = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

export const FIXTURE_INDEX = `name: Fixture spec
version: 1.0.0
aspects:
  - aspect: subject
    file: subject.yaml
  - aspect: scene
    file: scene.yaml
  - aspect: motion
    file: motion.yaml
  - aspect: spatial
    file: spatial.yaml
  - aspect: camera
    file: camera.yaml
lexicon: lexicon.yaml
`;

function primitive(id: string, label: string, keywords: string[], extra = "") {
  return `      - id: ${id}
        label: ${label}
        definition: Definition of ${label}.
        rule:
          applies: When ${label} holds.
          doesNotApply: When it does not.
        phrasing: the ${label.toLowerCase()}
        keywords: [${keywords.join(", ")}]
${extra}`;
}

/** A one-sub-aspect file for an aspect other than camera. */
export function simpleAspect(aspect: Aspect, dependsOn: Aspect[] = []): string {
  return `aspect: ${aspect}
label: ${aspect}
description: The ${aspect} aspect.
policy:
  covers: [what]
  style: [plain English]
  dependsOn: [${dependsOn.join(", ")}]
subAspects:
  - id: ${aspect}.kind
    label: Kind
    description: What kind.
    value: one_of
    primitives:
${primitive(`${aspect}.kind.first`, "First", ["first thing"])}${primitive(`${aspect}.kind.second`, "Second", ["second thing"])}`;
}

/** The camera file: line numbers matter to the loader tests, so it is written out. */
export const FIXTURE_CAMERA = `aspect: camera
label: Camera
description: How the camera records the clip.
policy:
  covers: [movement]
  style: [plain English]
  dependsOn: [subject]
subAspects:
  - id: camera.movement
    label: Movement
    description: How the camera travels or turns.
    value: yes_no
    primitives:
      - id: camera.movement.dolly_in
        label: Dolly in
        definition: The camera travels forward.
        rule:
          applies: Near things grow faster than far ones.
          doesNotApply: Uniform magnification is a zoom in.
        confusables: [camera.movement.zoom_in]
        phrasing: the camera dollies in toward the man
        avoid: [push in]
        keywords: [dolly in, dolly forward]
      - id: camera.movement.zoom_in
        label: Zoom in
        definition: The focal length grows; the camera stays put.
        rule:
          applies: Everything magnifies uniformly.
          doesNotApply: Parallax means a dolly in.
        confusables: [camera.movement.dolly_in]
        phrasing: the lens zooms in on the man
        keywords: [zoom in, zooms in on]
      - id: camera.movement.zoom_out
        label: Zoom out
        definition: The focal length shrinks; the camera stays put.
        rule:
          applies: Everything shrinks uniformly.
          doesNotApply: Parallax means a dolly out.
        phrasing: the lens zooms out
        keywords: [zoom out]
      - id: camera.movement.pan_left
        label: Pan left
        definition: The camera turns left in place.
        rule:
          applies: The view sweeps left without parallax.
          doesNotApply: Travelling sideways is a truck.
        confusables: [camera.movement.truck_left]
        phrasing: the camera pans left
        keywords: [pan left, pans to the left]
      - id: camera.movement.truck_left
        label: Truck left
        definition: The camera travels sideways to the left.
        rule:
          applies: Parallax while moving sideways.
          doesNotApply: Turning in place is a pan.
        confusables: [camera.movement.pan_left]
        phrasing: the camera trucks left
        keywords: [truck left]
  - id: camera.steadiness
    label: Steadiness
    description: How steady the picture is.
    value: one_of
    primitives:
      - id: camera.steadiness.static
        label: Static
        definition: The camera does not move.
        rule:
          applies: No movement at all.
          doesNotApply: Any shake.
        phrasing: the camera is static
        keywords: [static camera, camera is static]
      - id: camera.steadiness.unsteady
        label: Unsteady
        definition: Visible shake.
        rule:
          applies: The frame shakes.
          doesNotApply: A locked-off camera.
        phrasing: the camera is unsteady
        avoid: [shaky]
        keywords: [unsteady, handheld shake]
`;

export const FIXTURE_LEXICON = `subjective:
  - term: atmospheric
    suggestion: Describe the light instead.
  - term: tense
    suggestion: Describe the visible behaviour.
  - term: dramatic
    suggestion: Name the technique.
hedges:
  - term: it appears
    suggestion: State what is visible.
  - term: appear to be
    suggestion: State what is visible.
  - term: seem
    suggestion: State what is visible.
  - term: possibly
    suggestion: Leave it out unless visible.
imprecise:
  - term: zoom
    suggestion: Say whether the lens zooms or the camera dollies.
    aspects: [camera]
    means: [camera.movement.zoom_in, camera.movement.dolly_in]
  - term: shaky
    suggestion: Say unsteady.
    aspects: [camera]
confusablePairs:
  - a: camera.movement.pan_left
    b: camera.movement.truck_left
    note: A pan turns in place; a truck travels.
`;

/** The files of a valid fixture spec; pass replacements by path to break one. */
export function fixtureFiles(replace: Record<string, string> = {}): SpecSourceFile[] {
  const files: Record<string, string> = { "spec.yaml": FIXTURE_INDEX, "lexicon.yaml": FIXTURE_LEXICON, "camera.yaml": FIXTURE_CAMERA };
  for (const aspect of ASPECTS) {
    if (aspect !== "camera") files[`${aspect}.yaml`] = simpleAspect(aspect, aspect === "motion" ? ["subject"] : []);
  }
  Object.assign(files, replace);
  return Object.entries(files).map(([path, text]) => ({ path, text }));
}

export function loadFixture(replace: Record<string, string> = {}): LoadedSpec {
  const result = loadSpec(fixtureFiles(replace), { sha256Hex });
  if (!result.ok) throw new Error(`fixture does not load: ${JSON.stringify(result.errors)}`);
  return result;
}
