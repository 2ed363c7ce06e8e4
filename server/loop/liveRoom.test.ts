import { afterAll, beforeAll, expect, it } from "vitest";
import { startServer, type RunningServer } from "../server";
import { stockProvider, waitFor, type TrackedProvider } from "../testing/collabClients";
import { describeEachDb } from "../testing/db";
import { testConfig } from "../testing/testConfig";
import { CLOSE } from "../../shared/collab/closeCodes";
import { taskRoom } from "../../shared/collab/protocol";
import type { ReviseResponse } from "../../shared/api/loop";
import { anchorFromTextRange, draftText, putCritiqueItem, readPostText, readRevision, setDraftText } from "../../shared/room/document";
import { person, seedProject, seedTask, type Person } from "../testing/seed";
import { tasks } from "../db/schema";
import { eq } from "drizzle-orm";

/**
 * The loop against a real started server: the server holds the draft, the annotator writes a critique with the stock y-websocket
 * client, presses revise over HTTP, and the reviewer — another participant of the room — sees the revision arrive.
 * Submitting then changes what the annotator may write, so the server closes their socket to rejoin with new rights.
 */
describeEachDb("loop in a live room", (db) => {
  let server: RunningServer;
  let annotator: Person;
  let reviewer: Person;
  let taskId: string;
  const clients: TrackedProvider[] = [];

  beforeAll(async () => {
    server = await startServer(testConfig({ port: 0, host: "127.0.0.1" }), { database: db() });
    annotator = await person(db().db, "annotator");
    reviewer = await person(db().db, "reviewer");
    const ids = await seedProject(db().db);
    taskId = await seedTask(db().db, { ...ids, aspect: "camera", annotatorId: annotator.id, reviewerId: reviewer.id, specVersion: "t", stage: "critiquing" });
    await db().db.update(tasks).set({ score: 3 }).where(eq(tasks.id, taskId));
  });
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await server.close();
  });

  it("streams a revision to every participant and re-checks rights when the stage changes", async () => {
    // The model's draft is the server's to write (the annotator may write only the critique).
    const draft = "The camera is static. The camera zooms in toward the man.";
    await server.collab.withDoc(taskRoom(taskId), (d) => setDraftText(d, draft));
    const ann = stockProvider(server.url, taskRoom(taskId), { cookie: annotator.cookie });
    const rev = stockProvider(server.url, taskRoom(taskId), { cookie: reviewer.cookie });
    clients.push(ann, rev);
    await waitFor(() => ann.provider.synced && rev.provider.synced && draftText(ann.doc) === draft, "both synced with the draft");
    const from = draft.indexOf("zooms in");
    putCritiqueItem(ann.doc, {
      id: "i1",
      errorType: "wrong_term",
      primitiveId: null,
      what: "The camera moves, the lens does not zoom.",
      fix: 'write "dollies in"',
      anchor: anchorFromTextRange(ann.doc, from, from + "zooms in".length),
      timeStart: 1,
      timeEnd: 2,
      createdBy: annotator.id,
      createdAt: new Date().toISOString(),
    });
    await waitFor(() => draftText(rev.doc) === draft && rev.doc.getMap("critique").size === 1, "the critique at the reviewer");
    // The server must have the critique too before revise reads it.
    await waitFor(async () => (await server.collab.withDoc(taskRoom(taskId), (d) => d.getMap("critique").size)) === 1, "the critique at the server");

    const res = await fetch(`${server.url}/api/tasks/${taskId}/revise`, { method: "POST", headers: { cookie: annotator.cookie } });
    expect(res.status).toBe(202);
    const { roundId } = (await res.json()) as ReviseResponse;
    await waitFor(() => readRevision(rev.doc).status === "idle" && readRevision(rev.doc).roundId === roundId, "the finished revision at the reviewer");
    const expected = "The camera is static. The camera dollies in toward the man.";
    expect(readPostText(rev.doc)).toContain(expected);
    expect(readPostText(ann.doc)).toBe(readPostText(rev.doc));
    await waitFor(async () => (await db().db.select({ s: tasks.stage }).from(tasks).where(eq(tasks.id, taskId)))[0]?.s === "refining", "refining");

    const closes: number[] = [];
    ann.provider.on("connection-close", (event) => {
      if (event) closes.push(event.code);
    });
    const submit = await fetch(`${server.url}/api/tasks/${taskId}/transition`, {
      method: "POST",
      headers: { cookie: annotator.cookie, "content-type": "application/json" },
      body: JSON.stringify({ action: "submit" }),
    });
    expect(submit.status).toBe(200);
    await waitFor(() => closes.includes(CLOSE.PERMISSIONS_CHANGED), "the annotator's socket closed for new rights");
  });
});
