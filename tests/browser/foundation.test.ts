import fs from "node:fs";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "./chromium";
import { startAppServer, type AppServer } from "./harness";

const DOCS = path.resolve(import.meta.dirname, "../../docs");
const VIEWPORT = { width: 1280, height: 800 };

describe("foundation: sign in, open a task, the clip plays, sign out", () => {
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

  it("works for the demo annotator in a real browser", async () => {
    const context = await browser.newContext({ viewport: VIEWPORT });
    const page = await context.newPage();
    try {
      // Any page sends a signed-out visitor to the login form.
      await page.goto(app.url);
      await page.waitForURL(/\/login/);
      await page.getByLabel("Email").fill("annotator@demo.test");
      await page.getByLabel("Password").fill("wrong");
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect.poll(() => page.getByTestId("login-error").isVisible(), { timeout: 10_000 }).toBe(true);

      await page.getByLabel("Password").fill("demo");
      await page.getByRole("button", { name: "Sign in" }).click();

      // The queue: the annotator's own tasks, and nobody else's.
      await page.getByRole("heading", { name: "My tasks" }).waitFor();
      await expect(page.getByTestId("user-name").textContent()).resolves.toBe("Ada Annotator");
      const rows = page.locator("tbody tr[data-task-id]");
      await rows.first().waitFor();
      const count = await rows.count();
      expect(count).toBeGreaterThan(0);
      const annotators = await page.locator("tbody tr td:nth-child(4)").allTextContents();
      expect(new Set(annotators)).toEqual(new Set(["Ada Annotator"]));
      fs.mkdirSync(DOCS, { recursive: true });
      await page.screenshot({ path: path.join(DOCS, "queue.png") });

      // Keyboard: j moves the selection, Enter opens that task.
      const second = await rows.nth(Math.min(1, count - 1)).getAttribute("data-task-id");
      await page.locator("body").press("j");
      await page.locator("body").press("Enter");
      await page.waitForURL(new RegExp(`/tasks/${second}$`));

      const video = page.getByTestId("task-video");
      await video.waitFor();
      await expect
        .poll(() => video.evaluate((v: HTMLVideoElement) => v.readyState), { timeout: 20_000 })
        .toBeGreaterThanOrEqual(1);
      expect(await video.evaluate((v: HTMLVideoElement) => v.videoWidth)).toBe(640);

      // The clip plays: its currentTime moves past 0.5 s.
      await page.getByRole("button", { name: "Play" }).click();
      await expect
        .poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 20_000, interval: 100 })
        .toBeGreaterThan(0.5);
      await page.getByRole("button", { name: "Pause" }).click();
      await expect.poll(() => page.getByTestId("timecode").textContent()).not.toBe("00:00:00:00");
      await page.screenshot({ path: path.join(DOCS, "task.png") });

      // Sign out: back to the login form, and the session is gone on the server too.
      await page.getByRole("button", { name: "Sign out" }).click();
      await page.waitForURL(/\/login$/);
      await page.getByRole("button", { name: "Sign in" }).waitFor();
      const me = await context.request.get(`${app.url}/api/me`);
      expect(me.status()).toBe(401);
    } finally {
      await context.close();
    }
  });
});
