import path from "node:path";
import fs from "node:fs";
import { and, eq } from "drizzle-orm";
import * as Y from "yjs";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tasks, users } from "../../server/db/schema";
import { stockProvider, waitFor, type TrackedProvider } from "../../server/testing/collabClients";
import { taskRoom } from "../../shared/collab/protocol";
import { critiqueItemsFromDoc, draftFragment, setDraftText, setPostText } from "../../shared/room/document";
import { launchChromium } from "./chromium";
import { loginAs } from "./harness";
import { sessionCookie, startRestartableServer, type RestartableServer } from "./roomServer";
import { LIVE, VIEWPORT, saveState, selectWord } from "./roomSetup";

const DOCS = path.resolve(import.meta.dirname, "../../docs");
const DRAFT = "The camera zooms in on the green cart as it rolls across the floor.\nA yellow wheel spins on the left of the frame.";

describe("review room: two people, live", () => {
  let app: RestartableServer;
  let browser: Browser;
  let lead: TrackedProvider;
  let taskId: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    app = await startRestartableServer();
    const { db } = app.database();
    const byEmail = async (email: string) => {
      const [u] = await db.select({ id: users.id }).from(users).where(eq(users.email, email));
      if (!u) throw new Error(`no demo user ${email}`);
      return u.id;
    };
    const annotatorId = await byEmail("annotator@demo.test");
    const reviewerId = await byEmail("reviewer@demo.test");
    // A task of the annotator's, in critiquing, with the reviewer assigned (who may watch but not write then).
    const [task] = await db.select({ id: tasks.id }).from(tasks).where(and(eq(tasks.annotatorId, annotatorId), eq(tasks.aspect, "camera")));
    if (!task) throw new Error("no demo task for the annotator");
    taskId = task.id;
    await db.update(tasks).set({ stage: "critiquing", reviewerId }).where(eq(tasks.id, taskId));

    // The lead writes the model's draft through a stock y-websocket client, as the drafting pipeline would.
    const cookie = await sessionCookie(app.url, "lead@demo.test");
    lead = stockProvider(app.url, taskRoom(taskId), { cookie, origin: app.url }, { acks: true });
    await waitFor(() => lead.provider.synced, "the lead's client to sync");
    setDraftText(lead.doc, DRAFT);
    await waitFor(() => [...lead.savedBySocket.values()].some((n) => n >= 1), "the draft to be saved");
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    lead?.destroy();
    await app?.close();
  });

  async function open(email: string): Promise<Page> {
    const context = await browser.newContext({ viewport: VIEWPORT });
    contexts.push(context);
    await loginAs(context, app.url, email);
    const page = await context.newPage();
    await page.goto(`${app.url}/tasks/${taskId}`);
    await page.getByTestId("room").waitFor();
    await expect.poll(() => page.getByTestId("draft-editor").textContent(), LIVE).toContain("zooms in");
    return page;
  }

  /** The highlighted words, one entry per item (a caret inside a span splits it into several elements). */
  const spanText = (page: Page) =>
    page.getByTestId("draft-editor").evaluate((el) => {
      const byItem = new Map<string, string>();
      el.querySelectorAll<HTMLElement>(".crit-span").forEach((s) => {
        const id = s.dataset.itemId ?? "";
        byItem.set(id, (byItem.get(id) ?? "") + (s.textContent ?? ""));
      });
      return [...byItem.values()];
    });
  /** The draft's text without the other participants' caret labels. */
  const draftOf = (page: Page) =>
    page.getByTestId("draft-editor").evaluate((el) => {
      const copy = el.cloneNode(true) as HTMLElement;
      copy.querySelectorAll(".collab-caret").forEach((c) => c.remove());
      return [...copy.querySelectorAll("p")].map((p) => p.textContent).join("\n");
    });
  const videoTime = (page: Page) => page.getByTestId("task-video").evaluate((v) => (v as HTMLVideoElement).currentTime);
  const press = async (page: Page, key: string, times = 1) => {
    for (let i = 0; i < times; i++) await page.keyboard.press(key);
  };
  it("A critiques a span with a time range; B sees it live, seeks with it; edits, reloads and a restart lose nothing", async () => {
    const a = await open("annotator@demo.test");
    const b = await open("reviewer@demo.test");
    // Both see each other (the lead's client may be listed too).
    await expect.poll(async () => (await a.getByTestId("participant").allTextContents()).join(" "), LIVE).toMatch(/Ada.*Rae|Rae.*Ada/);
    await expect.poll(async () => (await b.getByTestId("participant").allTextContents()).join(" "), LIVE).toMatch(/Ada.*Rae|Rae.*Ada/);

    // A: move the playhead one second (24 frames at 24 fps), select "zooms", add a critique.
    await a.getByTestId("room").focus();
    await press(a, "ArrowRight", 24);
    await expect.poll(() => a.getByTestId("timecode").textContent()).toBe("00:00:01:00");
    await selectWord(a, "zooms");
    await press(a, "c");
    await a.keyboard.type("The camera does not zoom: the near posts grow faster than the backdrop.");
    await press(a, "Tab");
    await a.keyboard.type('Write "dollies in".');
    await press(a, "Escape");
    // In at 00:00:01:00, out twelve frames later.
    await press(a, "i");
    await press(a, "ArrowRight", 12);
    await press(a, "o");
    await expect.poll(() => a.locator(".crit-time").first().textContent()).toBe("00:00:01:00 – 00:00:01:12");
    await expect.poll(() => spanText(a), LIVE).toEqual(["zooms"]);

    // B sees the item highlighted on the same word, and clicking it seeks B's video to the range start.
    await expect.poll(() => spanText(b), LIVE).toEqual(["zooms"]);
    await expect.poll(() => b.locator(".crit-time").first().textContent(), LIVE).toBe("00:00:01:00 – 00:00:01:12");
    await b.getByTestId("critique-item").first().locator(".crit-summary").click();
    await expect.poll(() => videoTime(b), LIVE).toBeCloseTo(1.0, 2);
    await expect.poll(() => b.getByTestId("timecode").textContent()).toBe("00:00:01:00");
    // Clicking the highlighted span selects its item.
    await press(b, "Escape");
    await b.locator(".crit-span").first().click();
    await expect.poll(() => b.locator(".crit-item-selected").count()).toBe(1);

    // Concurrent typing elsewhere (the lead, who may write the draft): before, after and in another paragraph.
    lead.doc.transact(() => {
      const first = (draftFragment(lead.doc).get(0) as Y.XmlElement).get(0) as Y.XmlText;
      first.insert(0, "Slowly, ");
      first.insert(first.length, " It stops.");
      const second = (draftFragment(lead.doc).get(1) as Y.XmlElement).get(0) as Y.XmlText;
      second.insert(0, "Meanwhile, ");
    });
    await expect.poll(() => draftOf(a), LIVE).toContain("Slowly, The camera zooms in");
    await expect.poll(() => draftOf(b), LIVE).toContain("Meanwhile, A yellow wheel");
    await expect.poll(() => spanText(a), LIVE).toEqual(["zooms"]);
    await expect.poll(() => spanText(b), LIVE).toEqual(["zooms"]);

    // Nobody but writers changes the text: the annotator's draft is locked, the reviewer is read-only now.
    const before = await draftOf(a);
    await a.getByTestId("draft-editor").click();
    await a.keyboard.type("qqq");
    await b.getByTestId("draft-editor").click();
    await b.keyboard.type("xyz");
    await b.keyboard.press("Backspace");
    expect(await draftOf(a)).toBe(before);
    expect(await draftOf(b)).toBe(before);
    expect(await b.getByRole("button", { name: /Add critique/ }).isDisabled()).toBe(true);
    await expect.poll(() => saveState(b)).toBe("readonly");
    expect(critiqueItemsFromDoc(lead.doc).items).toHaveLength(1);

    // Reload keeps everything.
    await expect.poll(() => saveState(a), LIVE).toBe("saved");
    await a.reload();
    await a.getByTestId("room").waitFor();
    await expect.poll(() => spanText(a), LIVE).toEqual(["zooms"]);
    await a.getByTestId("critique-item").first().locator(".crit-summary").click();
    await expect.poll(() => a.locator(".crit-editor textarea").first().inputValue()).toContain("near posts grow faster");

    // The server restarts mid-session: A keeps editing offline; the queued edit is saved after reconnecting.
    await app.stop();
    await expect.poll(() => saveState(a), LIVE).toBe("offline");
    await a.locator(".crit-editor textarea").nth(1).fill('Write "dollies in toward the cart".');
    await expect.poll(() => a.getByTestId("save-state").textContent()).toContain("queued");
    await app.start();
    await expect.poll(() => saveState(a), { timeout: 30_000 }).toBe("saved");
    await expect.poll(() => b.locator(".crit-editor textarea").nth(1).inputValue(), { timeout: 30_000 }).toContain("toward the cart");
    await b.reload();
    await b.getByTestId("room").waitFor();
    await expect.poll(() => spanText(b), LIVE).toEqual(["zooms"]);
    await b.getByTestId("critique-item").first().locator(".crit-summary").click();
    await expect.poll(() => b.locator(".crit-editor textarea").nth(1).inputValue()).toBe('Write "dollies in toward the cart".');
  });

  it("a room with two participants and three critique items (docs/room.png)", async () => {
    const [a, b] = await Promise.all(contexts.map((c) => c.pages()[0]!));
    if (!a || !b) throw new Error("the first test opened no pages");
    // Two more items: a time-only one (missing information) and one on "left".
    await a.getByTestId("room").focus();
    await press(a, "Escape");
    await press(a, "Home");
    await press(a, "ArrowRight", 60);
    await press(a, "c");
    await a.keyboard.type("The cart stops before the end of the clip; the caption never says so.");
    await press(a, "Tab");
    await a.keyboard.type('Add "and stops near the right edge".');
    await press(a, "Escape");
    await selectWord(a, "left");
    await press(a, "c");
    await a.locator(".crit-editor select").first().selectOption("left_right");
    await a.locator(".crit-editor textarea").first().fill("The wheel is on the right of the frame, not the left.");
    await a.locator(".crit-editor textarea").nth(1).fill('Write "right".');
    await press(a, "Escape");
    await expect.poll(() => b.getByTestId("critique-item").count(), LIVE).toBe(3);
    await expect.poll(() => spanText(b), LIVE).toEqual(["zooms", "left"]);
    // Dragging a bar's end edge on the timeline changes the item's range for everyone (snapped to a frame).
    const zoomsBar = a.locator(".tl-bar").filter({ hasText: "zooms" });
    const edge = await zoomsBar.locator(".tl-edge-end").boundingBox();
    const track = await a.getByTestId("timeline").boundingBox();
    if (!edge || !track) throw new Error("no timeline");
    await a.mouse.move(edge.x + edge.width / 2, edge.y + edge.height / 2);
    await a.mouse.down();
    await a.mouse.move(track.x + track.width * (1.75 / 4), edge.y + edge.height / 2, { steps: 5 });
    await a.mouse.up();
    await expect
      .poll(() => b.getByTestId("critique-item").first().locator(".crit-time").textContent(), LIVE)
      .toMatch(/^00:00:01:00 – 00:00:01:(1[6-9]|2[0-3])$/);

    // A revision streamed in by the pipeline (written by the server, as the pipeline does).
    await app.withDoc(taskRoom(taskId), (doc) => setPostText(doc, "Slowly, the camera dollies in toward the green cart as it rolls across the floor and stops near the right edge. It stops.\nMeanwhile, a yellow wheel spins on the right of the frame."));
    await expect.poll(() => a.getByTestId("post-caption").textContent(), LIVE).toContain("dollies in");

    // B follows A (F picks the first other participant): B's playhead locks to A's.
    await b.getByTestId("room").focus();
    await press(b, "f");
    await expect.poll(() => b.getByRole("button", { name: "Following" }).count()).toBe(1);
    const aTimecode = await a.getByTestId("timecode").textContent();
    await expect.poll(() => b.getByTestId("timecode").textContent(), LIVE).toBe(aTimecode);
    await b.getByRole("button", { name: "Following" }).click();
    await expect.poll(() => b.getByRole("button", { name: "Following" }).count()).toBe(0);

    // The reviewer parks on the first item; the annotator reads the first and moves on thirty frames.
    await b.getByTestId("critique-item").first().locator(".crit-summary").click();
    await a.getByTestId("critique-item").nth(2).locator(".crit-summary").click();
    await a.getByTestId("critique-item").nth(0).locator(".crit-summary").click();
    await press(a, "Escape");
    await press(a, "Shift+ArrowRight", 3);
    await expect.poll(() => a.getByTestId("remote-playhead").count(), LIVE).toBe(1);
    // Every shortcut is listed in the help overlay.
    await press(a, "?");
    await expect.poll(() => a.getByTestId("help-overlay").textContent()).toContain("Add a critique on the selected words");
    await press(a, "Escape");
    await expect.poll(() => a.getByTestId("help-overlay").count()).toBe(0);

    await a.waitForTimeout(1200); // let the selection flash finish so the picture shows the resting state
    fs.mkdirSync(DOCS, { recursive: true });
    await a.screenshot({ path: path.join(DOCS, "room.png") });
  });
});
