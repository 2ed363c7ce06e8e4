import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TrackedProvider } from "../../server/testing/collabClients";
import { MAX_CRITIQUE_FIELD } from "../../shared/critique/items";
import { launchChromium } from "./chromium";
import { startRestartableServer, type RestartableServer } from "./roomServer";
import { LIVE, critiquingRoom, openRoom, saveState, selectWord } from "./roomSetup";

const DRAFT = "The camera zooms toward the green cart as it rolls across the floor.";

/**
 * Defects a new user found in the room, each checked the way they met it: Esc, Esc, C after a critique makes a
 * time-only item (not a second one on the old quote); going offline says how many edits wait, not "Saving…";
 * a field that reaches its length limit says so.
 */
describe("room details: Esc clears the selection, offline edits are counted, a full field says so", () => {
  let app: RestartableServer;
  let browser: Browser;
  let lead: TrackedProvider;
  let taskId: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    app = await startRestartableServer();
    ({ taskId, lead } = await critiquingRoom(app, DRAFT));
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    lead?.destroy();
    await app?.close();
  });

  const items = (page: Page) => page.getByTestId("critique-item");

  it("behaves as the person expects", { timeout: 120_000 }, async () => {
    const { context, page: a } = await openRoom(browser, app.url, taskId, "annotator@demo.test", "zooms");
    contexts.push(context);

    // An item on "zooms", then Esc (leave the field), Esc (deselect), C: a time-only item, with no quote.
    await a.getByTestId("room").focus();
    await selectWord(a, "zooms");
    await a.keyboard.press("c");
    await a.keyboard.type("The camera does not zoom.");
    await a.keyboard.press("Escape");
    await a.keyboard.press("Escape");
    await a.keyboard.press("c");
    await expect.poll(() => items(a).count(), LIVE).toBe(2);
    await expect(items(a).nth(1).textContent()).resolves.toMatch(/Missing information/);
    await expect(items(a).nth(1).textContent()).resolves.not.toMatch(/“zooms”/);
    await expect.poll(() => saveState(a), LIVE).toBe("saved");

    // Offline: the badge counts the edits waiting; back online they are saved.
    await context.setOffline(true);
    await expect.poll(() => saveState(a), LIVE).toBe("offline");
    await a.locator(".crit-editor textarea").first().fill("Nothing is missing at the start.");
    await expect.poll(() => a.getByTestId("save-state").textContent(), LIVE).toMatch(/^Offline · \d+ edits? queued$/);
    await context.setOffline(false);
    await expect.poll(() => saveState(a), { timeout: 20_000 }).toBe("saved");

    // A field at its limit says so (the browser cuts what is typed or pasted beyond it).
    const what = a.locator(".crit-editor textarea").first();
    await what.fill("x".repeat(MAX_CRITIQUE_FIELD));
    await a.locator(".crit-editor").getByText(/the field is full/).waitFor(LIVE);
  });
});
