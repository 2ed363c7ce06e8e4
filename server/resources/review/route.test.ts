import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createApp, createServices } from "../../app";
import type { AppDeps, SessionUser } from "../../context";
import { PgStorage } from "../../collab/pgStorage";
import { RoomRegistry } from "../../collab/rooms";
import { catches, disputes, reviewDecisions, rewardLedger, rewardRules, taskVersions, tasks } from "../../db/schema/index";
import { person, seedProject, seedTask, type Person } from "../../testing/seed";
import { disputeCatch } from "../../review/disputes";
import { toHttpError } from "../../http/errors";
import { pointsFor, seedRewardRules, utcDay } from "../../review/rules";
import { describeEachDb } from "../../testing/db";
import { testConfig } from "../../testing/testConfig";
import { taskRoom } from "../../../shared/collab/protocol";
import type { CritiqueItem } from "../../../shared/critique/items";
import { catchSummariesFromDoc } from "../../../shared/room/catches";
import { setDraftText, setPostText } from "../../../shared/room/document";
import {
  REWARD_RULE_KEYS,
  type CatchView,
  type DecisionResponse,
  type LeaderboardResponse,
  type PersonFiguresResponse,
  type RewardRuleListResponse,
  type StartReviewResponse,
} from "../../../shared/api/review";

/**
 * Review end to end through the API on both databases: taking a task, catches (idempotent), disputes and verdicts,
 * decisions, the ledger they write, and the figures and payouts read from it — every number worked out by hand.
 */
describeEachDb("review, catches and rewards API", (db) => {
  let deps: AppDeps;
  let rooms: RoomRegistry;
  let app: ReturnType<typeof createApp>;
  let ids: { projectId: string; videoId: string };
  const p: Record<"ann" | "ann2" | "rev" | "rev2" | "lead" | "lead2" | "admin", Person> = {} as never;
  const t: Record<"A" | "B" | "C" | "D" | "own", string> = {} as never;
  const c: Record<string, string> = {};

  const api = (method: string, url: string, who: Person, body?: unknown) =>
    app.request(url, {
      method,
      headers: { cookie: who.cookie, ...(body !== undefined ? { "content-type": "application/json" } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  const session = (x: Person): SessionUser => ({ id: x.id, email: `${x.id}@test`, displayName: x.name, role: x.role });
  const ledgerOf = (catchId: string) =>
    db().db.select().from(rewardLedger).where(eq(rewardLedger.catchId, catchId)).orderBy(asc(rewardLedger.id));
  // A whole item: the column is typed and every reader parses stored items (shared/critique/stored.ts).
  const item = (id: string): CritiqueItem => ({
    id,
    errorType: "wrong_term",
    primitiveId: null,
    what: "x",
    fix: "Replace x with y.",
    anchor: null,
    timeStart: 1,
    timeEnd: 2,
    createdBy: "annotator",
    createdAt: "2026-01-01T00:00:00.000Z",
  });

  /** A submitted task with a frozen version of `items` critique items, as the loop leaves it at submit. */
  async function submitted(annotatorId: string, itemIds: string[]): Promise<string> {
    const id = await seedTask(db().db, { ...ids, aspect: "camera", annotatorId, specVersion: "1.0.0", stage: "submitted" });
    await db().db.insert(taskVersions).values({
      taskId: id,
      authorId: annotatorId,
      authorRole: "annotator",
      preCaption: "A wide shot.",
      score: 3,
      critique: itemIds.map(item),
      critiqueText: "",
      postCaption: "A close-up.",
    });
    return id;
  }

  async function recordCatch(who: Person, taskId: string, body: Record<string, unknown>): Promise<CatchView> {
    const res = await api("POST", `/api/tasks/${taskId}/catches`, who, { note: "Wrong.", ...body });
    expect(res.status).toBe(201);
    return (await res.json()) as CatchView;
  }

  beforeAll(async () => {
    const d = db().db;
    await seedRewardRules(d);
    rooms = new RoomRegistry({ storage: new PgStorage(d), unloadDelayMs: 50 });
    deps = createServices({ config: testConfig(), database: db(), rooms });
    app = createApp(deps);
    ids = await seedProject(d, { disputeWindowHours: 48 });
    p.ann = await person(d, "annotator", "Ann");
    p.ann2 = await person(d, "annotator", "Ann Two");
    p.rev = await person(d, "reviewer", "Rev");
    p.rev2 = await person(d, "reviewer", "Rev Two");
    p.lead = await person(d, "lead", "Lead");
    p.lead2 = await person(d, "lead", "Lead Two");
    p.admin = await person(d, "admin", "Admin");
    t.A = await submitted(p.ann.id, ["i1", "i2", "i3"]);
    t.B = await submitted(p.ann.id, ["j1", "j2"]);
    t.C = await submitted(p.ann2.id, ["k1"]);
    t.own = await submitted(p.rev.id, ["o1"]);
  });

  afterAll(async () => {
    await rooms.close();
  });

  it("lets a reviewer take submitted work, never their own", async () => {
    expect((await api("POST", `/api/tasks/${t.A}/review/start`, p.ann)).status).toBe(403);
    expect((await api("POST", `/api/tasks/${t.own}/review/start`, p.rev)).status).toBe(403);
    const res = await api("POST", `/api/tasks/${t.A}/review/start`, p.rev);
    expect(res.status).toBe(200);
    expect((await res.json()) as StartReviewResponse).toEqual({ taskId: t.A, stage: "in_review", reviewerId: p.rev.id });
    // Someone else's review is not up for grabs.
    expect((await api("POST", `/api/tasks/${t.A}/review/start`, p.rev2)).status).toBe(403);
    expect((await api("POST", `/api/tasks/${t.B}/review/start`, p.rev)).status).toBe(200);
    expect((await api("POST", `/api/tasks/${t.C}/review/start`, p.lead2)).status).toBe(200);
  });

  it("records catches only by the task's reviewer, and validates them", async () => {
    const ff = { requestKey: "perm-key-1", kind: "false_flag", itemId: "i1" };
    expect((await api("POST", `/api/tasks/${t.A}/catches`, p.rev2, { ...ff, note: "n" })).status).toBe(403);
    expect((await api("POST", `/api/tasks/${t.A}/catches`, p.ann, { ...ff, note: "n" })).status).toBe(403);
    expect((await api("POST", `/api/tasks/${t.A}/catches`, p.lead, { ...ff, note: "n" })).status).toBe(403);
    expect((await api("POST", `/api/tasks/${t.own}/catches`, p.rev, { ...ff, note: "n" })).status).toBe(403);
    expect((await api("POST", `/api/tasks/${t.A}/catches`, p.rev, { ...ff, itemId: "nope", note: "n" })).status).toBe(400);
    expect((await api("POST", `/api/tasks/${t.A}/catches`, p.rev, { ...ff, note: "" })).status).toBe(400);
    expect((await api("POST", `/api/tasks/${t.A}/catches`, p.rev, { requestKey: "perm-key-2", kind: "missed_error", note: "n" })).status).toBe(400);
    expect(await db().db.select().from(catches)).toEqual([]);
    expect(await db().db.select().from(rewardLedger)).toEqual([]);
  });

  it("records the same catch submitted twice at once once, and pays it once", async () => {
    const body = { requestKey: "twin-key-0001", kind: "false_flag", itemId: "i1", note: "i1 flags a correct term." };
    const [r1, r2] = await Promise.all([api("POST", `/api/tasks/${t.A}/catches`, p.rev, body), api("POST", `/api/tasks/${t.A}/catches`, p.rev, body)]);
    expect([r1.status, r2.status].sort()).toEqual([200, 201]);
    const [v1, v2] = [(await r1.json()) as CatchView, (await r2.json()) as CatchView];
    expect(v1.id).toBe(v2.id);
    c.c1 = v1.id;
    expect(await db().db.select().from(catches).where(eq(catches.requestKey, body.requestKey))).toHaveLength(1);
    const rows = await ledgerOf(v1.id);
    expect(rows.map((r) => [r.userId, r.rule, r.points])).toEqual(
      expect.arrayContaining([
        [p.rev.id, "catch.false_flag", 3],
        [p.ann.id, "deduction.false_flag", -2],
      ]),
    );
    expect(rows).toHaveLength(2);
    // A later retry answers with the same catch; the key cannot be reused for something else.
    const again = await api("POST", `/api/tasks/${t.A}/catches`, p.rev, body);
    expect(again.status).toBe(200);
    expect(((await again.json()) as CatchView).id).toBe(v1.id);
    expect((await api("POST", `/api/tasks/${t.A}/catches`, p.rev, { ...body, kind: "residual_error" })).status).toBe(409);
    expect(await ledgerOf(v1.id)).toHaveLength(2);
    // It shows in the room for everyone connected.
    const live = await rooms.withDoc(taskRoom(t.A), (doc) => catchSummariesFromDoc(doc));
    expect(live.map((s) => [s.id, s.kind, s.itemId])).toEqual([[v1.id, "false_flag", "i1"]]);
  });

  it("catch → dispute → overturn writes reversal entries and moves the figures", async () => {
    const missed = await recordCatch(p.rev, t.A, { requestKey: "missed-key-01", kind: "missed_error", timeStart: 1, timeEnd: 2.5 });
    c.c2 = missed.id;
    expect(missed).toMatchObject({ kind: "missed_error", status: "open", timeStart: 1, timeEnd: 2.5, disputes: [] });
    expect(Date.parse(missed.disputeUntil) - Date.parse(missed.createdAt)).toBe(48 * 3_600_000);
    // Each view says what its caller may do with the catch: the reviewer neither disputes nor rules, the worker disputes.
    expect(missed).toMatchObject({ mayDispute: false, mayResolve: false });
    const asAnnotator = (await (await api("GET", `/api/tasks/${t.A}/catches`, p.ann)).json()) as CatchView[];
    expect(asAnnotator.find((x) => x.id === missed.id)).toMatchObject({ mayDispute: true, mayResolve: false });

    expect((await api("POST", `/api/catches/${missed.id}/dispute`, p.rev, { reason: "mine" })).status).toBe(403);
    const disputed = await api("POST", `/api/catches/${missed.id}/dispute`, p.ann, { reason: "The draft says it at 00:02." });
    expect(disputed.status).toBe(200);
    expect(((await disputed.json()) as CatchView).status).toBe("disputed");
    const asLead = (await (await api("GET", `/api/tasks/${t.A}/catches`, p.lead)).json()) as CatchView[];
    expect(asLead.find((x) => x.id === missed.id)).toMatchObject({ mayDispute: false, mayResolve: true });
    expect((await api("POST", `/api/catches/${missed.id}/dispute`, p.ann, { reason: "again" })).status).toBe(409);

    expect((await api("POST", `/api/catches/${missed.id}/resolve`, p.rev2, { resolution: "overturned", note: "n" })).status).toBe(403);
    expect((await api("POST", `/api/catches/${missed.id}/resolve`, p.lead, { resolution: "overturned" })).status).toBe(400);
    const res = await api("POST", `/api/catches/${missed.id}/resolve`, p.lead, { resolution: "overturned", note: "The draft covers it." });
    expect(res.status).toBe(200);
    const view = (await res.json()) as CatchView;
    expect(view.status).toBe("overturned");
    expect(view.disputes).toEqual([
      expect.objectContaining({
        raisedBy: { id: p.ann.id, name: "Ann" },
        reason: "The draft says it at 00:02.",
        resolvedBy: { id: p.lead.id, name: "Lead" },
        resolution: "overturned",
        resolutionNote: "The draft covers it.",
      }),
    ]);
    expect((await api("POST", `/api/catches/${missed.id}/resolve`, p.lead, { resolution: "upheld", note: "n" })).status).toBe(409);

    // The payments stay; each has a new, opposite reversal entry pointing at it.
    const rows = await ledgerOf(missed.id);
    const originals = rows.filter((r) => r.reversalOf === null);
    const reversals = rows.filter((r) => r.reversalOf !== null);
    expect(originals.map((r) => [r.userId, r.rule, r.points]).sort()).toEqual(
      [
        [p.ann.id, "deduction.missed_error", -3],
        [p.rev.id, "catch.missed_error", 5],
      ].sort(),
    );
    expect(reversals).toHaveLength(2);
    for (const r of reversals) {
      const o = originals.find((x) => x.id === r.reversalOf);
      expect(o).toBeDefined();
      expect(r).toMatchObject({ userId: o?.userId, rule: o?.rule, points: -(o?.points ?? 0) });
    }

    const fig = await api("GET", `/api/figures/people/${p.rev.id}`, p.lead);
    expect(fig.status).toBe(200);
    const rev = (await fig.json()) as PersonFiguresResponse;
    // c1 stands, c2 overturned; 3 + 5 − 5 points.
    expect(rev.reviewer).toEqual({ catches: 2, upheld: 1, overturned: 1, pending: 0, upheldRate: 0.5, overturnRate: 0.5 });
    expect(rev.points).toBe(3);
  });

  it("an upheld dispute keeps the payment and writes nothing new", async () => {
    const nc = await recordCatch(p.rev, t.A, { requestKey: "nc-key-00001", kind: "non_constructive", itemId: "i2" });
    c.c3 = nc.id;
    expect((await api("POST", `/api/catches/${nc.id}/dispute`, p.ann, { reason: "It says how." })).status).toBe(200);
    const res = await api("POST", `/api/catches/${nc.id}/resolve`, p.lead, { resolution: "upheld", note: "No concrete fix." });
    expect(((await res.json()) as CatchView).status).toBe("upheld");
    expect((await ledgerOf(nc.id)).map((r) => [r.rule, r.points]).sort()).toEqual([
      ["catch.non_constructive", 2],
      ["deduction.non_constructive", -1],
    ]);
  });

  it("a lead who is a party to a catch cannot adjudicate it; disputes close with the window", async () => {
    const own = await recordCatch(p.lead2, t.C, { requestKey: "lead2-key-001", kind: "false_flag", itemId: "k1" });
    c.c4 = own.id;
    expect((await api("POST", `/api/catches/${own.id}/dispute`, p.ann2, { reason: "k1 is right." })).status).toBe(200);
    expect((await api("POST", `/api/catches/${own.id}/resolve`, p.lead2, { resolution: "upheld", note: "n" })).status).toBe(403);
    // The lead's adjudication list shows it (and only disputed catches); reviewers do not get the list.
    const pending = await api("GET", "/api/catches?status=disputed", p.lead);
    const pendingList = (await pending.json()) as CatchView[];
    expect(pendingList.map((x) => [x.id, x.status, x.disputes[0]?.reason])).toEqual([[own.id, "disputed", "k1 is right."]]);
    expect(pendingList[0]?.mayResolve).toBe(true);
    const asParty = (await (await api("GET", "/api/catches?status=disputed", p.lead2)).json()) as CatchView[];
    expect(asParty.map((x) => [x.id, x.mayResolve])).toEqual([[own.id, false]]);
    expect((await api("GET", "/api/catches", p.rev)).status).toBe(403);
    expect((await api("GET", "/api/catches?status=open", p.lead)).status).toBe(400);
    expect((await api("POST", `/api/catches/${own.id}/resolve`, p.lead, { resolution: "overturned", note: "k1 was right." })).status).toBe(200);

    const late = await recordCatch(p.rev, t.B, { requestKey: "late-key-0001", kind: "residual_error", quote: "close-up" });
    c.c5 = late.id;
    const after = new Date(Date.parse(late.createdAt) + 49 * 3_600_000);
    // As the client sees it: the domain error mapped to its HTTP status.
    const refused = disputeCatch(deps.loop.deps, session(p.ann), late.id, "too late", after).catch((e: unknown) => Promise.reject(toHttpError(e) ?? e));
    await expect(refused).rejects.toMatchObject({ status: 409 });
    expect((await db().db.select().from(catches).where(eq(catches.id, late.id)))[0]?.status).toBe("open");
  });

  it("records decisions: who, when, note; approval pays the worker, rejection keeps a negative", async () => {
    expect((await api("POST", `/api/tasks/${t.A}/decision`, p.ann, { decision: "approve" })).status).toBe(403);
    expect((await api("POST", `/api/tasks/${t.A}/decision`, p.rev2, { decision: "approve" })).status).toBe(403);
    expect((await api("POST", `/api/tasks/${t.A}/decision`, p.rev, { decision: "maybe" })).status).toBe(400);
    const res = await api("POST", `/api/tasks/${t.A}/decision`, p.rev, { decision: "approve", note: "Good critique." });
    expect(res.status).toBe(201);
    const body = (await res.json()) as DecisionResponse;
    expect(body.stage).toBe("approved");
    expect(body.decision).toMatchObject({ taskId: t.A, reviewer: { id: p.rev.id, name: "Rev" }, decision: "approve", note: "Good critique." });
    expect((await api("POST", `/api/tasks/${t.A}/decision`, p.rev, { decision: "approve" })).status).toBe(409);
    const paid = await db().db.select().from(rewardLedger).where(eq(rewardLedger.taskId, t.A));
    expect(paid.filter((r) => r.rule === "task.approved").map((r) => [r.userId, r.points, r.eventKey])).toEqual([[p.ann.id, 10, `task:${t.A}:approved`]]);

    expect((await api("POST", `/api/tasks/${t.B}/decision`, p.rev, { decision: "reject_and_redo", note: "Redo." })).status).toBe(201);
    const [task] = await db().db.select().from(tasks).where(eq(tasks.id, t.B));
    expect(task?.stage).toBe("rejected");
    expect((await db().db.select().from(taskVersions).where(eq(taskVersions.taskId, t.B)))[0]?.negative).toBe("rejected");
    expect(await db().db.select().from(rewardLedger).where(and(eq(rewardLedger.taskId, t.B), eq(rewardLedger.rule, "task.approved")))).toEqual([]);

    const list = await api("GET", `/api/tasks/${t.A}/decisions`, p.ann);
    expect(((await list.json()) as unknown[]).length).toBe(1);
  });

  it("computes a person's figures with the hand-worked answers", async () => {
    const res = await api("GET", `/api/figures/people/${p.ann.id}`, p.ann);
    expect(res.status).toBe(200);
    const ann = (await res.json()) as PersonFiguresResponse;
    // Reviewed: A (approved, 3 items), B (rejected, 2 items). Against Ann: c1 false flag (stands), c2 missed error
    // (overturned), c3 non-constructive (upheld), c5 residual error (open).
    expect(ann.annotator).toEqual({
      reviewed: 2,
      rejected: 1,
      accuracy: 0.5,
      items: 5,
      upheldFalseFlags: 1,
      upheldMissedErrors: 0,
      upheldNonConstructive: 1,
      precision: 0.8,
      recall: 1,
      constructiveShare: 0.8,
    });
    // −2 (c1) −3 +3 (c2 and its reversal) −1 (c3) −2 (c5) +10 (A approved).
    expect(ann.points).toBe(5);
    const rev = (await (await api("GET", `/api/figures/people/${p.rev.id}`, p.lead)).json()) as PersonFiguresResponse;
    expect(rev.reviewer).toEqual({ catches: 4, upheld: 3, overturned: 1, pending: 0, upheldRate: 0.75, overturnRate: 0.25 });
    expect(rev.points).toBe(9); // 3 + 5 − 5 + 2 + 4
    // Other people's figures are for leads.
    expect((await api("GET", `/api/figures/people/${p.rev.id}`, p.ann)).status).toBe(403);
  });

  it("ranks people by week and by month", async () => {
    for (const period of ["week", "month"] as const) {
      const res = await api("GET", `/api/figures/leaderboard?period=${period}&at=${utcDay(new Date())}`, p.lead);
      expect(res.status).toBe(200);
      const board = (await res.json()) as LeaderboardResponse;
      expect(board.rows.map((r) => [r.rank, r.person.name, r.points, r.tasks, r.catches])).toEqual([
        [1, "Rev", 9, 2, 4],
        [2, "Ann", 5, 2, 0],
        [3, "Ann Two", 0, 0, 0],
        [3, "Lead Two", 0, 0, 1],
      ]);
    }
    const old = (await (await api("GET", "/api/figures/leaderboard?period=week&at=2020-01-08", p.lead)).json()) as LeaderboardResponse;
    expect(old).toMatchObject({ label: "2020-W02", from: "2020-01-06", to: "2020-01-13", rows: [] });
    expect((await api("GET", "/api/figures/leaderboard", p.rev)).status).toBe(403);
    expect((await api("GET", "/api/figures/leaderboard?period=year", p.lead)).status).toBe(400);
  });

  it("writes the payout CSV of a period at a rate", async () => {
    const from = utcDay(new Date());
    const to = utcDay(new Date(Date.now() + 86_400_000));
    const res = await api("GET", `/api/payouts.csv?from=${from}&to=${to}&rate=0.5`, p.lead);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/csv");
    expect(await res.text()).toBe(
      [
        "person_id,name,role,tasks,points,rate,amount",
        `${p.ann.id},Ann,annotator,2,5,0.5,2.50`,
        `${p.ann2.id},Ann Two,annotator,1,0,0.5,0.00`,
        `${p.lead2.id},Lead Two,lead,1,0,0.5,0.00`,
        `${p.rev.id},Rev,reviewer,2,9,0.5,4.50`,
        "",
      ].join("\r\n"),
    );
    expect((await api("GET", `/api/payouts.csv?from=${from}&to=${to}`, p.lead)).status).toBe(400);
    expect((await api("GET", `/api/payouts.csv?from=${from}&to=${to}&rate=1`, p.ann)).status).toBe(403);
  });

  it("fix and approve freezes the reviewer's fix as the final version and pays the fixed rule", async () => {
    t.D = await submitted(p.ann2.id, ["d1"]);
    await rooms.withDoc(taskRoom(t.D), (doc) => {
      setDraftText(doc, "A wide shot of a street.");
      setPostText(doc, "A medium shot of a street.");
    });
    expect((await api("POST", `/api/tasks/${t.D}/review/start`, p.rev)).status).toBe(200);
    const res = await api("POST", `/api/tasks/${t.D}/decision`, p.rev, { decision: "fix_and_approve", note: "Fixed the shot size." });
    expect(res.status).toBe(201);
    expect(((await res.json()) as DecisionResponse).stage).toBe("approved");
    const versions = await db().db.select().from(taskVersions).where(eq(taskVersions.taskId, t.D)).orderBy(asc(taskVersions.createdAt));
    expect(versions.map((v) => [v.authorRole, v.authorId, v.negative, v.postCaption])).toEqual([
      ["annotator", p.ann2.id, "no", "A close-up."],
      ["reviewer", p.rev.id, "no", "A medium shot of a street."],
    ]);
    const paid = await db().db.select().from(rewardLedger).where(eq(rewardLedger.taskId, t.D));
    expect(paid.map((r) => [r.userId, r.rule, r.points])).toEqual([[p.ann2.id, "task.fixed_and_approved", 6]]);
    // The decision was about the annotator's work: their figures count it, with their version's one item.
    const fig = (await (await api("GET", `/api/figures/people/${p.ann2.id}`, p.lead)).json()) as PersonFiguresResponse;
    expect(fig.annotator).toMatchObject({ reviewed: 1, rejected: 0, accuracy: 1, items: 1 });
    expect((await (await api("GET", `/api/figures/people/${p.rev.id}`, p.lead)).json()) as PersonFiguresResponse).toMatchObject({ annotator: { reviewed: 0 } });
  });

  it("keeps reward rules as data: admins add versions, history is closed not edited", async () => {
    const list = await api("GET", "/api/reward-rules", p.lead);
    expect(((await list.json()) as RewardRuleListResponse).length).toBe(REWARD_RULE_KEYS.length);
    const tomorrow = utcDay(new Date(Date.now() + 86_400_000));
    const change = { rule: "catch.missed_error", points: 7, effectiveFrom: tomorrow };
    expect((await api("POST", "/api/reward-rules", p.lead, change)).status).toBe(403);
    expect((await api("POST", "/api/reward-rules", p.admin, { ...change, effectiveFrom: "2021-01-01" })).status).toBe(409);
    expect((await api("POST", "/api/reward-rules", p.admin, { ...change, rule: "bonus.anything" })).status).toBe(400);
    expect((await api("POST", "/api/reward-rules", p.admin, change)).status).toBe(201);
    expect((await api("POST", "/api/reward-rules", p.admin, change)).status).toBe(409);
    const versions = await db().db.select().from(rewardRules).where(eq(rewardRules.rule, "catch.missed_error")).orderBy(asc(rewardRules.effectiveFrom));
    expect(versions.map((v) => [v.points, v.effectiveFrom, v.effectiveTo])).toEqual([
      [5, "2020-01-01", tomorrow],
      [7, tomorrow, null],
    ]);
    expect(await pointsFor(db().db, "catch.missed_error", utcDay(new Date()))).toBe(5);
    expect(await pointsFor(db().db, "catch.missed_error", tomorrow)).toBe(7);
  });

  it("has no client endpoint that writes the ledger, and every ledger row comes from a server event", async () => {
    // No route names the ledger, and posting to one is simply not found.
    expect(app.routes.filter((r) => /ledger|award|points/i.test(r.path))).toEqual([]);
    expect((await api("POST", "/api/reward-ledger", p.admin, { userId: p.admin.id, points: 100 })).status).toBe(404);
    // Only the ledger module inserts into the ledger, and no route module touches it.
    const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
    const sources = listTs(serverDir).filter((f) => !f.endsWith(".test.ts") && !f.includes(`${path.sep}test${path.sep}`));
    const writers = sources.filter((f) => /insert\(\s*rewardLedger\s*\)|update\(\s*rewardLedger\s*\)|delete\(\s*rewardLedger\s*\)/.test(fs.readFileSync(f, "utf8")));
    expect(writers.map((f) => path.relative(serverDir, f))).toEqual([path.join("review", "ledger.ts")]);
    const routeFiles = sources.filter((f) => f.includes(`${path.sep}resources${path.sep}`));
    for (const f of routeFiles) expect(fs.readFileSync(f, "utf8")).not.toMatch(/rewardLedger|reward_ledger|review\/ledger/);

    const rows = await db().db.select().from(rewardLedger);
    const allCatches = await db().db.select().from(catches);
    const decisions = await db().db.select().from(reviewDecisions);
    const allTasks = await db().db.select().from(tasks);
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      expect(REWARD_RULE_KEYS).toContain(r.rule);
      if (r.reversalOf !== null) {
        const o = rows.find((x) => x.id === r.reversalOf);
        expect(o?.points).toBe(-r.points);
        expect(allCatches.find((x) => x.id === r.catchId)?.status).toBe("overturned");
      } else if (r.catchId) {
        const k = allCatches.find((x) => x.id === r.catchId);
        expect(r.eventKey).toBe(`catch:${r.catchId}`);
        // Nobody is paid for a catch on their own work, and the reviewer is never charged the deduction.
        const task = allTasks.find((x) => x.id === k?.taskId);
        if (r.rule.startsWith("catch.")) expect([k?.reviewerId, task?.annotatorId]).toEqual([r.userId, expect.not.stringMatching(r.userId)]);
        else expect(r.userId).toBe(task?.annotatorId);
      } else {
        expect(decisions.some((d) => d.taskId === r.taskId && d.decision !== "reject_and_redo")).toBe(true);
        expect(allTasks.find((x) => x.id === r.taskId)?.annotatorId).toBe(r.userId);
        expect(decisions.find((d) => d.taskId === r.taskId)?.reviewerId).not.toBe(r.userId);
      }
    }
    // Disputes keep the full history.
    expect((await db().db.select().from(disputes)).every((d) => d.reason.length > 0 && d.resolvedAt !== null)).toBe(true);
  });
});

function listTs(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === "node_modules" ? [] : listTs(full);
    return e.name.endsWith(".ts") ? [full] : [];
  });
}
