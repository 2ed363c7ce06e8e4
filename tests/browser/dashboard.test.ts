import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq, notExists } from "drizzle-orm";
import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig, type Config } from "../../server/config";
import type { Database, Db } from "../../server/db";
import { projects, taskVersions, tasks, users } from "../../server/db/schema";
import { CLIENT_DIST, openConfiguredDatabase, startServer, type RunningServer } from "../../server/server";
import { DEMO_PROJECT } from "../../server/seed/demo";
import { addDays, dayOf } from "../../shared/api/dashboard";
import type { CritiqueItem } from "../../shared/critique/items";
import { ASPECT_LABELS, ASPECTS, type ErrorType } from "../../shared/domain";
import { launchChromium } from "./chromium";
import { loginAs } from "./harness";

const DOCS = path.resolve(import.meta.dirname, "../../docs");
const VIEWPORT = { width: 1280, height: 900 };

/**
 * The lead's filtered dashboard: project, person and days set by clicks and keys, kept in the URL; a click on a
 * bar opens the leads' task list with the tasks behind it. The server is started as tests/browser/harness.ts does
 * (demo seeded, PGlite in a throwaway folder), keeping the database handle to add a known week of work.
 */
describe("the lead's dashboard: filters and the tasks behind a bar", () => {
  let server: RunningServer;
  let database: Database;
  let dataDir = "";
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    if (!fs.existsSync(path.join(CLIENT_DIST, "index.html"))) throw new Error("The client is not built: run `npx vite build` first.");
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "chai-dashboard-"));
    const config: Config = loadConfig({ DATA_DIR: dataDir, DEMO: "1", PORT: "0", LOG_LEVEL: "silent", HOST: "127.0.0.1" });
    database = await openConfiguredDatabase(config);
    server = await startServer(config, { database });
    // The demo's history is written after the server listens: the test's own week goes on top of it.
    await server.history;
    browser = await launchChromium();
    fs.mkdirSync(DOCS, { recursive: true });
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await server?.close();
    await database?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("a lead filters by project, person and days, photographs it, and opens the tasks behind a bar", async () => {
    const seeded = await seedWeek(database.db);
    // A week that ends yesterday (the seeded work is two days old); today is already the default end.
    const to = addDays(dayOf(new Date()), -1);
    const from = addDays(to, -6);

    const context = await browser.newContext({ viewport: VIEWPORT });
    contexts.push(context);
    await loginAs(context, server.url, "lead@demo.test");
    const page = await context.newPage();
    await page.goto(`${server.url}/`);
    await page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "Dashboard" }).click();
    await page.getByTestId("dashboard").waitFor();

    const filters = page.getByRole("search", { name: "Dashboard filters" });
    await filters.getByLabel("Project", { exact: true }).selectOption({ label: DEMO_PROJECT });
    await filters.getByLabel("Person", { exact: true }).selectOption(seeded.adaId);
    await filters.getByLabel("From", { exact: true }).fill(from);
    await filters.getByLabel("To", { exact: true }).fill(to);
    await expect.poll(() => new URL(page.url()).search).toBe(`?projectId=${seeded.projectId}&personId=${seeded.adaId}&from=${from}&to=${to}`);

    // The seeded week: Ada's hallucinations on her tasks' aspect (the demo's own history may add to the count).
    const barName = new RegExp(`^Open the tasks behind ${seeded.aspectLabel} · Hallucination: \\d+$`);
    await page.getByRole("link", { name: barName }).waitFor();
    await expect(page.getByTestId("dashboard").getAttribute("aria-busy")).resolves.toBe("false");
    await page.evaluate(() => {
      if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
      window.scrollTo(0, 0);
    });
    await page.screenshot({ path: path.join(DOCS, "dashboard-filtered.png") });

    // The filters survive a reload (they live in the URL).
    await page.reload();
    await expect.poll(() => page.getByRole("search", { name: "Dashboard filters" }).getByLabel("Person", { exact: true }).inputValue()).toBe(seeded.adaId);

    await page.getByRole("link", { name: barName }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe("/tasks");
    const list = page.getByTestId("task-list");
    const rowIds = () => list.locator("tbody tr").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-task-id") ?? ""));
    await expect.poll(rowIds).toEqual(expect.arrayContaining(seeded.adaTasks));
    expect(await rowIds()).not.toEqual(expect.arrayContaining(seeded.benTasks));
    for (const name of await list.locator("tbody tr td:nth-child(4)").allTextContents()) expect(name).toBe("Ada Annotator");
    const chips = await page.getByTestId("filter-chip").allTextContents();
    expect(chips.join(" | ")).toContain(`Final version · Hallucination · ${from} – ${to}`);
    expect(chips.join(" | ")).toContain("Annotator: Ada Annotator");

    // Removing the person's chip widens the list to Ben's hallucinations too.
    await page.getByRole("button", { name: "Remove the filter Annotator: Ada Annotator" }).click();
    await expect.poll(rowIds).toEqual(expect.arrayContaining([...seeded.adaTasks, ...seeded.benTasks]));
  });
});

function item(id: string, errorType: ErrorType): CritiqueItem {
  return { id, errorType, primitiveId: null, what: "Seeded for the dashboard.", fix: "Say what is there.", anchor: null, timeStart: 0, timeEnd: 1, createdBy: "seed", createdAt: new Date().toISOString() };
}

/**
 * Two days ago, Ada (two tasks) and Ben (one) freeze a version with two hallucinations each, all on one aspect, on
 * demo tasks that had no version yet (so theirs is final).
 */
async function seedWeek(db: Db) {
  const [project] = await db.select().from(projects).where(eq(projects.name, DEMO_PROJECT));
  const people = await db.select().from(users);
  const id = (email: string) => people.find((p) => p.email === email)!.id;
  const adaId = id("annotator@demo.test");
  const benId = id("annotator2@demo.test");
  const fresh = await db
    .select()
    .from(tasks)
    .where(notExists(db.select().from(taskVersions).where(eq(taskVersions.taskId, tasks.id))));
  const mine = (annotatorId: string) => fresh.filter((t) => t.annotatorId === annotatorId && !t.isGold && t.projectId === project!.id);
  // An aspect on which Ada has two fresh tasks and Ben one.
  const aspect = ASPECTS.find((a) => mine(adaId).filter((t) => t.aspect === a).length >= 2 && mine(benId).some((t) => t.aspect === a));
  expect(aspect).toBeDefined();
  const pick = (annotatorId: string, n: number) => mine(annotatorId).filter((t) => t.aspect === aspect).slice(0, n);
  const at = new Date(Date.now() - 2 * 86_400_000);
  const freeze = async (t: (typeof fresh)[number]) => {
    const items = [item(`${t.id}-1`, "hallucination"), item(`${t.id}-2`, "hallucination")];
    await db.insert(taskVersions).values({ taskId: t.id, authorId: t.annotatorId!, authorRole: "annotator", preCaption: "A man walks.", score: 3, critique: items, critiqueText: "hallucination", postCaption: "A man walks.", negative: "no", createdAt: at });
  };
  const ada = pick(adaId, 2);
  const ben = pick(benId, 1);
  expect(ada.length).toBe(2);
  expect(ben.length).toBe(1);
  for (const t of [...ada, ...ben]) await freeze(t);
  return { projectId: project!.id, adaId, aspectLabel: ASPECT_LABELS[aspect!], adaTasks: ada.map((t) => t.id), benTasks: ben.map((t) => t.id) };
}
