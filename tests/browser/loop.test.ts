import fs from "node:fs";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MeResponse } from "../../shared/api/auth";
import { ChaiRecord } from "../../shared/dataset/formats";
import { launchChromium } from "./chromium";
import { startAppServer, type AppServer } from "./harness";
import { recordPage } from "./recorder";
import { LIVE, saveState, selectWord } from "./roomSetup";
import { CLIPS, DOCS, addPerson, createFirstAdmin, labelRequired, signIn, type NewPerson } from "./steps";

const VIEWPORT = { width: 1280, height: 800 };
/** Ceilings for the server's own work on a slow, shared machine (the rules provider's draft and revisions). */
const MODEL = { timeout: 30_000 };
/** Pages that re-read every few seconds (the trainer's results, the catches list): a result shows within a few. */
const POLL = { timeout: 20_000 };
const PATIENCE = 60_000;
const CLIP = path.join(CLIPS, "pan_left.webm");
const RECORDING = path.join(DOCS, "loop.webm");

const ADMIN = { name: "Ada Admin", email: "ada@loop.test", password: "ada's long password" };
const PEOPLE = {
  ann: { email: "ann@loop.test", name: "Ann Notator", role: "annotator", password: "ann's password" },
  rex: { email: "rex@loop.test", name: "Rex Viewer", role: "reviewer", password: "rex's password" },
  lea: { email: "lea@loop.test", name: "Lea Lead", role: "lead", password: "lea's password" },
  tom: { email: "tom@loop.test", name: "Tom Trainer", role: "trainer", password: "tom's password" },
  tia: { email: "tia@loop.test", name: "Tia Trainee", role: "trainee", password: "tia's password" },
} satisfies Record<string, NewPerson>;
const REJECTION = "The camera pans, it does not truck: say which way it turns and keep the static framing.";
const EXAM = "Pan check";

/**
 * The whole CHAI loop by clicks and keys, from an empty studio: the first admin sets up a project, a clip and five
 * people; the annotator labels, finishes labelling, gets the draft, critiques it with two anchored items, revises,
 * refines once and submits through the check; the reviewer, in the room since the critique, records a catch and
 * rejects with a reason; the annotator sees it, redoes and resubmits; the reviewer approves; the annotator disputes
 * the catch and the lead upholds it; the lead exports and the export holds this task's triple; the lead makes the
 * task gold and an exam of it; the trainee takes the exam and sees instant feedback; the trainer promotes them.
 * Every person has a browser of their own. The test calls the API only to read results (the spec, to know what to
 * label; the export file; who the trainee is at the end). The annotator's browser is recorded to docs/loop.webm.
 */
describe("the CHAI loop by clicks: labelling to approval, dispute, export, exam to promotion", () => {
  let app: AppServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const started = Date.now();
  const marks: string[] = [];
  const mark = (what: string) => marks.push(`${((Date.now() - started) / 1000).toFixed(1)} s  ${what}`);

  beforeAll(async () => {
    app = await startAppServer({ config: { demo: false } });
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await app?.close();
    console.log(`the loop, end to end:\n${marks.join("\n")}`);
  });

  async function person(who: NewPerson | null): Promise<Page> {
    const context = await browser.newContext({ viewport: VIEWPORT });
    context.setDefaultTimeout(PATIENCE);
    contexts.push(context);
    const page = await context.newPage();
    if (who) await signIn(page, app.url, who.email, who.password);
    return page;
  }



  const stageShown = (page: Page) => page.locator(".room-head [data-stage]").getAttribute("data-stage");

  /** Selects a word of the draft, presses C and writes the item: what is wrong, Tab, how to fix it. */
  async function critique(page: Page, word: string, what: string, fix: string) {
    await page.getByTestId("room").focus();
    await selectWord(page, word);
    await page.keyboard.press("c");
    await page.keyboard.type(what);
    await page.keyboard.press("Tab");
    await page.keyboard.type(fix);
    await page.keyboard.press("Escape");
    await page.keyboard.press("Escape");
    await expect.poll(() => saveState(page), LIVE).toBe("saved");
  }

  async function revise(page: Page, rounds: number) {
    const button = page.getByRole("button", { name: "Revise from critique" });
    await expect.poll(() => button.isEnabled(), LIVE).toBe(true);
    await button.click();
    await expect.poll(() => page.getByTestId("round").count(), MODEL).toBe(rounds);
    await expect.poll(() => stageShown(page), MODEL).toBe("refining");
  }

  async function submit(page: Page) {
    await page.getByRole("button", { name: "Submit…" }).click();
    const dialog = page.getByRole("dialog", { name: "Submit for review?" });
    await dialog.getByTestId("submit-check").waitFor();
    const tick = dialog.getByRole("checkbox");
    if ((await tick.count()) > 0) await tick.check();
    await dialog.getByRole("button", { name: "Submit" }).click();
    await dialog.waitFor({ state: "detached" });
  }

  /** The right column's cards, each a box: none may overlap another, none may collapse under its own header. */
  async function assertNoOverlap(page: Page) {
    const boxes = await page.locator(".room-right > *").evaluateAll((els) =>
      els.map((e) => {
        const r = e.getBoundingClientRect();
        const head = e.querySelector("header, .panel-head, .card-head");
        return { name: e.getAttribute("aria-label") ?? e.className, top: r.top, bottom: r.bottom, left: r.left, right: r.right, head: head?.getBoundingClientRect().height ?? 0 };
      }),
    );
    for (const [i, a] of boxes.entries()) {
      expect(a.bottom - a.top, `${a.name} keeps more than its header`).toBeGreaterThan(a.head);
      for (const b of boxes.slice(i + 1)) {
        const apart = a.bottom <= b.top + 0.5 || b.bottom <= a.top + 0.5 || a.right <= b.left + 0.5 || b.right <= a.left + 0.5;
        expect(apart, `${a.name} and ${b.name} overlap`).toBe(true);
      }
    }
  }

  it("runs end to end in five browsers", { timeout: 900_000 }, async () => {
    // ── The admin: first account, a one-aspect project, one clip, five people, the task assigned.
    const admin = await person(null);
    await createFirstAdmin(admin, app.url, ADMIN);
    await admin.getByRole("link", { name: "Projects" }).click();
    await admin.getByLabel("Project name").fill("Loop");
    await admin.getByRole("button", { name: "Create project" }).click();
    await admin.waitForURL(/\/admin\/projects\/[0-9a-f-]{36}$/);
    const settings = admin.getByRole("form", { name: "Project settings" });
    for (const aspect of ["Subject", "Scene", "Motion", "Spatial"]) await settings.getByLabel(aspect, { exact: true }).uncheck();
    await settings.getByRole("button", { name: "Save settings" }).click();
    await admin.getByText("Settings saved.").waitFor();
    await admin.getByRole("tab", { name: "Clips" }).click();
    await admin.getByTestId("upload-files").setInputFiles(CLIP);
    await admin.locator('[data-testid="upload-item"][data-status="created"]').waitFor();
    await admin.getByRole("link", { name: "People" }).click();
    for (const p of Object.values(PEOPLE)) await addPerson(admin, p);
    await admin.getByRole("link", { name: "Projects" }).click();
    await admin.getByRole("link", { name: "Loop" }).click();
    await admin.getByRole("tab", { name: "Tasks" }).click();
    const bulk = admin.getByRole("group", { name: "Assign in bulk" });
    await bulk.getByLabel(`${PEOPLE.ann.name} (Annotator)`).check();
    await bulk.getByRole("button", { name: "Assign in bulk" }).click();
    await admin.getByText("1 task assigned.").waitFor();
    const manual = admin.getByRole("group", { name: /Selected tasks/ });
    await manual.getByLabel("Select all 1 tasks").check();
    await manual.getByLabel("Reviewer").selectOption({ label: `${PEOPLE.rex.name} (Reviewer)` });
    await manual.getByRole("button", { name: "Set reviewer" }).click();
    await admin.locator(".project-tasks tbody tr", { hasText: PEOPLE.rex.name }).waitFor();
    mark("admin: project, clip, people, assignment");

    // ── The annotator labels and finishes labelling; the room opens and the draft arrives.
    const ann = await person(PEOPLE.ann);
    const recording = await recordPage(ann);
    const row = ann.locator("tbody tr[data-task-id]").first();
    const taskId = (await row.getAttribute("data-task-id")) ?? "";
    await row.getByRole("link").first().click();
    await ann.waitForURL(`${app.url}/tasks/${taskId}`);
    await ann.locator("section.labelling").waitFor();
    await labelRequired(ann, app.url, "camera");
    const finish = ann.getByTestId("finish-labelling");
    await expect.poll(() => finish.isEnabled(), LIVE).toBe(true);
    await ann.keyboard.press("Control+Enter");
    await ann.getByTestId("room").waitFor(MODEL);
    await expect.poll(() => stageShown(ann), MODEL).toBe("critiquing");
    const draft = (await ann.getByTestId("draft-editor").textContent()) ?? "";
    // Two different words of the draft, each once in it (so the selection is unambiguous).
    const counts = new Map<string, number>();
    for (const w of draft.match(/[A-Za-z]{5,}/g) ?? []) counts.set(w, (counts.get(w) ?? 0) + 1);
    const words = [...counts].filter(([, n]) => n === 1).map(([w]) => w);
    const [first, second] = words;
    if (!first || !second) throw new Error(`the draft has too few words to critique: "${draft}"`);
    mark("annotator: labelled, draft arrived");

    // ── The reviewer joins the room live while the annotator critiques.
    const rex = await person(PEOPLE.rex);
    await rex.goto(`${app.url}/tasks/${taskId}`);
    await rex.getByTestId("room").waitFor();
    await ann.getByTestId("participant").filter({ hasText: "Reviewer" }).waitFor(LIVE);

    // ── Two anchored items, a score, a revision, one refinement and a second revision, then submit.
    await critique(ann, first, `"${first}" is not what the camera does here.`, `Write "turns" instead of "${first}".`);
    await critique(ann, second, `"${second}" misses the direction of the move.`, `Write "to the left" instead of "${second}".`);
    await expect.poll(() => rex.getByTestId("critique-item").count(), LIVE).toBe(2);
    await ann.getByRole("radio", { name: "3" }).click();
    await expect.poll(() => ann.getByRole("radio", { name: "3" }).getAttribute("aria-checked"), LIVE).toBe("true");
    await revise(ann, 1);
    await ann.getByTestId("critique-item").first().locator(".crit-summary").click();
    await ann.locator(".crit-editor textarea").nth(1).fill(`Write "pans left" instead of "${first}".`);
    await expect.poll(() => saveState(ann), LIVE).toBe("saved");
    await revise(ann, 2);
    await submit(ann);
    await ann.waitForURL(`${app.url}/`);
    mark("annotator: critiqued, revised twice, submitted");

    // ── The reviewer sees the hand-in live, starts the review, records a catch, rejects with a reason.
    await expect.poll(() => stageShown(rex), LIVE).toBe("submitted");
    await rex.getByRole("button", { name: "Start review" }).click();
    await expect.poll(() => stageShown(rex), LIVE).toBe("in_review");
    const form = rex.getByRole("form", { name: "Record a catch" });
    await form.getByLabel("From (s)").fill("0.5");
    await form.getByLabel("To (s)").fill("3");
    await form.getByLabel("Note (what is wrong)").fill("The critique misses that the pan slows down at the end.");
    await form.getByRole("button", { name: "Record catch" }).click();
    await rex.getByTestId("catches-panel").locator(".catch-card").first().waitFor();
    await rex.getByRole("button", { name: "Reject and redo…" }).click();
    const reject = rex.getByRole("dialog", { name: "Reject and redo?" });
    await reject.getByLabel(/Reason \(required\)/).fill(REJECTION);
    await reject.getByRole("button", { name: "Reject and redo" }).click();
    await expect.poll(() => stageShown(rex), LIVE).toBe("rejected");
    mark("reviewer: catch recorded, rejected with a reason");

    // ── The annotator finds the redo in the queue, reads the reason, redoes and resubmits.
    const redoRow = ann.locator(`tbody tr[data-task-id="${taskId}"]`);
    await redoRow.waitFor(POLL);
    await redoRow.getByRole("link").first().click();
    await ann.getByTestId("room").waitFor();
    await expect.poll(() => ann.getByTestId("decision-history").textContent(), LIVE).toContain(REJECTION);
    for (const size of [VIEWPORT, { width: 1920, height: 1080 }]) {
      await ann.setViewportSize(size);
      await assertNoOverlap(ann);
    }
    await ann.setViewportSize(VIEWPORT);
    await ann.getByRole("button", { name: "Redo the critique" }).click();
    await expect.poll(() => stageShown(ann), LIVE).toBe("critiquing");
    await expect.poll(() => stageShown(rex), LIVE).toBe("critiquing");
    await ann.getByTestId("critique-item").first().locator(".crit-summary").click();
    await ann.locator(".crit-editor textarea").nth(1).fill(`Write "pans left, slowing at the end" instead of "${first}".`);
    await expect.poll(() => saveState(ann), LIVE).toBe("saved");
    await revise(ann, 3);
    await submit(ann);
    mark("annotator: redone and resubmitted");

    // ── The reviewer approves the resubmission.
    await expect.poll(() => stageShown(rex), LIVE).toBe("submitted");
    await rex.getByRole("button", { name: "Start review" }).click();
    await expect.poll(() => stageShown(rex), LIVE).toBe("in_review");
    await assertNoOverlap(rex);
    await rex.getByRole("button", { name: "Approve", exact: true }).click();
    await expect.poll(() => stageShown(rex), LIVE).toBe("approved");
    mark("reviewer: approved");

    // ── The annotator disputes the catch; the lead upholds it from the disputes page.
    await ann.getByRole("link", { name: "Tasks" }).first().click();
    await ann.locator(`tbody tr[data-task-id="${taskId}"]`).getByRole("link").first().click();
    await ann.getByTestId("room").waitFor();
    const card = ann.getByTestId("catches-panel").locator(".catch-card").first();
    await card.getByLabel("Reason for the dispute").fill("The pan keeps its speed: the slowing is the clip's end.");
    await card.getByRole("button", { name: "Dispute" }).click();
    await card.getByText(/Disputed by Ann Notator/).waitFor(LIVE);

    const lea = await person(PEOPLE.lea);
    await lea.getByRole("link", { name: "Figures" }).click();
    const dispute = lea.getByTestId("disputes").locator(".catch-card").first();
    await dispute.getByLabel("Verdict note").fill("The pan does slow down from 2.5 s: the catch stands.");
    await dispute.getByRole("button", { name: "Uphold" }).click();
    await lea.getByTestId("disputes").getByText("No disputes waiting.").waitFor();
    mark("annotator disputed, lead upheld");

    // ── The lead exports; the chai records hold this task's triple.
    await lea.getByRole("link", { name: "Export" }).click();
    const exportForm = lea.getByRole("form", { name: "New export" });
    await exportForm.getByRole("button", { name: /Export|Start/ }).click();
    const chaiLink = lea.getByRole("link", { name: /chai.*\.jsonl$/ }).first();
    await chaiLink.waitFor(POLL);
    const [download] = await Promise.all([lea.waitForEvent("download"), chaiLink.click()]);
    const records = fs
      .readFileSync(await download.path(), "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => ChaiRecord.parse(JSON.parse(l)));
    // The task's triple: the model's draft, the annotator's critique (two items), the revised caption; with the
    // rejected first version kept as a negative, the approval and the upheld catch.
    expect(records).toHaveLength(1);
    const [record] = records;
    expect(record?.pre_caption).toBe(draft);
    expect(record?.critique.items).toHaveLength(2);
    expect(record?.post_caption).toContain("pans left, slowing at the end");
    expect(record?.verdict).toBe("approve");
    expect(record?.negatives).toHaveLength(1);
    expect(record?.catches.map((c) => c.status)).toEqual(["upheld"]);
    mark("lead: exported");

    // ── The lead makes the task gold and builds an exam of it; the trainer assigns it to the trainee.
    await lea.goto(`${app.url}/tasks/${taskId}/diff`);
    await lea.getByRole("button", { name: "Make gold" }).click();
    await lea.getByText(/Gold task: its \d+ critique items are now an answer key\./).waitFor();
    await lea.getByRole("link", { name: "Training" }).click();
    await lea.getByLabel("Exam name").fill(EXAM);
    await lea.getByLabel("Pass threshold (0–1)").fill("0");
    await lea.locator(".gold-picks label").first().locator("input[type=checkbox]").check();
    await lea.getByRole("button", { name: "Create exam" }).click();
    await lea.getByText("Exam created.").waitFor();

    const tom = await person(PEOPLE.tom);
    await tom.getByRole("link", { name: "Training" }).click();
    const examBlock = tom.getByTestId("exam").filter({ hasText: EXAM });
    await examBlock.getByLabel(`Assign ${EXAM} to`).selectOption({ label: PEOPLE.tia.name });
    await examBlock.getByRole("button", { name: "Assign" }).click();
    await tom.getByText("Exam assigned: the trainee has new tasks.").waitFor();
    const attempt = examBlock.getByTestId("exam-result").filter({ hasText: PEOPLE.tia.name }).getByTestId("exam-attempt");
    const attemptId = (await attempt.getAttribute("data-task-id")) ?? "";
    mark("lead: gold and exam; trainer: assigned");

    // ── The trainee takes the exam and sees instant feedback; the trainer sees it live and promotes.
    const tia = await person(PEOPLE.tia);
    const examRow = tia.locator(`tr[data-task-id="${attemptId}"]`);
    await expect(examRow.getByTestId("exam-badge").textContent()).resolves.toBe(`Exam: ${EXAM}`);
    await examRow.getByRole("link").first().click();
    await tia.locator("section.labelling").waitFor();
    await labelRequired(tia, app.url, "camera");
    await tia.getByTestId("finish-labelling").click();
    await expect.poll(() => stageShown(tia), MODEL).toBe("critiquing");
    const tiaDraft = (await tia.getByTestId("draft-editor").textContent()) ?? "";
    const tiaWord = tiaDraft.match(/[A-Za-z]{5,}/)?.[0];
    if (!tiaWord) throw new Error(`the exam's draft has no word to critique: "${tiaDraft}"`);
    await critique(tia, tiaWord, `"${tiaWord}" is not the move.`, `Write "pans left" instead of "${tiaWord}".`);
    await tia.getByRole("radio", { name: "3" }).click();
    await revise(tia, 1);
    await submit(tia);
    await tia.waitForURL(`${app.url}/tasks/${attemptId}/feedback`);
    await expect(tia.getByTestId("feedback-verdict").textContent()).resolves.toBe("Passed");
    await expect(tia.getByTestId("feedback-pass-mark").textContent()).resolves.toBe("0%");

    await expect.poll(() => attempt.getAttribute("data-scored"), POLL).toBe("true");
    await tom.getByTestId("trainee").filter({ hasText: PEOPLE.tia.name }).getByRole("button", { name: "Promote to annotator" }).click();
    await tom.getByRole("dialog", { name: `Promote ${PEOPLE.tia.name} to annotator?` }).getByRole("button", { name: "Promote" }).click();
    await tom.getByText(`${PEOPLE.tia.name} is now an annotator.`).waitFor();
    const me = (await (await tia.context().request.get(`${app.url}/api/me`)).json()) as MeResponse;
    expect(me.role).toBe("annotator");
    mark("trainee: exam and feedback; trainer: promoted");

    // The annotator's browser, recorded from signing in to here.
    console.log(await recording.stop(RECORDING));
  });
});
