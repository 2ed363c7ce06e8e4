import fs from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LabelsResponse } from "../../shared/api/labels";
import type { TaskListResponse } from "../../shared/api/tasks";
import type { Primitive, Spec, SubAspect } from "../../shared/captionSpec/schema";
import { linesOf } from "../../client/src/features/labelling/labelState";
import { filterSpec, flatten } from "../../client/src/features/spec/search";
import { launchChromium } from "./chromium";
import { loginAs, startAppServer, type AppServer } from "./harness";

const DOCS = path.resolve(import.meta.dirname, "../../docs");
const VIEWPORT = { width: 1280, height: 800 };
const ANNOTATOR = "annotator@demo.test";

/** The primitive of a sub-aspect whose id ends with one of `names`, else the one at `fallback`. */
function choose(sub: SubAspect, names: string[], fallback: number): { primitive: Primitive; index: number } {
  const found = names.map((n) => sub.primitives.findIndex((p) => p.id.endsWith(`.${n}`))).find((i) => i >= 0 && i < 9);
  const index = found ?? fallback;
  const primitive = sub.primitives[index];
  if (!primitive) throw new Error(`${sub.id} has no primitive at ${index}`);
  return { primitive, index };
}

async function seekVideo(page: Page, seconds: number) {
  await page.getByTestId("task-video").evaluate(
    (v: HTMLVideoElement, t: number) =>
      new Promise<void>((resolve) => {
        v.pause();
        v.addEventListener("seeked", () => resolve(), { once: true });
        v.currentTime = t;
      }),
    seconds,
  );
}

describe("primitive labelling: label a demo clip and name its subjects with the keyboard, save, reload", () => {
  let app: AppServer;
  let browser: Browser;

  beforeAll(async () => {
    app = await startAppServer();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it("saves labels with who and when, and the subjects and setting, and finds them after a reload", async () => {
    const context = await browser.newContext({ viewport: VIEWPORT });
    const page = await context.newPage();
    try {
      await loginAs(context, app.url, ANNOTATOR);
      const tasks = (await (await context.request.get(`${app.url}/api/tasks?aspect=camera&stage=labelling`)).json()) as TaskListResponse;
      const task = tasks.find((t) => t.annotator?.name && t.stage === "labelling" && t.aspect === "camera");
      if (!task) throw new Error("the demo has no camera task in labelling for the annotator");
      const { spec } = (await (await context.request.get(`${app.url}/api/spec`)).json()) as { spec: Spec };
      const camera = spec.aspects.find((a) => a.aspect === "camera");
      if (!camera) throw new Error("the spec has no camera aspect");

      // What to label, found in the spec rather than hard-coded: a start→end pair (camera height when the spec has
      // it: a pedestal up rises from hip to eye level), a single choice (steadiness) and a yes/no move whose label
      // the clip's title names.
      const lines = linesOf(camera.subAspects);
      const startLine = Math.max(
        lines.findIndex((l) => l.role === "start" && l.subAspect.id === "camera.height_ground"),
        lines.findIndex((l) => l.role === "start"),
      );
      const pairSub = lines[startLine]?.subAspect;
      const oneOfLine = Math.max(
        lines.findIndex((l) => l.subAspect.id === "camera.steadiness"),
        lines.findIndex((l) => l.subAspect.value === "one_of"),
      );
      const oneOfSub = lines[oneOfLine]?.subAspect;
      const title = task.video.title.toLowerCase();
      const yesSub =
        camera.subAspects.find((s) => s.value === "yes_no" && s.primitives.some((p) => title.includes(p.label.toLowerCase()))) ??
        camera.subAspects.find((s) => s.value === "yes_no" && s.primitives.some((p) => !p.needsDescription));
      if (!pairSub || !oneOfSub || !yesSub) throw new Error("the camera spec lacks a start→end, one-of or yes/no sub-aspect");
      const pairStart = choose(pairSub, ["hip_level"], 0);
      const pairEnd = choose(pairSub, ["eye_level"], 1);
      const steady = choose(oneOfSub, ["smooth"], 0);
      const move =
        yesSub.primitives.find((p) => title.includes(p.label.toLowerCase())) ?? yesSub.primitives.find((p) => !p.needsDescription);
      if (!move) throw new Error(`${yesSub.id} has no primitive to pick`);

      await page.goto(`${app.url}/tasks/${task.id}`);
      const panel = page.locator("section.labelling");
      await panel.waitFor();
      const video = page.getByTestId("task-video");
      await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.readyState), { timeout: 20_000 }).toBeGreaterThanOrEqual(1);
      await expect(page.getByTestId("labels-status").textContent()).resolves.toMatch(/Nothing labelled yet/);

      // Keyboard: ↓ moves between sub-aspects, a number picks within the focused one, n marks "not sure".
      const keys = page.locator(".labelling-lines");
      await keys.focus();
      let at = 0;
      const goTo = async (line: number) => {
        for (; at < line; at++) await page.keyboard.press("ArrowDown");
        for (; at > line; at--) await page.keyboard.press("ArrowUp");
      };
      await goTo(startLine);
      await page.keyboard.press(String(pairStart.index + 1));
      await goTo(startLine + 1);
      await page.keyboard.press(String(pairEnd.index + 1));
      await page.keyboard.press("n");
      await goTo(oneOfLine);
      await page.keyboard.press(String(steady.index + 1));

      // A click picks the yes/no move; I and O take its time range from the playhead.
      await page.locator(`[data-line="${yesSub.id}:value"] [data-primitive="${move.id}"]`).click();
      await seekVideo(page, 0.5);
      await page.keyboard.press("i");
      await seekVideo(page, 3);
      await page.keyboard.press("o");

      const chip = (sub: SubAspect, role: string, id: string) => page.locator(`[data-line="${sub.id}:${role}"] [data-primitive="${id}"]`);
      const expectPicked = async () => {
        for (const c of [
          chip(pairSub, "start", pairStart.primitive.id),
          chip(pairSub, "end", pairEnd.primitive.id),
          chip(oneOfSub, "value", steady.primitive.id),
          chip(yesSub, "value", move.id),
        ]) {
          await expect.poll(() => c.getAttribute("aria-pressed")).toBe("true");
        }
        const extras = page.locator(`.label-extras[data-label="${move.id}"]`);
        await expect(extras.textContent()).resolves.toMatch(/0:00\.5.*0:03\.0/);
        await expect(
          page.locator(`.label-extras[data-label="${pairEnd.primitive.id}"] input[type=checkbox]`).isChecked(),
        ).resolves.toBe(true);
      };
      await expectPicked();

      // The subjects and setting, by keys: the added row takes the keyboard; Tab, Space ticks "more than one",
      // which makes the pronoun "they"; then the setting. Ctrl+S saves them with the labels, even from a text field.
      const facts = page.getByTestId("caption-facts");
      await facts.getByRole("button", { name: "+ Add a subject" }).click();
      await page.keyboard.type("the striped orange posts");
      await page.keyboard.press("Tab");
      await page.keyboard.press("Space");
      await facts.getByLabel("Setting", { exact: true }).click();
      await page.keyboard.type("in a flat, computer-drawn scene");
      const expectFacts = async () => {
        await expect.poll(() => facts.getByLabel("Subject 1 noun phrase").inputValue()).toBe("the striped orange posts");
        await expect(facts.getByRole("checkbox", { name: "more than one" }).isChecked()).resolves.toBe(true);
        await expect(facts.getByLabel("Subject 1 pronoun").inputValue()).resolves.toBe("they");
        await expect(facts.getByLabel("Setting", { exact: true }).inputValue()).resolves.toBe("in a flat, computer-drawn scene");
      };
      await expectFacts();
      await expect(page.getByTestId("labels-status").textContent()).resolves.toMatch(/Unsaved changes/);

      await page.keyboard.press("Control+s");
      await expect.poll(() => page.getByTestId("labels-status").textContent(), { timeout: 10_000 }).toMatch(/Saved · Ada Annotator/);
      // Off the chips, so the definition card shows the focused primitive rather than whatever the pointer is over.
      await page.mouse.move(5, 5);
      fs.mkdirSync(DOCS, { recursive: true });
      await page.screenshot({ path: path.join(DOCS, "labelling.png") });

      // After a reload the same labels come back from the server, with who saved them.
      await page.reload();
      await panel.waitFor();
      await expectPicked();
      await expectFacts();
      await expect(page.getByTestId("labels-status").textContent()).resolves.toMatch(/Saved · Ada Annotator/);
      await expect(page.locator(`.label-extras[data-label="${move.id}"] .label-who`).textContent()).resolves.toMatch(/Ada Annotator/);

      const stored = (await (await context.request.get(`${app.url}/api/tasks/${task.id}/labels`)).json()) as LabelsResponse;
      const byId = new Map(stored.labels.map((l) => [l.primitiveId, l]));
      expect(byId.get(move.id)).toMatchObject({ value: { kind: "yes" }, timeStart: 0.5, timeEnd: 3, labelledByName: "Ada Annotator" });
      expect(byId.get(steady.primitive.id)).toMatchObject({ value: { kind: "selected" } });
      expect(byId.get(pairStart.primitive.id)).toMatchObject({ value: { kind: "start_end", at: "start" }, notSure: false });
      expect(byId.get(pairEnd.primitive.id)).toMatchObject({ value: { kind: "start_end", at: "end" }, notSure: true });
      expect(stored.labels).toHaveLength(4);
      expect(stored.facts).toEqual({
        subjects: [{ phrase: "the striped orange posts", plural: true, pronoun: "they" }],
        setting: "in a flat, computer-drawn scene",
      });
    } finally {
      await context.close();
    }
  });
  it("browses the spec: / searches, arrows and Enter open, confusables link, the URL follows", async () => {
    const context = await browser.newContext({ viewport: VIEWPORT });
    const page = await context.newPage();
    try {
      await loginAs(context, app.url, ANNOTATOR);
      const { spec } = (await (await context.request.get(`${app.url}/api/spec`)).json()) as { spec: Spec };
      const query = "dolly in";
      const matches = flatten(filterSpec(spec, query, null));
      const first = matches[0];
      if (!first) throw new Error(`nothing in the spec matches "${query}"`);

      await page.goto(`${app.url}/spec`);
      await page.locator(".spec-browser").waitFor();
      await page.locator("body").press("/");
      await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe("Search the spec");
      await page.keyboard.type(query);
      await expect.poll(() => page.locator(".spec-list a[data-primitive]").count()).toBe(matches.length);
      await page.keyboard.press("ArrowDown");
      await page.keyboard.press("Enter");
      await page.waitForURL((u) => u.searchParams.get("p") === first.id);
      const detail = page.locator(".primitive-detail");
      await expect(detail.locator("h2").textContent()).resolves.toBe(first.label);
      await expect(detail.textContent()).resolves.toContain(first.rule.doesNotApply);

      // A confusable is a link to that primitive; the back button returns.
      const confusable = first.confusables.find((id) => spec.primitives[id]);
      if (confusable) {
        await detail.locator(`a[href*="${encodeURIComponent(confusable)}"]`).click();
        await page.waitForURL((u) => u.searchParams.get("p") === confusable);
        await expect(detail.locator("h2").textContent()).resolves.toBe(spec.primitives[confusable]?.label);
        await page.goBack();
        await page.waitForURL((u) => u.searchParams.get("p") === first.id);
      }

      // The aspect filter keeps only that aspect's primitives.
      await page.locator(".spec-search").fill("");
      await page.getByRole("group", { name: "Filter by aspect" }).getByRole("button", { name: "Camera" }).click();
      const ids = await page.locator(".spec-list a[data-primitive]").evaluateAll((as) => as.map((a) => a.getAttribute("data-primitive") ?? ""));
      expect(ids.length).toBe(flatten(filterSpec(spec, "", "camera")).length);
      expect(ids.every((id) => id.startsWith("camera."))).toBe(true);
      await page.screenshot({ path: path.join(DOCS, "spec-browser.png") });
    } finally {
      await context.close();
    }
  });
});
