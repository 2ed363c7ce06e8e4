import fs from "node:fs";
import path from "node:path";
import type { Browser, BrowserContext, Page, Response, Route } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProjectTaskList } from "../../shared/api/projects";
import { launchChromium } from "./chromium";
import { startAppServer, type AppServer } from "./harness";
import { CLIPS, DOCS, addPerson, createFirstAdmin, shoot, signIn } from "./steps";

const VIEWPORT = { width: 1280, height: 900 };
/** One chunk of the client's size for this file: it goes up in one request. */
const FIRST = path.join(CLIPS, "pan_left.webm");
/** Larger than one chunk (a sixteenth of a file, at least 64 KiB): the drop falls between two chunks. */
const SECOND = path.join(CLIPS, "zoom_in.webm");
const SECOND_SIZE = fs.statSync(SECOND).size;
/** The project's aspects after its settings are saved, in its order: every clip gets one task each. */
const ASPECT_ORDER = ["camera", "subject", "motion"];
/** A tus upload's own URL (POST answers with it in Location; HEAD and PATCH go to it). */
const UPLOAD_URL = /\/api\/uploads\/[0-9a-f]{32}$/;
/** Actions on a 2-core machine shared with other work can take long; nothing here is a timed assertion. */
const PATIENCE = 60_000;

type TusExchange = { method: string; path: string; status: number; sentOffset: number | null; serverOffset: number | null; location: string | null };

const header = (value: string | undefined) => (value === undefined ? null : Number(value));

/** Every tus exchange the page has with the server, as the page sees it (request offset, the server's offset). */
function recordTus(page: Page): TusExchange[] {
  const seen: TusExchange[] = [];
  page.on("response", (res: Response) => {
    const req = res.request();
    const url = new URL(req.url());
    if (!url.pathname.startsWith("/api/uploads") || url.pathname === "/api/uploads/clips") return;
    seen.push({
      method: req.method(),
      path: url.pathname,
      status: res.status(),
      sentOffset: header(req.headers()["upload-offset"]),
      serverOffset: header(res.headers()["upload-offset"]),
      location: res.headers()["location"] ?? null,
    });
  });
  return seen;
}

const shootPage = (page: Page, name: string) => shoot(page, name, VIEWPORT);

const uploadItem = (page: Page, name: string, status: string) => page.locator(`[data-testid="upload-item"][data-status="${status}"]`, { hasText: name });

describe("a team from an empty studio: first admin, project, clips (one upload resumed), people, assignment, queue", () => {
  let app: AppServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    app = await startAppServer({ config: { demo: false } });
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await app?.close();
  });

  async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: VIEWPORT });
    context.setDefaultTimeout(PATIENCE);
    contexts.push(context);
    return { context, page: await context.newPage() };
  }

  it("is done by clicks and keys, and the annotator finds the tasks in their queue", { timeout: 300_000 }, async () => {
    fs.mkdirSync(DOCS, { recursive: true });
    const { context, page } = await newPage();

    // First run: the studio has no account, so the first visitor makes the admin account.
    await createFirstAdmin(page, app.url, { name: "Ada Admin", email: "ada@studio.test", password: "ada's long password" });

    // A project, and its settings: three aspects, Camera first; a test share for the export split.
    await page.getByRole("link", { name: "Projects" }).click();
    await page.waitForURL(/\/admin\/projects$/);
    await page.getByLabel("Project name").fill("Street scenes");
    await page.getByRole("button", { name: "Create project" }).click();
    await page.waitForURL(/\/admin\/projects\/[0-9a-f-]{36}$/);
    const projectId = new URL(page.url()).pathname.split("/").pop() ?? "";
    const settings = page.getByRole("form", { name: "Project settings" });
    await settings.getByLabel("Scene", { exact: true }).uncheck();
    await settings.getByLabel("Spatial", { exact: true }).uncheck();
    await settings.getByRole("button", { name: "Move Camera up" }).click();
    await settings.getByRole("button", { name: "Move Camera up" }).click();
    await settings.getByLabel("Export split: test share (%)").fill("20");
    await settings.getByRole("button", { name: "Save settings" }).click();
    await page.getByText("Settings saved.").waitFor();
    expect(await settings.locator(".aspect-order li .aspect").allTextContents()).toEqual(["Camera", "Subject", "Motion"]);
    await shootPage(page, "admin-project-settings.png");

    // Clips: the first goes up whole; its tasks are made as it completes.
    await page.getByRole("tab", { name: "Clips" }).click();
    const tus = recordTus(page);
    await page.getByTestId("upload-files").setInputFiles(FIRST);
    await uploadItem(page, "pan_left.webm", "created").waitFor();
    expect(await uploadItem(page, "pan_left.webm", "created").getByTestId("upload-tasks").textContent()).toBe(" 3 new tasks, one per aspect of the project.");

    // The second loses its connection after its first chunk: the next chunk is held (the screenshot shows the
    // upload in progress), then the browser goes offline and that request fails.
    let patches = 0;
    let hold: (route: Route) => void = () => undefined;
    const held = new Promise<Route>((resolve) => (hold = resolve));
    await page.route(UPLOAD_URL, async (route) => {
      if (route.request().method() === "PATCH" && ++patches === 2) return hold(route);
      await route.continue();
    });
    await page.getByTestId("upload-files").setInputFiles(SECOND);
    const second = await held;
    const bar = page.getByLabel("Upload of zoom_in.webm");
    await expect.poll(async () => Number(await bar.getAttribute("value")), { timeout: PATIENCE }).toBeGreaterThan(0);
    await uploadItem(page, "zoom_in.webm", "uploading").waitFor();
    await shootPage(page, "upload-progress.png");
    await context.setOffline(true);
    await second.abort("internetdisconnected");
    await uploadItem(page, "zoom_in.webm", "paused").waitFor();
    await page.unroute(UPLOAD_URL);

    // Back online, the upload continues by itself from where the server says it stopped.
    await context.setOffline(false);
    await uploadItem(page, "zoom_in.webm", "created").waitFor();
    expect(await uploadItem(page, "zoom_in.webm", "created").getByTestId("upload-tasks").textContent()).toBe(" 3 new tasks, one per aspect of the project.");
    expect(await page.getByTestId("upload-total").textContent()).toContain("2 of 2 done · 6 new tasks");
    await page.getByTestId("project-clip-list").getByText("zoom in").waitFor();
    expect(await page.getByTestId("project-clip-list").locator("tbody td:first-child").allTextContents()).toEqual(["zoom in", "pan left"]);

    // What went over the wire for the second clip: one upload, resumed at the server's offset, no byte sent twice.
    const posts = tus.filter((t) => t.method === "POST");
    expect(posts.map((p) => p.status)).toEqual([201, 201]);
    const secondUrl = new URL(posts[1]?.location ?? "", app.url).pathname;
    const onSecond = tus.filter((t) => t.path === secondUrl);
    const patched = onSecond.filter((t) => t.method === "PATCH");
    const firstChunk = patched[0]?.serverOffset ?? 0;
    expect(firstChunk).toBeGreaterThan(0);
    expect(firstChunk).toBeLessThan(SECOND_SIZE);
    const head = onSecond.find((t) => t.method === "HEAD");
    expect(head?.serverOffset).toBe(firstChunk);
    expect(patched.map((t) => [t.sentOffset, t.serverOffset])).toEqual([
      [0, firstChunk],
      [firstChunk, SECOND_SIZE],
    ]);

    // People: an annotator and a reviewer, each with a password set now.
    await page.getByRole("link", { name: "People" }).click();
    await page.waitForURL(/\/admin\/users$/);
    await addPerson(page, { email: "ann@studio.test", name: "Ann Notator", role: "annotator", password: "ann's password" });
    await addPerson(page, { email: "rex@studio.test", name: "Rex Viewer", role: "reviewer", password: "rex's password" });
    await shootPage(page, "admin-users.png");

    // Tasks: all six to the annotator in bulk (round robin), then every one to the reviewer.
    await page.getByRole("link", { name: "Projects" }).click();
    await page.getByRole("link", { name: "Street scenes" }).click();
    await page.getByRole("tab", { name: "Tasks" }).click();
    const taskRows = page.locator(".project-tasks tbody tr");
    await taskRows.nth(5).waitFor();
    const bulk = page.getByRole("group", { name: "Assign in bulk" });
    await bulk.getByLabel("Ann Notator (Annotator)").check();
    await bulk.getByLabel("How").selectOption("round_robin");
    await bulk.getByRole("button", { name: "Assign in bulk" }).click();
    await page.getByText("6 tasks assigned.").waitFor();
    const manual = page.getByRole("group", { name: /Selected tasks/ });
    await manual.getByLabel("Select all 6 tasks").check();
    await manual.getByLabel("Reviewer").selectOption({ label: "Rex Viewer (Reviewer)" });
    await manual.getByRole("button", { name: "Set reviewer" }).click();
    await expect.poll(() => page.locator(".project-tasks tbody tr", { hasText: "Rex Viewer" }).count(), { timeout: PATIENCE }).toBe(6);
    await shootPage(page, "admin-project-tasks.png");

    // The result, read from the API: per clip one task per aspect in the project's order, all given out.
    const res = await context.request.get(`${app.url}/api/projects/${projectId}/tasks`);
    const tasks = ProjectTaskList.parse(await res.json());
    expect(tasks.map((t) => [t.videoTitle, t.aspect, t.annotator?.name, t.reviewer?.name])).toEqual(
      ["pan left", "zoom in"].flatMap((clip) => ASPECT_ORDER.map((a) => [clip, a, "Ann Notator", "Rex Viewer"])),
    );

    // The audit log shows who did it, filtered to the project's entries.
    await page.getByRole("link", { name: "Audit log" }).click();
    await page.waitForURL(/\/admin\/audit$/);
    await page.getByLabel("Entity").selectOption("project");
    await page.getByRole("table", { name: "Audit entries" }).getByText("project.assign").waitFor();
    expect(await page.getByRole("table", { name: "Audit entries" }).getByText("project.tasks_generate").count()).toBe(2);
    await shootPage(page, "admin-audit.png");

    // The annotator, in a browser of their own, signs in and finds the six tasks in their queue.
    const ann = await newPage();
    await signIn(ann.page, app.url, "ann@studio.test", "ann's password");
    await ann.page.getByRole("heading", { name: "My tasks" }).waitFor();
    const queue = ann.page.locator("tbody tr[data-task-id]");
    await queue.nth(5).waitFor();
    expect(await queue.count()).toBe(6);
    expect(new Set(await ann.page.locator("tbody tr td.clip-cell").allTextContents())).toEqual(new Set(["pan left", "zoom in"]));
    expect(new Set(await ann.page.locator("tbody tr td:nth-child(4)").allTextContents())).toEqual(new Set(["Ann Notator"]));
  });
});
