import { afterAll, beforeAll, expect, it } from "vitest";
import { taskVersions } from "../db/schema";
import { stockProvider, waitFor, type TrackedProvider } from "../testing/collabClients";
import { person, seedProject, seedTask, type Person } from "../testing/seed";
import { startServer, type RunningServer } from "../server";
import { describeEachDb } from "../testing/db";
import { testConfig } from "../testing/testConfig";
import { taskRoom } from "../../shared/collab/protocol";
import { catchSummariesFromDoc } from "../../shared/room/catches";
import type { CatchView } from "../../shared/api/review";
import { seedRewardRules } from "./rules";

/**
 * Catches show live in the room: the annotator, connected with a stock y-websocket client to the real server, sees
 * the reviewer's catch (and then its dispute) arrive in the room document's catches map.
 */
describeEachDb("catches live in the room", (db) => {
  let server: RunningServer;
  let ann: Person;
  let rev: Person;
  let taskId: string;
  const providers: TrackedProvider[] = [];

  beforeAll(async () => {
    server = await startServer(testConfig({ port: 0, host: "127.0.0.1" }), { database: db(), collab: { unloadDelayMs: 50 } });
    const d = db().db;
    await seedRewardRules(d);
    ann = await person(d, "annotator", "Ann");
    rev = await person(d, "reviewer", "Rev");
    const ids = await seedProject(d);
    taskId = await seedTask(d, { ...ids, aspect: "camera", annotatorId: ann.id, reviewerId: rev.id, specVersion: "1", stage: "in_review" });
    await d.insert(taskVersions).values({
      taskId,
      authorId: ann.id,
      authorRole: "annotator",
      preCaption: "A wide shot.",
      score: 3,
      critique: [],
      critiqueText: "",
      postCaption: "A close-up.",
    });
  });

  afterAll(async () => {
    for (const p of providers) p.destroy();
    await server.close();
  });

  const post = (who: Person, path: string, body: unknown) =>
    fetch(`${server.url}${path}`, {
      method: "POST",
      headers: { cookie: who.cookie, origin: server.url, "content-type": "application/json" },
      body: JSON.stringify(body),
    });

  it("the annotator sees the reviewer's catch and its dispute appear", async () => {
    const annotator = stockProvider(server.url, taskRoom(taskId), { cookie: ann.cookie, origin: server.url });
    providers.push(annotator);
    await waitFor(() => annotator.provider.synced, "the annotator to sync");

    const res = await post(rev, `/api/tasks/${taskId}/catches`, {
      requestKey: "live-catch-0001",
      kind: "missed_error",
      timeStart: 2,
      timeEnd: 3,
      note: "The push-in at 00:02 is missed.",
    });
    expect(res.status).toBe(201);
    const created = (await res.json()) as CatchView;
    await waitFor(() => catchSummariesFromDoc(annotator.doc).some((s) => s.id === created.id), "the catch to reach the annotator");
    expect(catchSummariesFromDoc(annotator.doc)).toEqual([
      expect.objectContaining({ id: created.id, kind: "missed_error", note: "The push-in at 00:02 is missed.", status: "open", reviewerName: "Rev" }),
    ]);

    expect((await post(ann, `/api/catches/${created.id}/dispute`, { reason: "It is in the draft." })).status).toBe(200);
    await waitFor(() => catchSummariesFromDoc(annotator.doc)[0]?.status === "disputed", "the dispute to show in the room");
  });
});
