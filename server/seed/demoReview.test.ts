import { expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { disputes, reviewDecisions, rewardLedger } from "../db/schema/index";
import { person, seedProject, seedTask } from "../testing/seed";
import { describeEachDb } from "../testing/db";
import { seedDemoReview } from "./demoReview";
import { leaderboardFor } from "../review/figures";
import { seedRewardRules } from "../review/rules";

describeEachDb("demo review seed", (db) => {
  it("gives the demo's reviewed tasks decisions, catches and payments, once", async () => {
    const d = db().db;
    await seedRewardRules(d);
    const ann = await person(d, "annotator", "Ann");
    const rev = await person(d, "reviewer", "Rev");
    const ids = await seedProject(d);
    const base = { ...ids, aspect: "camera" as const, annotatorId: ann.id, reviewerId: rev.id, specVersion: "1" };
    await seedTask(d, { ...base, stage: "approved" });
    await seedTask(d, { ...base, stage: "rejected" });
    await seedTask(d, { ...base, stage: "in_review" });
    expect(await seedDemoReview(d)).toEqual({ decisions: 2, catches: 3 });
    expect(await seedDemoReview(d)).toEqual({ decisions: 0, catches: 0 });
    expect(await d.select().from(disputes)).toHaveLength(1);
    // The rejection says why, as the API requires of every rejection.
    const rejections = await d.select().from(reviewDecisions).where(eq(reviewDecisions.decision, "reject_and_redo"));
    expect(rejections).toHaveLength(1);
    expect(rejections[0]?.note.trim()).not.toBe("");
    // Only the approved task pays its annotator; the catches pay the reviewer and charge the annotator.
    const ledger = await d.select().from(rewardLedger);
    expect(ledger.filter((r) => r.rule === "task.approved").map((r) => [r.userId, r.points])).toEqual([[ann.id, 10]]);
    const board = await leaderboardFor(d, "week");
    expect(board.rows.map((r) => r.person.name).sort()).toEqual(["Ann", "Rev"]);
    expect(board.rows.find((r) => r.person.name === "Rev")?.catches).toBe(3);
  });
});
