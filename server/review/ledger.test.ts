import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { catches, rewardLedger } from "../db/schema";
import { person, seedProject, seedTask } from "../testing/seed";
import { describeEachDb } from "../testing/db";
import { pay, reverseCatchPayments } from "./ledger";
import { seedRewardRules } from "./rules";

describeEachDb("reward ledger writer", (db) => {
  it("pays once per (person, rule, event), never trainees, and reverses with new rows once", async () => {
    const d = db().db;
    await seedRewardRules(d);
    const ann = await person(d, "annotator");
    const trainee = await person(d, "trainee");
    const rev = await person(d, "reviewer");
    const ids = await seedProject(d);
    const taskId = await seedTask(d, { ...ids, aspect: "camera", annotatorId: ann.id, reviewerId: rev.id, specVersion: "1", stage: "in_review" });
    const [c] = await d.insert(catches).values({ taskId, reviewerId: rev.id, kind: "missed_error", note: "n", requestKey: "k-000001" }).returning();
    if (!c) throw new Error("no catch");

    const first = await pay(d, { userId: rev.id, rule: "catch.missed_error", eventKey: `catch:${c.id}`, catchId: c.id, taskId });
    expect(first?.points).toBe(5);
    expect(await pay(d, { userId: rev.id, rule: "catch.missed_error", eventKey: `catch:${c.id}`, catchId: c.id, taskId })).toBeNull();
    expect(await pay(d, { userId: ann.id, rule: "deduction.missed_error", eventKey: `catch:${c.id}`, catchId: c.id, taskId })).toMatchObject({ points: -3 });
    expect(await pay(d, { userId: trainee.id, rule: "task.approved", eventKey: "task:x:approved" })).toBeNull();

    const reversals = await reverseCatchPayments(d, c.id, { reason: "test" });
    expect(reversals.map((r) => [r.userId, r.points, r.reversalOf]).sort()).toEqual(
      [
        [rev.id, -5, first?.id],
        [ann.id, 3, expect.any(Number)],
      ].sort(),
    );
    expect(await reverseCatchPayments(d, c.id, { reason: "again" })).toEqual([]);
    const rows = await d.select().from(rewardLedger).where(eq(rewardLedger.catchId, c.id));
    expect(rows).toHaveLength(4);
    expect(rows.reduce((sum, r) => sum + r.points, 0)).toBe(0);
  });
});
