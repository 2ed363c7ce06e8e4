import { afterAll, beforeAll, expect, it } from "vitest";
import * as Y from "yjs";
import { eq } from "drizzle-orm";
import { CLOSE } from "../../shared/collab/closeCodes";
import { encodeAwarenessUpdate, taskRoom } from "../../shared/collab/protocol";
import type { Stage } from "../../shared/domain/stages";
import { putCatchSummary } from "../../shared/room/catches";
import { draftText, putCritiqueItem, setDraftText, writeRevision } from "../../shared/room/document";
import { ROOM_FIELD_NAMES, type RoomField } from "../../shared/room/layout";
import { putPolish } from "../../shared/room/polish";
import { validateRoomDoc } from "../../shared/room/validate";
import { docUpdates, tasks } from "../db/schema";
import { readRoom } from "../loop/roomContent";
import { roomWrites } from "../resources/tasks/policy";
import { startServer, type RunningServer } from "../server";
import { addNote, notesText, rawRoomClient, stockProvider, storedDoc, waitFor, type TrackedProvider } from "../testing/collabClients";
import { seedTask, seedUser, type SeededUser } from "../testing/collabFixtures";
import { describeEachDb } from "../testing/db";
import { testConfig } from "../testing/testConfig";
import { PgStorage } from "./pgStorage";

type Part = RoomField | "unknown";

const HELD_BYTES = 2_000;

/** One update writing `marker` into one part of the room, from a fresh client (no dependencies). */
function updateFor(part: Part, marker: string, writerId: string): Uint8Array {
  const doc = new Y.Doc();
  const at = "2026-01-01T00:00:00Z";
  switch (part) {
    case "draft":
      setDraftText(doc, marker);
      break;
    case "critique":
      putCritiqueItem(doc, { id: marker, errorType: "wrong_term", primitiveId: null, what: marker, fix: "", anchor: null, timeStart: null, timeEnd: null, createdBy: writerId, createdAt: at });
      break;
    case "post":
      doc.getText("post").insert(0, marker);
      break;
    case "revision":
      writeRevision(doc, { status: "failed", roundId: null, n: null, error: marker, startedBy: null, startedAt: null });
      break;
    case "catches":
      putCatchSummary(doc, { id: marker, kind: "false_flag", itemId: null, timeStart: null, timeEnd: null, note: marker, status: "open", reviewerName: "R", createdAt: at });
      break;
    case "polish":
      putPolish(doc, { original: marker, polished: marker, by: "x", at, promptHash: "h" });
      break;
    case "unknown":
      doc.getText("t").insert(0, marker);
      break;
  }
  return Y.encodeStateAsUpdate(doc);
}

/** Whether a document holds a marker anywhere (its encoded state carries every live string). */
const holds = (doc: Y.Doc, marker: string) => Buffer.from(Y.encodeStateAsUpdate(doc)).includes(marker);

describeEachDb("room authority: who may write what, and nothing can poison a room", (db) => {
  let server: RunningServer;
  let annotator: SeededUser;
  let reviewer: SeededUser;
  let lead: SeededUser;
  let other: SeededUser;
  const providers: TrackedProvider[] = [];
  const headers = (u: SeededUser) => ({ cookie: u.cookie, origin: server.url });
  const storage = () => new PgStorage(server.database.db);

  beforeAll(async () => {
    server = await startServer(testConfig({ port: 0, host: "127.0.0.1" }), { database: db(), collab: { unloadDelayMs: 50, limits: { maxHeldBytes: HELD_BYTES } } });
    annotator = await seedUser(db().db, "annotator");
    reviewer = await seedUser(db().db, "reviewer");
    lead = await seedUser(db().db, "lead");
    other = await seedUser(db().db, "lead");
  });

  afterAll(async () => {
    for (const p of providers) p.destroy();
    await server.close();
  });

  it("role × stage × document part: allowed writes are stored and fanned out, refused ones reach no one", async () => {
    const taskId = await seedTask(db().db, { annotatorId: annotator.id, reviewerId: reviewer.id, stage: "critiquing" });
    const room = taskRoom(taskId);
    const observer = stockProvider(server.url, room, headers(other));
    providers.push(observer);
    await waitFor(() => observer.provider.synced, "observer synced");
    const people = [
      { user: annotator, relation: "annotator" as const },
      { user: reviewer, relation: "reviewer" as const },
      { user: lead, relation: "lead" as const },
    ];
    const stages: Stage[] = ["critiquing", "submitted", "approved"];
    const parts: Part[] = [...ROOM_FIELD_NAMES, "unknown"];
    const outcomes: { marker: string; allowed: boolean; got: string }[] = [];
    for (const stage of stages) {
      await db().db.update(tasks).set({ stage }).where(eq(tasks.id, taskId));
      for (const { user, relation } of people) {
        const may = roomWrites(relation, stage);
        for (const part of parts) {
          const marker = `M${outcomes.length}x${part}x${relation}x${stage}`;
          const allowed = part !== "unknown" && may.includes(part);
          // A fresh connection per write: a refused writer is closed (its copy cannot follow the room any more).
          const client = await rawRoomClient(server.url, room, headers(user));
          const got = await client.sendUpdate(updateFor(part, marker, user.id));
          const expected = allowed ? "saved" : part === "unknown" ? "invalid_structure" : may.length === 0 ? "read_only" : "field_not_writable";
          expect(got, `${relation} writing ${part} at ${stage}`).toBe(expected);
          outcomes.push({ marker, allowed, got });
          client.close();
          await client.closed;
        }
      }
    }
    await server.collab.flush();
    const stored = await storedDoc(storage(), room);
    const allowedMarkers = outcomes.filter((o) => o.allowed).map((o) => o.marker);
    await waitFor(() => allowedMarkers.every((m) => holds(observer.doc, m)), "every allowed write at the observer");
    for (const o of outcomes) {
      expect(holds(stored, o.marker), `${o.marker} stored`).toBe(o.allowed);
      expect(holds(observer.doc, o.marker), `${o.marker} at the observer`).toBe(o.allowed);
    }
    expect(outcomes.filter((o) => o.allowed).length).toBeGreaterThan(5);
    expect(outcomes.filter((o) => !o.allowed).length).toBeGreaterThan(30);
  });

  it("refuses a critique item whose author is someone else, and an item that does not parse", async () => {
    const taskId = await seedTask(db().db, { annotatorId: annotator.id, stage: "critiquing" });
    const room = taskRoom(taskId);
    const a = await rawRoomClient(server.url, room, headers(annotator));
    expect(await a.sendUpdate(updateFor("critique", "forged", reviewer.id))).toBe("identity_mismatch");
    expect(await a.closed).toBe(CLOSE.UPDATE_REFUSED);
    const b = await rawRoomClient(server.url, room, headers(annotator));
    const bad = new Y.Doc();
    const item = new Y.Map<unknown>();
    bad.getMap("critique").set("broken", item);
    item.set("id", "broken");
    item.set("what", 42);
    expect(await b.sendUpdate(Y.encodeStateAsUpdate(bad))).toBe("invalid_structure");
    // A lead may edit an annotator's item: the author stays the annotator's.
    const c = await rawRoomClient(server.url, room, headers(annotator));
    const mine = new Y.Doc();
    addNote(mine, annotator.id, "mine");
    expect(await c.sendUpdate(Y.encodeStateAsUpdate(mine))).toBe("saved");
    const l = await rawRoomClient(server.url, room, headers(lead));
    const edit = new Y.Doc();
    Y.applyUpdate(edit, Y.encodeStateAsUpdate(mine));
    const sv = Y.encodeStateVector(edit);
    const [id] = [...edit.getMap("critique").keys()];
    (edit.getMap("critique").get(id!) as Y.Map<unknown>).set("fix", "by the lead");
    expect(await l.sendUpdate(Y.encodeStateAsUpdate(edit, sv))).toBe("saved");
    for (const x of [b, c, l]) x.close();
  });

  it("refuses the 20-byte poison; a stock client that sent it is brought back in line and closed for good", async () => {
    const taskId = await seedTask(db().db, { annotatorId: annotator.id, stage: "critiquing" });
    const room = taskRoom(taskId);
    await server.collab.withDoc(room, (doc) => setDraftText(doc, "The camera zooms in."));
    const poison = new Y.Doc();
    poison.getText("draft").insert(0, "POISON");
    // About 20 bytes (the client id's varint makes it 20–24).
    const bytes = Y.encodeStateAsUpdate(poison);
    const a = await rawRoomClient(server.url, room, headers(annotator));
    expect(await a.sendUpdate(bytes)).toBe("field_not_writable");
    const l = await rawRoomClient(server.url, room, headers(lead));
    expect(await l.sendUpdate(bytes)).toBe("invalid_structure");

    const stock = stockProvider(server.url, room, headers(lead), { acks: true });
    providers.push(stock);
    const codes: number[] = [];
    stock.provider.on("connection-close", (ev) => ev && codes.push(ev.code));
    await waitFor(() => stock.provider.synced, "synced");
    stock.doc.getXmlFragment("draft").insert(0, [new Y.XmlText("LOOSE")]);
    await waitFor(() => codes.includes(CLOSE.UPDATE_REFUSED), "closed as refused");
    expect(stock.refusals).toEqual(["invalid_structure"]);
    // Its copy shows what the room holds again, and it does not reconnect to resend the refused change.
    expect(draftText(stock.doc)).toBe("The camera zooms in.");
    expect(stock.provider.shouldConnect).toBe(false);

    await server.collab.flush();
    const snapshot = await readRoom(server.collab, taskId);
    expect(snapshot.draft).toBe("The camera zooms in.");
    expect(validateRoomDoc(await storedDoc(storage(), room))).toEqual([]);
  });

  it("repairs a room poisoned by an older version when it loads: the task's readers work again", async () => {
    const taskId = await seedTask(db().db, { annotatorId: annotator.id, stage: "critiquing" });
    const room = taskRoom(taskId);
    const old = new Y.Doc();
    setDraftText(old, "Kept line.");
    const good = Y.encodeStateAsUpdate(old);
    // What an older server stored: raw text written into the draft by a client that saw it untyped.
    const attacker = new Y.Doc();
    Y.applyUpdate(attacker, good);
    attacker.getText("draft").insert(0, "POISON");
    const poisoned = Y.encodeStateAsUpdate(attacker, Y.encodeStateVectorFromUpdate(good));
    await storage().append([{ room, update: good }, { room, update: poisoned }]);
    expect(validateRoomDoc(await storedDoc(storage(), room))).not.toEqual([]);
    const snapshot = await readRoom(server.collab, taskId);
    expect(snapshot.draft).toBe("Kept line.");
    await server.collab.flush();
    // The repair is a stored server write: the log reads sound from now on.
    expect(validateRoomDoc(await storedDoc(storage(), room))).toEqual([]);
  });

  it("an update with missing dependencies is held, never SAVED until stored with what it builds on; past a bound refused", async () => {
    const taskId = await seedTask(db().db, { annotatorId: annotator.id, stage: "critiquing" });
    const room = taskRoom(taskId);
    const rows = async () => (await db().db.select({ id: docUpdates.id }).from(docUpdates).where(eq(docUpdates.room, room))).length;
    const twoSteps = (what: string) => {
      const doc = new Y.Doc();
      const updates: Uint8Array[] = [];
      doc.on("update", (u: Uint8Array) => updates.push(u));
      const id = addNote(doc, annotator.id, "first");
      (doc.getMap("critique").get(id) as Y.Map<unknown>).set("what", what);
      return updates as [Uint8Array, Uint8Array];
    };
    const [first, second] = twoSteps("second");
    const a = await rawRoomClient(server.url, room, headers(annotator));
    const heldReply = a.sendUpdate(second);
    await new Promise((r) => setTimeout(r, 200));
    await server.collab.flush();
    expect(a.frames.some((f) => f.type === "saved" && f.upTo >= 1)).toBe(false);
    expect(await rows()).toBe(0);
    // What it builds on arrives: both are stored together, then both are SAVED.
    expect(await a.sendUpdate(first)).toBe("saved");
    expect(await heldReply).toBe("saved");
    expect(notesText(await storedDoc(storage(), room))).toBe("second");

    // Held bytes are bounded (this server holds at most HELD_BYTES per connection): past it, refused.
    const [, big] = twoSteps("y".repeat(HELD_BYTES));
    const b = await rawRoomClient(server.url, room, headers(annotator));
    const before = await rows();
    expect(await b.sendUpdate(big)).toBe("missing_dependencies");
    await server.collab.flush();
    expect(await rows()).toBe(before);
    a.close();
  });

  it("presence: a client id stays its first owner's for the room's lifetime; caps per message and connection", async () => {
    const taskId = await seedTask(db().db, { annotatorId: annotator.id, stage: "critiquing" });
    const room = taskRoom(taskId);
    const observer = stockProvider(server.url, room, headers(other));
    providers.push(observer);
    await waitFor(() => observer.provider.synced, "synced");
    const presence = (id: number, clock: number, state: unknown) => encodeAwarenessUpdate([{ clientId: id, clock, state: JSON.stringify(state) }]);
    const userAt = (id: number) => (observer.provider.awareness.getStates().get(id)?.user as { id?: string } | undefined)?.id;

    const victim = await rawRoomClient(server.url, room, headers(annotator));
    victim.sendAwareness(presence(4242, 1, { playhead: { time: 1, playing: false } }));
    await waitFor(() => userAt(4242) === annotator.id, "victim present");
    victim.close();
    await victim.closed;
    await waitFor(() => userAt(4242) === undefined, "victim gone");
    const squatter = await rawRoomClient(server.url, room, headers(lead));
    squatter.sendAwareness(presence(4242, 5, { playhead: { time: 2, playing: true } }));
    squatter.sendAwareness(presence(777, 1, {}));
    await waitFor(() => userAt(777) === lead.id, "squatter's own id passes");
    expect(userAt(4242)).toBeUndefined();
    const back = await rawRoomClient(server.url, room, headers(annotator));
    back.sendAwareness(presence(4242, 9, { playhead: { time: 3, playing: false } }));
    await waitFor(() => userAt(4242) === annotator.id, "the owner reclaims their id");

    const flood = await rawRoomClient(server.url, room, headers(lead));
    const before = observer.provider.awareness.getStates().size;
    flood.sendAwareness(encodeAwarenessUpdate(Array.from({ length: 500 }, (_, i) => ({ clientId: 10_000 + i, clock: 1, state: "{}" }))));
    for (let m = 0; m < 5; m++) flood.sendAwareness(encodeAwarenessUpdate([{ clientId: 20_000 + m, clock: 1, state: "{}" }]));
    await waitFor(() => observer.provider.awareness.getStates().size >= before + 4, "capped claims arrive");
    await new Promise((r) => setTimeout(r, 200));
    expect(observer.provider.awareness.getStates().size).toBe(before + 4);
    for (const x of [squatter, back, flood]) x.close();
  });
});
