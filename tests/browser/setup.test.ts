import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "./chromium";
import { startAppServer, type AppServer } from "./harness";

const VIEWPORT = { width: 1280, height: 800 };

describe("first run: on an empty studio the first admin signs up and adds an annotator, by the page only", () => {
  let app: AppServer;
  let browser: Browser;

  beforeAll(async () => {
    app = await startAppServer({ config: { demo: false } });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it("sets up, adds a person who can then sign in, and the setup page is gone", async () => {
    const context = await browser.newContext({ viewport: VIEWPORT });
    const page = await context.newPage();
    try {
      await page.goto(app.url);
      await page.waitForURL(/\/setup$/);
      await page.getByLabel("Your name").fill("Ada Admin");
      await page.getByLabel("Email").fill("ada@studio.test");
      await page.getByLabel(/Password/).fill("short");
      await page.getByRole("button", { name: "Create admin account" }).click();
      await expect.poll(() => page.getByTestId("setup-error").textContent()).toBe("Passwords need at least 8 characters.");
      // What was typed stays.
      expect(await page.getByLabel("Email").inputValue()).toBe("ada@studio.test");
      await page.getByLabel(/Password/).fill("ada's long password");
      await page.getByRole("button", { name: "Create admin account" }).click();
      await page.waitForURL((u) => u.pathname === "/");

      await page.getByRole("link", { name: "People" }).click();
      await page.waitForURL(/\/admin\/users$/);
      const form = page.getByRole("form", { name: "Add a person" });
      await form.getByLabel("Email").fill("ann@studio.test");
      await form.getByLabel("Name").fill("Ann Notator");
      await form.getByLabel("Role").selectOption("annotator");
      await form.getByLabel(/Password/).fill("ann's password");
      await form.getByRole("button", { name: "Add person" }).click();
      await expect.poll(() => page.getByTestId("person-ann@studio.test").isVisible(), { timeout: 10_000 }).toBe(true);
      await page.getByRole("link", { name: "Audit log" }).click();
      await expect.poll(() => page.getByText("user.create").first().isVisible(), { timeout: 10_000 }).toBe(true);

      // The annotator, in a second browser, signs in; the setup page is gone for good.
      const second = await browser.newContext({ viewport: VIEWPORT });
      const annPage = await second.newPage();
      await annPage.goto(`${app.url}/setup`);
      await annPage.waitForURL(/\/login/);
      await annPage.getByLabel("Email").fill("ann@studio.test");
      await annPage.getByLabel("Password").fill("ann's password");
      await annPage.getByRole("button", { name: "Sign in" }).click();
      await expect.poll(() => annPage.getByTestId("user-name").textContent(), { timeout: 10_000 }).toBe("Ann Notator");
      await second.close();
    } finally {
      await context.close();
    }
  });
});
