import path from "node:path";
import type { Page } from "playwright-core";
import { expect } from "vitest";
import type { Spec } from "../../shared/captionSpec/schema";
import type { Aspect } from "../../shared/domain";
import { FACTS_NEEDED } from "../../shared/labelValidation";

/** Steps a person takes in the product, shared by the flow tests: each only clicks and types. */

export const DOCS = path.resolve(import.meta.dirname, "../../docs");
export const CLIPS = path.resolve(import.meta.dirname, "../../demo/clips");

export async function signIn(page: Page, url: string, email: string, password: string): Promise<void> {
  await page.goto(url);
  await page.waitForURL(/\/login/);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((u) => !u.pathname.startsWith("/login"));
}

export type NewPerson = { email: string; name: string; role: string; password: string };

/** On the People page: adds a person with a password set now. */
export async function addPerson(page: Page, person: NewPerson): Promise<void> {
  const form = page.getByRole("form", { name: "Add a person" });
  await form.getByLabel("Email").fill(person.email);
  await form.getByLabel("Name").fill(person.name);
  await form.getByLabel("Role").selectOption(person.role);
  await form.getByLabel(/Password/).fill(person.password);
  await form.getByRole("button", { name: "Add person" }).click();
  await page.getByTestId(`person-${person.email}`).waitFor();
}

/** On an empty studio: the first visitor makes the admin account. */
export async function createFirstAdmin(page: Page, url: string, admin: { name: string; email: string; password: string }): Promise<void> {
  await page.goto(url);
  await page.waitForURL(/\/setup$/);
  await page.getByLabel("Your name").fill(admin.name);
  await page.getByLabel("Email").fill(admin.email);
  await page.getByLabel(/Password/).fill(admin.password);
  await page.getByRole("button", { name: "Create admin account" }).click();
  await page.waitForURL((u) => u.pathname === "/");
}

/**
 * A screenshot of the whole page: the viewport grows to the page's height first, since a full-page capture would
 * paint the sticky top bar in the middle of a long page.
 */
export async function shoot(page: Page, name: string, viewport: { width: number; height: number }): Promise<void> {
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.setViewportSize({ width: viewport.width, height: Math.max(viewport.height, height) });
  await page.screenshot({ path: path.join(DOCS, name) });
  await page.setViewportSize(viewport);
}

/** What labelRequired names when the aspect needs a subject or a setting: the demo clips' posts (plural). */
export const DEMO_FACTS = { subject: "the striped orange posts", plural: true, setting: "in a flat, computer-drawn scene" } as const;

/**
 * On the labelling page: names the subject and the setting when the aspect needs them to finish (typed into the
 * "Subjects and setting" section), then answers every required sub-aspect of the aspect with a primitive that needs
 * no description, by clicks (the spec is read from the API only to know what to click).
 */
export async function labelRequired(page: Page, url: string, aspect: Aspect, facts: { subject: string; plural: boolean; setting: string } = DEMO_FACTS): Promise<void> {
  await nameFacts(page, aspect, facts);
  const { spec } = (await (await page.context().request.get(`${url}/api/spec`)).json()) as { spec: Spec };
  const subs = spec.aspects.find((a) => a.aspect === aspect)?.subAspects ?? [];
  for (const sub of subs.filter((s) => !s.optional && s.value !== "yes_no")) {
    const primitive = sub.primitives.find((p) => !p.needsDescription);
    if (!primitive) throw new Error(`${sub.id} has only primitives that need a description`);
    for (const role of sub.value === "start_end" ? ["start", "end"] : ["value"]) {
      const chip = page.locator(`[data-line="${sub.id}:${role}"] [data-primitive="${primitive.id}"]`);
      await chip.click();
      await expect.poll(() => chip.getAttribute("aria-pressed")).toBe("true");
    }
  }
}

/** Types the subject and the setting the aspect needs (FACTS_NEEDED), unless they are there already. */
export async function nameFacts(page: Page, aspect: Aspect, facts: { subject: string; plural: boolean; setting: string }): Promise<void> {
  const needed = FACTS_NEEDED[aspect];
  const section = page.getByTestId("caption-facts");
  await section.waitFor();
  const phrases = section.getByLabel(/^Subject \d+ noun phrase$/);
  const named = await phrases.evaluateAll((inputs) => inputs.some((i) => i instanceof HTMLInputElement && i.value.trim() !== ""));
  if (needed.subject && !named) {
    // The new row takes the keyboard: type the phrase, Tab to "more than one", Space to tick it.
    await section.getByRole("button", { name: "+ Add a subject" }).click();
    await page.keyboard.type(facts.subject);
    if (facts.plural) {
      await page.keyboard.press("Tab");
      await page.keyboard.press("Space");
    }
    const last = phrases.last();
    await expect.poll(() => last.inputValue()).toBe(facts.subject);
  }
  const setting = section.getByLabel("Setting", { exact: true });
  if (needed.setting && !(await setting.inputValue()).trim()) {
    await setting.click();
    await page.keyboard.type(facts.setting);
  }
}
