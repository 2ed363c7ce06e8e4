import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig, type Config } from "../../server/config";
import type { Db, Database } from "../../server/db";
import { auditLog, catches, rounds, taskLabels, taskVersions, tasks, users } from "../../server/db/schema";
import { CLIENT_DIST, openConfiguredDatabase, startServer, type RunningServer } from "../../server/server";
import { getLoadedSpec } from "../../server/captionSpec/index";
import type { CritiqueItem } from "../../shared/critique/items";
import { ERROR_TYPES, type ErrorType } from "../../shared/domain";
import { launchChromium } from "./chromium";
import { loginAs } from "./harness";

const DOCS = path.resolve(import.meta.dirname, "../../docs");
const VIEWPORT = { width: 1280, height: 800 };

/**
 * Three people in three browser contexts: a trainer joins a trainee's room from the trainer home and follows their
 * playhead; a coaching note and a spotlight reach the trainee live and never a third user (another annotator).
 * Then a lead's side-by-side diff and dashboard, over data seeded here, are photographed into docs/.
 *
 * The server is started like tests/browser/harness.ts startAppServer does (demo seeded, PGlite in a throwaway
 * folder), but keeps the database handle so the test can add reviewed work for the lead's views.
 */
describe("training: live onboarding, private coaching, leads' diffs and dashboard", () => {
  let server: RunningServer;
  let database: Database;
  let dataDir = "";
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    if (!fs.existsSync(path.join(CLIENT_DIST, "index.html"))) throw new Error("The client is not built: run `npx vite build` first.");
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "chai-training-"));
    const config: Config = loadConfig({ DATA_DIR: dataDir, DEMO: "1", PORT: "0", LOG_LEVEL: "silent", HOST: "127.0.0.1" });
    database = await openConfiguredDatabase(config);
    server = await startServer(config, { database });
    // The demo's history is written after the server listens; the test starts from the settled demo.
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

  async function signedIn(email: string): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: VIEWPORT });
    contexts.push(context);
    await loginAs(context, server.url, email);
    return { context, page: await context.newPage() };
  }

  it("the trainer follows the trainee's playhead; notes and spotlights reach the trainee, not a third user", async () => {
    const db = database.db;
    const [trainee] = await db.select().from(users).where(eq(users.email, "trainee@demo.test"));
    const traineeTasks = await db.select().from(tasks).where(eq(tasks.annotatorId, trainee!.id));
    // A room stage (not labelling), so the task page is the live room.
    const task = traineeTasks.find((t) => t.stage === "critiquing") ?? traineeTasks.find((t) => t.stage !== "labelling");
    expect(task).toBeDefined();
    const taskId = task!.id;

    const t = await signedIn("trainee@demo.test");
    const tr = await signedIn("trainer@demo.test");
    const third = await signedIn("annotator@demo.test");

    // The trainee works in the room.
    await t.page.goto(`${server.url}/tasks/${taskId}`);
    const traineeVideo = t.page.getByTestId("task-video");
    await traineeVideo.waitFor();
    await t.page.waitForFunction(() => {
      const v = document.querySelector<HTMLVideoElement>('[data-testid="task-video"]');
      return v !== null && v.readyState >= 1;
    });

    // The trainer's home lists them as working now; "Join room" opens the same room.
    await tr.page.goto(`${server.url}/training`);
    const live = tr.page.locator(`[data-testid="live-trainee"][data-task-id="${taskId}"]`);
    await live.waitFor({ timeout: 20_000 });
    await expect(live.textContent()).resolves.toContain("Tia Trainee");
    await tr.page.screenshot({ path: path.join(DOCS, "training.png") });
    await live.getByRole("link", { name: "Join room" }).click();
    await tr.page.waitForURL(new RegExp(`/tasks/${taskId}$`));
    await tr.page.getByTestId("task-video").waitFor();
    const participant = tr.page.getByTestId("participant").filter({ hasText: "Tia" });
    await participant.waitFor();
    await participant.getByRole("button", { name: "Follow" }).click();

    // The trainee moves the playhead; the trainer's player follows.
    const seekTrainee = (s: number) =>
      t.page.evaluate((time) => {
        const v = document.querySelector<HTMLVideoElement>('[data-testid="task-video"]');
        if (v) v.currentTime = time;
      }, s);
    const trainerTime = () => tr.page.evaluate(() => document.querySelector<HTMLVideoElement>('[data-testid="task-video"]')?.currentTime ?? -1);
    await seekTrainee(2.5);
    await expect.poll(trainerTime, { timeout: 15_000 }).toBeCloseTo(2.5, 1);
    await seekTrainee(1.2);
    await expect.poll(trainerTime, { timeout: 15_000 }).toBeCloseTo(1.2, 1);
    await tr.page.screenshot({ path: path.join(DOCS, "training-follow.png") });

    // Coaching: the trainee and the trainer open the task's coaching; the third user is refused.
    const traineeCoach = await t.context.newPage();
    await traineeCoach.goto(`${server.url}/tasks/${taskId}/coaching`);
    await traineeCoach.locator('[data-testid="coaching-live"][data-live="true"]').waitFor();
    await third.page.goto(`${server.url}/tasks/${taskId}/coaching`);
    await third.page.getByTestId("coaching-error").waitFor();
    await expect(third.page.getByTestId("coaching-error").textContent()).resolves.toMatch(/private/i);
    const thirdStream = await third.context.request.get(`${server.url}/api/tasks/${taskId}/coaching/stream`);
    expect(thirdStream.status()).toBe(403);

    const trainerCoach = await tr.context.newPage();
    await trainerCoach.goto(`${server.url}/tasks/${taskId}/coaching`);
    await trainerCoach.locator('[data-testid="coaching-live"][data-live="true"]').waitFor();
    const note = "Look again at 00:02 — the camera moves toward him; that is a dolly in, not a zoom.";
    await trainerCoach.getByTestId("coaching-body").fill(note);
    await trainerCoach.getByRole("button", { name: "Send note" }).click();

    await traineeCoach.getByTestId("coaching-note").filter({ hasText: "dolly in, not a zoom" }).waitFor();
    await trainerCoach.getByTestId("coaching-note").filter({ hasText: "dolly in, not a zoom" }).waitFor();

    await trainerCoach.getByTestId("coaching-body").fill("Watch his hands here");
    await trainerCoach.getByLabel("At (s)").fill("2");
    await trainerCoach.getByRole("button", { name: "Spotlight" }).click();
    const flash = traineeCoach.getByTestId("spotlight");
    await flash.waitFor();
    await expect(flash.textContent()).resolves.toContain("Watch his hands here");
    await traineeCoach.screenshot({ path: path.join(DOCS, "coaching.png") });

    // The third user's page never received anything: it still shows only the refusal.
    await expect(third.page.getByTestId("coaching-note").count()).resolves.toBe(0);
    await expect(third.page.content()).resolves.not.toContain("dolly in, not a zoom");
  });

  it("a lead compares versions side by side and reads the dashboard (screenshots in docs/)", async () => {
    const diffTaskId = await seedReviewedWork(database.db);
    const lead = await signedIn("lead@demo.test");
    const page = lead.page;

    await page.goto(`${server.url}/tasks/${diffTaskId}/diff`);
    await page.getByTestId("diff-text-left").waitFor();
    await expect(page.getByTestId("diff-text-left").locator("del").count()).resolves.toBeGreaterThan(0);
    await expect(page.getByTestId("diff-text-right").locator("ins").count()).resolves.toBeGreaterThan(0);
    // Clicking an item's time jumps the clip there.
    await page.waitForFunction(() => (document.querySelector<HTMLVideoElement>('[data-testid="diff-video"]')?.readyState ?? 0) >= 1);
    await page.locator('[data-side="left"] .diff-item .time-chip').filter({ hasText: "00:02.0" }).first().click();
    await expect
      .poll(() => page.evaluate(() => document.querySelector<HTMLVideoElement>('[data-testid="diff-video"]')?.currentTime ?? -1))
      .toBeCloseTo(2, 0);
    await page.evaluate(() => document.querySelector<HTMLVideoElement>('[data-testid="diff-video"]')?.scrollIntoView());
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(DOCS, "diff.png") });

    await page.goto(`${server.url}/dashboard`);
    await page.getByTestId("dashboard").waitFor();
    for (const id of ["chart-error-types", "chart-catches", "chart-precision", "chart-recall", "chart-agreement", "chart-throughput", "chart-stages"]) {
      await expect(page.getByTestId(id).locator("svg").count()).resolves.toBe(1);
    }
    await page.screenshot({ path: path.join(DOCS, "dashboard.png") });
  });
});

// ---- seeding the lead's views ----------------------------------------------------------------------------------

const PRE =
  "A man in a grey coat walks from left to right along a wet street. The camera zooms in slowly on his face as he " +
  "stops beside a lamp post. Behind him, a red bus passes and the light is beautiful.";
const POST =
  "A man in a grey coat walks from right to left along a wet street. The camera dollies in slowly on his face as he " +
  "stops beside a lamp post. Behind him, a red bus passes from left to right.";

function item(id: string, errorType: ErrorType, quote: string | null, t0: number, t1: number, what: string, fix: string, primitiveId: string | null = null): CritiqueItem {
  return {
    id,
    errorType,
    primitiveId,
    what,
    fix,
    anchor: quote ? { start: "AAAA", end: "AAAA", quote } : null,
    timeStart: t0,
    timeEnd: t1,
    createdBy: "seed",
    createdAt: new Date().toISOString(),
  };
}

const ANNOTATOR_ITEMS = [
  item("i-dir", "left_right", "left to right", 0.5, 1.5, "He walks toward frame left.", 'Write "right to left".'),
  item("i-zoom", "wrong_term", "zooms in", 2, 3, "The camera physically moves closer; the framing is not a zoom.", 'Write "dollies in".', "camera.movement.dolly_in"),
];
const REVIEWER_ITEMS = [
  ...ANNOTATOR_ITEMS,
  item("i-subj", "subjective_language", "the light is beautiful", 3, 4, "A judgement, not a description.", 'Replace with "the bus passes from left to right".'),
];

async function seedReviewedWork(db: Db): Promise<string> {
  const people = await db.select().from(users);
  const id = (email: string) => people.find((p) => p.email === email)!.id;
  const ann = id("annotator@demo.test");
  const ann2 = id("annotator2@demo.test");
  const rev = id("reviewer@demo.test");
  const all = await db.select().from(tasks);
  const base = all.find((t) => t.stage === "approved") ?? all[0]!;
  const now = Date.now();
  const ago = (min: number) => new Date(now - min * 60_000);

  // The diff task: the annotator's version rejected, the reviewer's redo, two refinement rounds, catches.
  const [diffTask] = await db
    .insert(tasks)
    .values({ projectId: base.projectId, videoId: base.videoId, aspect: base.aspect, stage: "approved", annotatorId: ann, reviewerId: rev, specVersion: base.specVersion, submittedAt: ago(90), reviewedAt: ago(30) })
    .returning();
  const diffId = diffTask!.id;
  const render = (items: CritiqueItem[]) => items.map((i) => `[${i.timeStart}s] ${i.what} Fix: ${i.fix}`).join("\n");
  await db.insert(rounds).values([
    { taskId: diffId, n: 1, status: "done", critique: ANNOTATOR_ITEMS.slice(0, 1), critiqueText: render(ANNOTATOR_ITEMS.slice(0, 1)), postCaption: PRE.replace("left to right", "right to left"), provider: "rules", model: "rules", promptHash: "x", startedAt: ago(120), finishedAt: ago(119) },
    { taskId: diffId, n: 2, status: "done", critique: ANNOTATOR_ITEMS, critiqueText: render(ANNOTATOR_ITEMS), postCaption: POST, provider: "rules", model: "rules", promptHash: "x", startedAt: ago(100), finishedAt: ago(99) },
  ]);
  await db.insert(taskVersions).values([
    { taskId: diffId, authorId: ann, authorRole: "annotator", preCaption: PRE, score: 2, critique: ANNOTATOR_ITEMS, critiqueText: render(ANNOTATOR_ITEMS), postCaption: POST.replace("from left to right.", "and the light is beautiful."), negative: "rejected", createdAt: ago(90) },
    { taskId: diffId, authorId: rev, authorRole: "reviewer", preCaption: PRE, score: 2, critique: REVIEWER_ITEMS, critiqueText: render(REVIEWER_ITEMS), postCaption: POST, negative: "no", createdAt: ago(40) },
  ]);
  await db.insert(catches).values([
    { taskId: diffId, reviewerId: rev, kind: "missed_error", quote: "the light is beautiful", timeStart: 3, timeEnd: 4, note: "Subjective language left in the draft.", requestKey: "seed-1", createdAt: ago(60) },
    { taskId: diffId, reviewerId: rev, kind: "non_constructive", itemId: "i-dir", note: "Say which way he walks, in the spec's words.", requestKey: "seed-2", status: "overturned", createdAt: ago(60) },
  ]);
  // A second annotator on the same clip and aspect.
  const [other] = await db
    .insert(tasks)
    .values({ projectId: base.projectId, videoId: base.videoId, aspect: base.aspect, stage: "submitted", annotatorId: ann2, specVersion: base.specVersion, submittedAt: ago(50) })
    .returning();
  await db.insert(taskVersions).values({ taskId: other!.id, authorId: ann2, authorRole: "annotator", preCaption: PRE, score: 3, critique: ANNOTATOR_ITEMS.slice(1), critiqueText: render(ANNOTATOR_ITEMS.slice(1)), postCaption: PRE.replace("zooms in", "dollies in"), negative: "no", createdAt: ago(50) });

  // Dashboard history: reviewed work across aspects over two weeks, catches, stage timings, labels.
  const { spec } = await getLoadedSpec();
  const oneOf = spec.aspects.flatMap((a) => a.subAspects.filter((s) => s.value === "one_of" && s.primitives.length >= 3).slice(0, 2));
  const kinds = ["false_flag", "missed_error", "non_constructive", "residual_error"] as const;
  const history = all.filter((t) => t.annotatorId === ann || t.annotatorId === ann2).slice(0, 24);
  let key = 0;
  for (const [n, t] of history.entries()) {
    const daysAgo = 13 - (n % 14);
    const at = new Date(now - daysAgo * 86_400_000 - (n % 5) * 3_600_000);
    const items = Array.from({ length: 1 + (n % 4) }, (_, k) =>
      item(`h${n}-${k}`, ERROR_TYPES[(n + k * 3) % ERROR_TYPES.length]!, null, k, k + 1, "Seeded history item.", 'Write "something precise".'),
    );
    await db.insert(taskVersions).values({ taskId: t.id, authorId: t.annotatorId!, authorRole: "annotator", preCaption: PRE, score: 3, critique: items, critiqueText: render(items), postCaption: POST, negative: "no", createdAt: at });
    for (let c = 0; c < n % 3; c++) {
      await db.insert(catches).values({ taskId: t.id, reviewerId: rev, kind: kinds[(n + c) % kinds.length]!, note: "Seeded catch.", requestKey: `seed-h-${key++}`, createdAt: new Date(at.getTime() + 3_600_000) });
    }
    const stages = ["labelling", "drafting", "critiquing", "revising", "submitted"] as const;
    let clock = at.getTime() - (20 + (n % 7) * 6) * 60_000;
    for (let s = 0; s + 1 < stages.length; s++) {
      clock += (s === 2 ? 8 + (n % 6) * 2 : 2 + (n % 3)) * 60_000;
      await db.insert(auditLog).values({ at: new Date(clock), actorId: t.annotatorId, action: "task.stage", entityType: "task", entityId: t.id, data: { action: "seed", from: stages[s], to: stages[s + 1] } });
    }
  }
  // Two annotators labelling the same clips: one_of sub-aspects agreeing more often than not.
  const videoIds = [...new Set(all.map((t) => t.videoId))].slice(0, 6);
  for (const [v, videoId] of videoIds.entries()) {
    for (const sub of oneOf) {
      const pair = await db
        .insert(tasks)
        .values([ann, ann2].map((a) => ({ projectId: base.projectId, videoId, aspect: sub.aspect, stage: "approved" as const, annotatorId: a, specVersion: base.specVersion })))
        .returning({ id: tasks.id });
      const pick = (who: number) => sub.primitives[(v + (who === 1 && (v + sub.id.length) % 3 === 0 ? 1 : 0)) % sub.primitives.length]!.id;
      await db.insert(taskLabels).values(pair.map((p, who) => ({ taskId: p.id, primitiveId: pick(who), value: { kind: "selected" }, labelledBy: who === 0 ? ann : ann2 })));
    }
  }
  return diffId;
}
