import fs from "node:fs";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DraftBatchList } from "../../shared/api/draftBatches";
import type { TaskDetail, TaskListResponse } from "../../shared/api/tasks";
import { ASPECT_LABELS } from "../../shared/domain";
import { launchChromium } from "./chromium";
import { startAppServer, type AppServer } from "./harness";
import { DOCS, labelRequired, signIn } from "./steps";

const VIEWPORT = { width: 1280, height: 900 };
/** Ceilings for the server's own work on a slow, shared machine (the rules provider's drafts); nothing is timed. */
const MODEL = { timeout: 60_000 };
const PATIENCE = 60_000;
const ANNOTATOR = { email: "annotator@demo.test", password: "demo" };
const LEAD = { email: "lead@demo.test", password: "demo" };

/**
 * Batch drafting by clicks: on the demo, the annotator labels one of their tasks and saves (without finishing, so
 * no draft is asked for); the lead opens the project, starts "Draft labelled tasks" for that task's aspect and
 * watches the batch finish: the labelled task drafted, the unlabelled ones left out, the task now critiquing in
 * the project's task table. The test calls the API only to read (which task to label, the results).
 */
describe("draft labelled tasks: the lead drafts a project's labelled tasks from its page", () => {
  let app: AppServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    app = await startAppServer();
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await app?.close();
  });

  async function person(who: { email: string; password: string }): Promise<Page> {
    const context = await browser.newContext({ viewport: VIEWPORT });
    context.setDefaultTimeout(PATIENCE);
    contexts.push(context);
    const page = await context.newPage();
    await signIn(page, app.url, who.email, who.password);
    return page;
  }

  it("starts a batch by clicks and sees it finish", { timeout: 300_000 }, async () => {
    // ── The annotator labels one task in labelling and saves.
    const ann = await person(ANNOTATOR);
    const mine = (await (await ann.context().request.get(`${app.url}/api/tasks?stage=labelling`)).json()) as TaskListResponse;
    const task = mine.find((t) => t.stage === "labelling" && t.annotator?.name === "Ada Annotator");
    if (!task) throw new Error("the demo has no task in labelling for Ada Annotator");
    const { projectName } = (await (await ann.context().request.get(`${app.url}/api/tasks/${task.id}`)).json()) as TaskDetail;
    await ann.goto(`${app.url}/tasks/${task.id}`);
    await ann.locator("section.labelling").waitFor();
    await labelRequired(ann, app.url, task.aspect);
    await ann.getByRole("button", { name: /^Save/ }).click();
    await expect.poll(() => ann.getByTestId("labels-status").textContent(), MODEL).toMatch(/Saved · Ada Annotator/);

    // ── The lead opens the project's Tasks tab and drafts the labelled tasks of that aspect.
    const lead = await person(LEAD);
    await lead.getByRole("link", { name: "Projects" }).click();
    await lead.getByRole("link", { name: projectName, exact: true }).click();
    await lead.waitForURL(/\/admin\/projects\/[0-9a-f-]{36}$/);
    await lead.getByRole("tab", { name: "Tasks" }).click();
    const panel = lead.getByRole("region", { name: "Draft labelled tasks" });
    await panel.getByText("No batch yet for this project.").waitFor();
    await panel.getByLabel("Aspect").selectOption({ label: ASPECT_LABELS[task.aspect] });
    await panel.getByRole("button", { name: "Draft labelled tasks" }).click();

    const state = panel.getByTestId("draft-batch-state");
    await expect.poll(() => state.textContent(), MODEL).toBe("Finished");
    const counts = (await panel.getByTestId("draft-batch-counts").textContent()) ?? "";
    expect(counts).toContain("1 of 1 task · 1 drafted · 0 failed");
    await expect(panel.getByRole("progressbar").getAttribute("aria-valuenow")).resolves.toBe("100");
    await expect(panel.getByTestId("draft-batch-failures").count()).resolves.toBe(0);

    // The task table was read again when the batch ended: the task waits for its annotator's critique.
    const row = lead.locator(".project-tasks tbody tr", { has: lead.locator(`a[href="/tasks/${task.id}"]`) }).first();
    await expect.poll(() => row.locator("[data-stage]").first().getAttribute("data-stage"), MODEL).toBe("critiquing");
    // The panel above the first rows of the table, as the lead sees it.
    fs.mkdirSync(DOCS, { recursive: true });
    await lead.evaluate(() => window.scrollTo(0, 0));
    await lead.screenshot({ path: path.join(DOCS, "draft-batch.png") });

    // What the server holds agrees: the task has its draft, and the batch lists the unlabelled ones as left out.
    const detail = (await (await lead.context().request.get(`${app.url}/api/tasks/${task.id}`)).json()) as TaskDetail;
    expect(detail.stage).toBe("critiquing");
    const { batches } = (await (await lead.context().request.get(`${app.url}/api/draft-batches`)).json()) as DraftBatchList;
    expect(batches[0]).toMatchObject({ state: "done", aspect: task.aspect, createdBy: { name: "Lee Lead" }, progress: { drafted: 1, failed: 0 } });
    const leftOut = batches[0]!.progress.skippedUnlabelled;
    if (leftOut > 0) expect(counts).toContain(`${leftOut} not fully labelled`);
  });
});
