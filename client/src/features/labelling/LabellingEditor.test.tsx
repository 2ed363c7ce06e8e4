import { act, cleanup, fireEvent, render } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { LabelsResponse } from "../../../../shared/api/labels";
import type { AspectSpec, Primitive, Spec, SubAspect, ValueKind } from "../../../../shared/captionSpec/schema";
import type { PlayerHandle } from "../player/types";
import { LabellingEditor } from "./LabellingEditor";
import { EMPTY_FACTS } from "../../../../shared/captionFacts";

function sub(id: string, value: ValueKind, names: string[], describe: string[] = []): SubAspect {
  const primitives: Primitive[] = names.map((n) => ({
    id: `${id}.${n}`,
    label: n.replace(/_/g, " "),
    definition: `Definition of ${n}.`,
    rule: { applies: "when it does", doesNotApply: "when it does not" },
    confusables: [],
    phrasing: n,
    avoid: [],
    keywords: [n],
    needsDescription: describe.includes(n),
    aspect: "camera",
    subAspect: id,
    value,
  }));
  return { id, label: id.split(".")[1] ?? id, description: "", value, optional: false, aspect: "camera", primitives };
}

const camera: AspectSpec = {
  aspect: "camera",
  label: "Camera",
  description: "",
  policy: { covers: ["x"], style: ["y"], dependsOn: [] },
  subAspects: [
    sub("camera.steadiness", "one_of", ["static", "smooth"]),
    sub("camera.movement", "yes_no", ["dolly_in", "complex_move"], ["complex_move"]),
    sub("camera.shot_size", "start_end", ["wide", "medium", "close_up"]),
  ],
};
const spec: Spec = {
  name: "test",
  version: "1.0.0+test",
  semver: "1.0.0",
  contentHash: "test",
  aspects: [camera],
  primitives: Object.fromEntries(camera.subAspects.flatMap((s) => s.primitives.map((p) => [p.id, p]))),
};

const initial = (over: Partial<LabelsResponse> = {}): LabelsResponse => ({
  taskId: "00000000-0000-4000-8000-000000000001",
  aspect: "camera",
  stage: "labelling",
  durationSec: 10,
  editable: true,
  readOnlyReason: null,
  labels: [],
  lastLabelled: null,
  facts: EMPTY_FACTS,
  suggestedFacts: [],
  ...over,
});

/** A stand-in for the task page's player: a playhead the test moves by hand. */
function fakePlayer() {
  const state = { t: 0 };
  const player: PlayerHandle = { currentTime: () => state.t, seek: (s) => void (state.t = s), duration: 10, fps: 24, paused: () => true };
  return { player, state };
}

function setup(over: Partial<LabelsResponse> = {}) {
  const { player, state } = fakePlayer();
  const view = render(<LabellingEditor spec={spec} aspect={camera} initial={initial(over)} player={player} />);
  const lines = view.container.querySelector<HTMLElement>(".labelling-lines");
  if (!lines) throw new Error("no lines");
  const press = (key: string, target: HTMLElement = lines) => act(() => void fireEvent.keyDown(target, { key }));
  const chip = (line: string, id: string) => view.container.querySelector(`[data-line="${line}"] [data-primitive="${id}"]`);
  const text = () => view.container.textContent ?? "";
  return { view, lines, press, chip, text, state };
}

afterEach(cleanup);

describe("LabellingEditor", () => {
  it("labels with the keyboard: arrows between sub-aspects, numbers pick, n not sure, I/O from the playhead", () => {
    const { press, chip, text, state, view } = setup();
    press("1");
    expect(chip("camera.steadiness:value", "camera.steadiness.static")?.getAttribute("aria-pressed")).toBe("true");
    press("ArrowDown");
    press("1");
    state.t = 1.5;
    press("i");
    state.t = 4;
    press("o");
    press("n");
    const extras = view.container.querySelector('.label-extras[data-label="camera.movement.dolly_in"]');
    expect(extras?.textContent).toMatch(/0:01\.5.*0:04\.0/);
    expect(extras?.querySelector<HTMLInputElement>("input[type=checkbox]")?.checked).toBe(true);
    press("Tab");
    press("1");
    press("ArrowDown");
    press("3");
    expect(chip("camera.shot_size:start", "camera.shot_size.wide")?.getAttribute("aria-pressed")).toBe("true");
    expect(chip("camera.shot_size:end", "camera.shot_size.close_up")?.getAttribute("aria-pressed")).toBe("true");
    expect(text()).toMatch(/Unsaved changes/);
    expect(text()).toMatch(/Every required sub-aspect is answered/);
    expect(view.getByRole("button", { name: /Save/ }).hasAttribute("disabled")).toBe(false);
  });

  it("shows validation live: an end needs a start, a complex move needs a description", () => {
    const { press, text, view } = setup();
    press("ArrowDown");
    press("ArrowDown");
    press("ArrowDown");
    press("2");
    expect(text()).toMatch(/an end value needs a start/);
    expect(view.getByRole("button", { name: /Save/ }).hasAttribute("disabled")).toBe(true);
    press("ArrowUp");
    press("2");
    expect(text()).not.toMatch(/an end value needs a start/);

    press("ArrowUp");
    press("2");
    expect(text()).toMatch(/A complex move needs a description/);
    const note = view.getByLabelText("Description of complex move");
    // Keys typed into the description are text, not shortcuts.
    press("1", note);
    expect(view.container.querySelector('[data-primitive="camera.movement.dolly_in"]')?.getAttribute("aria-pressed")).toBe("false");
    act(() => void fireEvent.change(note, { target: { value: "arcs left, then cranes up" } }));
    expect(text()).not.toMatch(/A complex move needs a description/);
  });

  it("is read-only with the reason when the user may not edit, and shows who labelled", () => {
    const { press, text, view, chip } = setup({
      editable: false,
      readOnlyReason: "Only the task's annotator may change its labels.",
      labels: [
        {
          primitiveId: "camera.steadiness.smooth",
          value: { kind: "selected" },
          notSure: false,
          timeStart: null,
          timeEnd: null,
          note: null,
          labelledBy: "00000000-0000-4000-8000-000000000002",
          labelledByName: "Ada Annotator",
          labelledAt: new Date().toISOString(),
        },
      ],
      lastLabelled: { by: "00000000-0000-4000-8000-000000000002", byName: "Ada Annotator", at: new Date().toISOString() },
    });
    expect(text()).toMatch(/Read only: Only the task's annotator/);
    expect(view.queryByRole("button", { name: /Save/ })).toBeNull();
    press("1");
    expect(chip("camera.steadiness:value", "camera.steadiness.static")?.getAttribute("aria-pressed")).toBe("false");
    expect(chip("camera.steadiness:value", "camera.steadiness.smooth")?.getAttribute("aria-pressed")).toBe("true");
    expect(text()).toMatch(/Saved · Ada Annotator/);
    expect(text()).not.toMatch(/Unsaved/);
  });
});
