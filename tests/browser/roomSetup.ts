import { and, eq } from "drizzle-orm";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { expect } from "vitest";
import { tasks, users } from "../../server/db/schema";
import { stockProvider, waitFor, type TrackedProvider } from "../../server/testing/collabClients";
import { taskRoom } from "../../shared/collab/protocol";
import { setDraftText } from "../../shared/room/document";
import { loginAs } from "./harness";
import { sessionCookie, type RestartableServer } from "./roomServer";

export const VIEWPORT = { width: 1280, height: 800 };
/** Bounded waits for live updates; the figure is a ceiling for a slow CI machine, not a measured speed. */
export const LIVE = { timeout: 10_000 };

export type CritiquingRoom = { taskId: string; lead: TrackedProvider };

/**
 * Puts the demo annotator's camera task in `critiquing` with the demo reviewer assigned, and writes `draft` as the
 * model's pre-caption through a stock y-websocket client of the lead's (as the drafting pipeline would). The caller
 * destroys `lead`.
 */
export async function critiquingRoom(app: RestartableServer, draft: string): Promise<CritiquingRoom> {
  const { db } = app.database();
  const byEmail = async (email: string) => {
    const [u] = await db.select({ id: users.id }).from(users).where(eq(users.email, email));
    if (!u) throw new Error(`no demo user ${email}`);
    return u.id;
  };
  const annotatorId = await byEmail("annotator@demo.test");
  const reviewerId = await byEmail("reviewer@demo.test");
  const [task] = await db.select({ id: tasks.id }).from(tasks).where(and(eq(tasks.annotatorId, annotatorId), eq(tasks.aspect, "camera")));
  if (!task) throw new Error("no demo task for the annotator");
  await db.update(tasks).set({ stage: "critiquing", reviewerId, score: null }).where(eq(tasks.id, task.id));

  const cookie = await sessionCookie(app.url, "lead@demo.test");
  const lead = stockProvider(app.url, taskRoom(task.id), { cookie, origin: app.url }, { acks: true });
  await waitFor(() => lead.provider.synced, "the lead's client to sync");
  setDraftText(lead.doc, draft);
  await waitFor(() => [...lead.savedBySocket.values()].some((n) => n >= 1), "the draft to be saved");
  return { taskId: task.id, lead };
}

/** A signed-in context of its own (never a second page of one context) with the task's room open. */
export async function openRoom(browser: Browser, url: string, taskId: string, email: string, draftWord: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: VIEWPORT });
  await loginAs(context, url, email);
  const page = await context.newPage();
  await page.goto(`${url}/tasks/${taskId}`);
  await page.getByTestId("room").waitFor();
  await expect.poll(() => page.getByTestId("draft-editor").textContent(), LIVE).toContain(draftWord);
  return { context, page };
}

/** Selects a word of the draft the way a user does: a double-click. */
export async function selectWord(page: Page, word: string): Promise<void> {
  await page.getByTestId("draft-editor").getByText(word, { exact: false }).first().waitFor();
  const box = await page.getByTestId("draft-editor").evaluate((el, w) => {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const i = n.textContent?.indexOf(w) ?? -1;
      if (i < 0) continue;
      const r = document.createRange();
      r.setStart(n, i);
      r.setEnd(n, i + w.length);
      const b = r.getBoundingClientRect();
      return { x: b.left + b.width / 2, y: b.top + b.height / 2 };
    }
    return null;
  }, word);
  if (!box) throw new Error(`"${word}" is not in the draft`);
  await page.mouse.dblclick(box.x, box.y);
  await expect.poll(() => page.evaluate(() => window.getSelection()?.toString().trim())).toBe(word);
}

export const saveState = (page: Page) => page.getByTestId("save-state").getAttribute("data-state");
