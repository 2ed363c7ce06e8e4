import { eq } from "drizzle-orm";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { catches, rewardLedger, tasks, users } from "../../server/db/schema";
import type { TrackedProvider } from "../../server/testing/collabClients";
import { taskRoom } from "../../shared/collab/protocol";
import type { CritiqueItem } from "../../shared/critique/items";
import { putCritiqueItem, setPostText } from "../../shared/room/document";
import { launchChromium } from "./chromium";
import { startRestartableServer, type RestartableServer } from "./roomServer";
import { LIVE, critiquingRoom, openRoom, selectWord } from "./roomSetup";

const DRAFT = "The camera zooms toward the green cart as it rolls across the floor.";
const POST = "The camera dollies in toward the green cart as it rolls across the floor.";
const ITEM_ID = "item-zooms";
const NOTE = "The camera really zooms here: the flag on this item is wrong.";

describe("catches live in the room: the reviewer records a catch, the annotator sees it appear", () => {
  let app: RestartableServer;
  let browser: Browser;
  let lead: TrackedProvider;
  let taskId: string;
  const contexts: BrowserContext[] = [];

  const idOf = async (email: string) => {
    const [u] = await app.database().db.select({ id: users.id }).from(users).where(eq(users.email, email));
    if (!u) throw new Error(`no demo user ${email}`);
    return u.id;
  };

  beforeAll(async () => {
    app = await startRestartableServer();
    ({ taskId, lead } = await critiquingRoom(app, DRAFT));
    // The annotator's work as it stands at submission, written into the room by the server (a critique item in the
    // annotator's name and the pipeline's post-caption: neither is the lead's client's to write).
    const item: CritiqueItem = {
      id: ITEM_ID,
      errorType: "wrong_term",
      primitiveId: null,
      what: "The camera does not zoom",
      fix: 'Write "dollies in".',
      anchor: null,
      timeStart: 0,
      timeEnd: 1,
      createdBy: await idOf("annotator@demo.test"),
      createdAt: new Date().toISOString(),
    };
    await app.withDoc(taskRoom(taskId), (doc) => {
      putCritiqueItem(doc, item);
      setPostText(doc, POST);
    });
    // Submitted for review (the loop's earlier stages are covered by revise.test.ts); the reviewer takes it below.
    await app.database().db.update(tasks).set({ stage: "submitted" }).where(eq(tasks.id, taskId));
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    lead?.destroy();
    await app?.close();
  });

  const open = async (email: string) => {
    const { context, page } = await openRoom(browser, app.url, taskId, email, "zooms");
    contexts.push(context);
    return page;
  };
  const panel = (page: Page) => page.getByTestId("catches-panel");

  it("records a false flag in the reviewer's room; it appears in the annotator's; the ledger pays once each", async () => {
    const annotator = await open("annotator@demo.test");
    const reviewer = await open("reviewer@demo.test");
    await expect.poll(() => panel(annotator).textContent(), LIVE).toContain("No catches yet.");
    // The annotator never gets the reviewer's tools.
    expect(await panel(annotator).getByRole("button", { name: "Start review" }).count()).toBe(0);

    // The reviewer takes the task in the room.
    const [started] = await Promise.all([
      reviewer.waitForResponse((r) => r.url().endsWith(`/api/tasks/${taskId}/review/start`)),
      panel(reviewer).getByRole("button", { name: "Start review" }).click(),
    ]);
    expect(started.status()).toBe(200);
    const form = panel(reviewer).getByRole("form", { name: "Record a catch" });
    await form.waitFor(LIVE);

    // Select the flagged words in the draft: the form offers them as the catch's anchor.
    await selectWord(reviewer, "zooms");
    await expect.poll(() => form.locator('input[name="quote"]').inputValue(), LIVE).toBe("zooms");
    await form.locator('select[name="kind"]').selectOption("false_flag");
    await form.locator('select[name="itemId"]').selectOption(ITEM_ID);
    await form.locator('textarea[name="note"]').fill(NOTE);
    const [recorded] = await Promise.all([
      reviewer.waitForResponse((r) => r.url().endsWith(`/api/tasks/${taskId}/catches`) && r.request().method() === "POST"),
      form.getByRole("button", { name: "Record catch" }).click(),
    ]);
    expect(recorded.status()).toBe(201);
    await expect.poll(() => panel(reviewer).getByTestId("catch").count(), LIVE).toBe(1);

    // The annotator's room shows it without a reload, and offers a dispute.
    const seen = panel(annotator).getByTestId("catch");
    await expect.poll(() => seen.count(), LIVE).toBe(1);
    const text = (await seen.first().textContent()) ?? "";
    expect(text).toContain("False flag");
    expect(text).toContain(NOTE);
    // The catch names the critique item as the room numbers it (the item's id is checked in the record below).
    expect(text).toContain("on item 1. ");
    expect(await seen.first().getByRole("button", { name: "Dispute" }).count()).toBe(1);

    // The record: one catch anchored to the selected words, and exactly two ledger entries for it.
    const { db } = app.database();
    const rows = await db.select().from(catches).where(eq(catches.taskId, taskId));
    expect(rows).toHaveLength(1);
    const [c] = rows;
    if (!c) throw new Error("no catch stored");
    expect(c).toMatchObject({ kind: "false_flag", itemId: ITEM_ID, note: NOTE, quote: "zooms", status: "open" });
    expect(c.anchor).toMatchObject({ quote: "zooms" });
    const ledger = await db
      .select({ userId: rewardLedger.userId, rule: rewardLedger.rule, points: rewardLedger.points, catchId: rewardLedger.catchId })
      .from(rewardLedger)
      .where(eq(rewardLedger.taskId, taskId));
    const reviewerId = await idOf("reviewer@demo.test");
    const annotatorId = await idOf("annotator@demo.test");
    expect(ledger.sort((a, b) => a.rule.localeCompare(b.rule))).toEqual([
      { userId: reviewerId, rule: "catch.false_flag", points: 3, catchId: c.id },
      { userId: annotatorId, rule: "deduction.false_flag", points: -2, catchId: c.id },
    ]);
  });
});
