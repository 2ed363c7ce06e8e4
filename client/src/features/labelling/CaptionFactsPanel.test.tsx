import { act, cleanup, fireEvent, render, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { LabelsResponse, PutLabelsResponse } from "../../../../shared/api/labels";
import type { AspectSpec, Primitive, Spec, SubAspect } from "../../../../shared/captionSpec/schema";
import { EMPTY_FACTS, type CaptionFacts } from "../../../../shared/captionFacts";
import { LabellingEditor } from "./LabellingEditor";

/** A one-sub-aspect subject aspect: the facts section is what these tests are about. */
function typeSub(): SubAspect {
  const primitives: Primitive[] = ["person", "vehicle"].map((n) => ({
    id: `subject.type.${n}`,
    label: n,
    definition: `Definition of ${n}.`,
    rule: { applies: "when it does", doesNotApply: "when it does not" },
    confusables: [],
    phrasing: n,
    avoid: [],
    keywords: [n],
    needsDescription: false,
    aspect: "subject",
    subAspect: "subject.type",
    value: "yes_no",
  }));
  return { id: "subject.type", label: "Type", description: "", value: "yes_no", optional: false, aspect: "subject", primitives };
}

const subject: AspectSpec = {
  aspect: "subject",
  label: "Subject",
  description: "",
  policy: { covers: ["x"], style: ["y"], dependsOn: [] },
  subAspects: [typeSub()],
};
const spec: Spec = {
  name: "test",
  version: "1.0.0+test",
  semver: "1.0.0",
  contentHash: "test",
  aspects: [subject],
  primitives: Object.fromEntries(subject.subAspects.flatMap((s) => s.primitives.map((p) => [p.id, p]))),
};

const TASK = "00000000-0000-4000-8000-000000000001";

const initial = (over: Partial<LabelsResponse> = {}): LabelsResponse => ({
  taskId: TASK,
  aspect: "subject",
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

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

/** The server's answer to a PUT: it stores what was sent. */
function answer(body: { facts: CaptionFacts }): PutLabelsResponse {
  return { ...initial(), facts: body.facts, warnings: [], changes: { added: 0, changed: 0, removed: 0, unchanged: 0 }, factsChanged: true };
}

function setup(over: Partial<LabelsResponse> = {}) {
  const view = render(<LabellingEditor spec={spec} aspect={subject} initial={initial(over)} player={null} canFinish />);
  const section = view.getByTestId("caption-facts");
  const text = () => view.container.textContent ?? "";
  const finish = () => view.getByTestId("finish-labelling");
  return { view, section, text, finish };
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe("CaptionFactsPanel", () => {
  it("names subjects (plural forces “they”), reorders them, takes a setting, and saves them with the labels", async () => {
    const puts: unknown[] = [];
    vi.stubGlobal(
      "fetch",
      vi.fn(async (_url: string, init?: RequestInit) => {
        const body = JSON.parse(String(init?.body)) as { facts: CaptionFacts };
        puts.push(body);
        return json(answer(body));
      }),
    );
    const { view, section, text, finish } = setup();
    // Without a subject the subject aspect cannot be finished, and the panel says why before anything is sent.
    expect(finish().hasAttribute("disabled")).toBe(true);
    expect(within(section).getByTestId("facts-missing").textContent).toMatch(/Name at least one subject/);
    expect(finish().getAttribute("title")).toMatch(/Name at least one subject/);

    act(() => void fireEvent.click(within(section).getByRole("button", { name: "+ Add a subject" })));
    const phrase1 = within(section).getByLabelText("Subject 1 noun phrase");
    // The row just added has the keyboard.
    expect(document.activeElement).toBe(phrase1);
    // Keys typed into the phrase are text, not labelling shortcuts (1 would pick a chip).
    act(() => void fireEvent.keyDown(phrase1, { key: "1" }));
    expect(view.container.querySelector('[data-primitive="subject.type.person"]')?.getAttribute("aria-pressed")).toBe("false");
    act(() => void fireEvent.change(phrase1, { target: { value: "striped orange posts" } }));
    const plural = within(section).getByRole("checkbox", { name: "more than one" });
    // Keys on the checkbox (not a text field) belong to the section too, not to the sub-aspect under the cursor.
    act(() => void fireEvent.keyDown(plural, { key: "2" }));
    expect(view.container.querySelector('[data-primitive="subject.type.vehicle"]')?.getAttribute("aria-pressed")).toBe("false");
    act(() => void fireEvent.click(plural));
    const pronoun1 = within(section).getByLabelText("Subject 1 pronoun") as HTMLSelectElement;
    expect(pronoun1.value).toBe("they");
    expect(pronoun1.disabled).toBe(true);

    act(() => void fireEvent.click(within(section).getByRole("button", { name: "+ Add a subject" })));
    act(() => void fireEvent.change(within(section).getByLabelText("Subject 2 noun phrase"), { target: { value: "a green cart" } }));
    act(() => void fireEvent.click(within(section).getByRole("button", { name: "Move subject 2 up" })));
    expect((within(section).getByLabelText("Subject 1 noun phrase") as HTMLInputElement).value).toBe("a green cart");
    expect((within(section).getByLabelText("Subject 1 pronoun") as HTMLSelectElement).value).toBe("it");

    act(() => void fireEvent.change(within(section).getByLabelText("Setting"), { target: { value: "  in a flat, computer-drawn scene " } }));
    // A third row left blank is work in progress: not saved, and not in the way of saving.
    act(() => void fireEvent.click(within(section).getByRole("button", { name: "+ Add a subject" })));

    expect(text()).toMatch(/Unsaved changes/);
    expect(finish().hasAttribute("disabled")).toBe(false);
    await act(async () => void fireEvent.keyDown(within(section).getByLabelText("Setting"), { key: "s", ctrlKey: true }));
    expect(puts).toEqual([
      {
        labels: [],
        facts: {
          subjects: [
            { phrase: "a green cart", plural: false, pronoun: "it" },
            { phrase: "striped orange posts", plural: true, pronoun: "they" },
          ],
          setting: "in a flat, computer-drawn scene",
        },
      },
    ]);
    expect(text()).not.toMatch(/Unsaved changes/);
  });

  it("refuses to save a phrase with grammar characters, in words", () => {
    const { section, view } = setup();
    act(() => void fireEvent.click(within(section).getByRole("button", { name: "+ Add a subject" })));
    act(() => void fireEvent.change(within(section).getByLabelText("Subject 1 noun phrase"), { target: { value: "<subject>" } }));
    expect(within(section).getByRole("alert").textContent).toMatch(/cannot contain < > \{ \} \[ \]/);
    expect(view.getByRole("button", { name: /Save/ }).hasAttribute("disabled")).toBe(true);
  });

  it("fills from the subject task's facts, keeping a setting already written", () => {
    const { section } = setup({
      aspect: "subject",
      facts: { subjects: [], setting: "on a pebble beach" },
      suggestedFacts: [
        { taskId: "00000000-0000-4000-8000-000000000003", aspect: "camera", facts: { subjects: [{ phrase: "a dog", plural: false, pronoun: "it" }], setting: null }, at: "2026-03-02T10:00:00.000Z" },
        {
          taskId: "00000000-0000-4000-8000-000000000002",
          aspect: "subject",
          facts: { subjects: [{ phrase: "the man in the grey coat", plural: false, pronoun: "he" }], setting: "in a park" },
          at: "2026-03-01T10:00:00.000Z",
        },
      ],
    });
    act(() => void fireEvent.click(within(section).getByRole("button", { name: "Use the subject task's" })));
    expect((within(section).getByLabelText("Subject 1 noun phrase") as HTMLInputElement).value).toBe("the man in the grey coat");
    expect((within(section).getByLabelText("Subject 1 pronoun") as HTMLSelectElement).value).toBe("he");
    expect((within(section).getByLabelText("Setting") as HTMLInputElement).value).toBe("on a pebble beach");
  });

  it("is read-only when the labels are", () => {
    const { section } = setup({
      editable: false,
      readOnlyReason: "Labelling is finished.",
      facts: { subjects: [{ phrase: "a green cart", plural: false, pronoun: "it" }], setting: "on a floor" },
    });
    expect((within(section).getByLabelText("Subject 1 noun phrase") as HTMLInputElement).readOnly).toBe(true);
    expect(within(section).queryByRole("button", { name: "+ Add a subject" })).toBeNull();
    expect(within(section).queryByRole("button", { name: /Remove subject/ })).toBeNull();
  });
});
