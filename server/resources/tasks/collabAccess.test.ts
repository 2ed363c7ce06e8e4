import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import type { SessionUser } from "../../auth/sessionUser";
import { tasks, taskVersions, users } from "../../db/schema/index";
import { describeEachDb } from "../../testing/db";
import { seedProject } from "../../testing/seed";
import type { Role } from "../../../shared/domain";
import { STAGES } from "../../../shared/domain/stages";
import { collabAccess, collabFacts, taskAccess, type TaskFacts } from "./policy";

/**
 * collabAccess (one batched statement) must answer exactly as taskAccess (three or four queries) for every person,
 * stage, assignment and version history: compared over a seeded matrix, all lookups of a person made concurrently
 * so they go through the batcher together.
 */

type Version = { author: string; role: "annotator" | "reviewer"; at: number };

const sortedFacts = (f: TaskFacts) => ({ ...f, workerIds: [...f.workerIds].sort() });

describeEachDb("collabAccess matches taskAccess", (db) => {
  const people: Record<string, SessionUser> = {};
  const taskIds: string[] = [];

  beforeAll(async () => {
    const d = db().db;
    const roles: [string, Role][] = [
      ["ann", "annotator"], ["ann2", "annotator"], ["trainee", "trainee"], ["rev", "reviewer"], ["rev2", "reviewer"],
      ["trainer", "trainer"], ["lead", "lead"], ["admin", "admin"],
    ];
    for (const [name, role] of roles) {
      const [row] = await d
        .insert(users)
        .values({ email: `${name}-${randomUUID()}@access.test`, displayName: name, role, passwordHash: "x" })
        .returning({ id: users.id });
      people[name] = { id: row!.id, email: `${name}@access.test`, displayName: name, role };
    }
    const p = (name: string) => people[name]!.id;
    const { projectId, videoId } = await seedProject(d);
    const annotators = [p("ann"), p("trainee"), p("rev"), p("lead"), null];
    const reviewers = [null, p("rev"), p("rev2")];
    // Version histories (oldest first) for a task annotated by `a` and reviewed by `r`.
    const histories = (a: string | null, r: string | null): Version[][] => {
      const worker = a ?? p("ann");
      return [
        [],
        [{ author: worker, role: "annotator", at: 1 }],
        [{ author: worker, role: "annotator", at: 1 }, { author: r ?? p("rev"), role: "reviewer", at: 2 }],
        // Reassigned: an earlier annotator's frozen work stays theirs.
        [{ author: p("ann2"), role: "annotator", at: 1 }, { author: worker, role: "annotator", at: 2 }],
        // Same instant: the tie is broken by id, in both lookups.
        [{ author: p("ann2"), role: "annotator", at: 3 }, { author: r ?? p("rev2"), role: "reviewer", at: 3 }, { author: p("trainee"), role: "annotator", at: 3 }],
      ];
    };
    const base = Date.UTC(2026, 0, 1);
    for (const annotatorId of annotators) {
      for (const reviewerId of reviewers) {
        for (const stage of STAGES) {
          for (const history of histories(annotatorId, reviewerId)) {
            const [t] = await d
              .insert(tasks)
              .values({ projectId, videoId, aspect: "camera", specVersion: "1", stage, annotatorId, reviewerId })
              .returning({ id: tasks.id });
            taskIds.push(t!.id);
            if (history.length === 0) continue;
            await d.insert(taskVersions).values(
              history.map((v) => ({
                taskId: t!.id,
                authorId: v.author,
                authorRole: v.role,
                preCaption: "",
                critique: [],
                critiqueText: "",
                postCaption: "",
                createdAt: new Date(base + v.at * 1000),
              })),
            );
          }
        }
      }
    }
  }, 120_000);

  it("gives every person the same relation, facts and abilities on every task", async () => {
    const d = db().db;
    let visible = 0;
    for (const user of Object.values(people)) {
      const [fresh, stock] = await Promise.all([
        Promise.all(taskIds.map((id) => collabFacts(d, user, id))),
        Promise.all(taskIds.map((id) => taskAccess(d, user, id))),
      ]);
      const answers = await Promise.all(taskIds.map((id) => collabAccess(d, user, id)));
      taskIds.forEach((id, i) => {
        const want = stock[i]!;
        const what = `${user.displayName} on task ${i}`;
        if (!want) {
          expect(fresh[i], what).toBeNull();
          expect(answers[i], what).toBeNull();
          return;
        }
        visible++;
        expect(sortedFacts(fresh[i]!), what).toEqual(sortedFacts(want.facts));
        expect(answers[i], what).toEqual({ relation: want.relation, abilities: want.abilities, stage: want.facts.task.stage });
      });
    }
    // The matrix exercises both answers: most people see some tasks and not others.
    expect(visible).toBeGreaterThan(taskIds.length * 3);
    expect(visible).toBeLessThan(taskIds.length * Object.keys(people).length);
  }, 120_000);

  it("answers null for a task that does not exist or an id that is not one", async () => {
    const lead = people.lead!;
    const [missing, malformed, good] = await Promise.all([
      collabAccess(db().db, lead, randomUUID()),
      collabAccess(db().db, lead, "not-a-uuid"),
      collabAccess(db().db, lead, taskIds[0]!),
    ]);
    expect(missing).toBeNull();
    expect(malformed).toBeNull();
    expect(good?.relation).toBe("lead");
  });

  it("sees a change to the task on the very next lookup (nothing is cached)", async () => {
    const d = db().db;
    const ann = people.ann!;
    const [t] = await d.select({ id: tasks.id }).from(tasks).where(eq(tasks.annotatorId, ann.id)).limit(1);
    expect((await collabAccess(d, ann, t!.id))?.relation).toBe("annotator");
    await d.update(tasks).set({ annotatorId: people.ann2!.id }).where(eq(tasks.id, t!.id));
    expect(await collabAccess(d, ann, t!.id)).toBeNull();
    await d.update(tasks).set({ annotatorId: ann.id, stage: "labelling" }).where(eq(tasks.id, t!.id));
    expect(await collabAccess(d, ann, t!.id)).toMatchObject({ relation: "annotator", stage: "labelling" });
  });
});
