import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import type { WebSocket } from "ws";
import { encodeAwarenessUpdate, encodeFrame, taskRoom, type Frame } from "../../shared/collab/protocol";
import { draftText, setDraftText } from "../../shared/room/document";
import { validateRoomDoc } from "../../shared/room/validate";
import { startServer, type RunningServer } from "../server";
import { addNote, notesText, rawConnect, stockProvider, storedDoc, waitFor } from "../testing/collabClients";
import { seedTask, seedUser, type SeededUser } from "../testing/collabFixtures";
import { createTestDatabase } from "../testing/db";
import { testConfig } from "../testing/testConfig";
import { PgStorage } from "./pgStorage";

/** A small seeded generator, so a failing run can be replayed with its seed. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]! };
}

const FRAMES = 1500;
const TIME_BOX_MS = 3_000;

describe("fuzz: sync, awareness and our own frames against a live room (bounded)", () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let server: RunningServer;
  let annotator: SeededUser;
  let lead: SeededUser;
  let taskId: string;

  beforeAll(async () => {
    database = await createTestDatabase("pglite");
    server = await startServer(testConfig({ port: 0, host: "127.0.0.1" }), { database, collab: { limits: { messagesPerSecond: 10_000, messageBurst: 10_000 } } });
    annotator = await seedUser(database.db, "annotator");
    lead = await seedUser(database.db, "lead");
    taskId = await seedTask(database.db, { annotatorId: annotator.id, stage: "critiquing" });
    await server.collab.withDoc(taskRoom(taskId), (doc) => setDraftText(doc, "The camera zooms in."));
  });

  afterAll(async () => {
    await server.close();
    await database.dispose();
  });

  it(`${FRAMES} frames or ${TIME_BOX_MS / 1000} s of mutated traffic: the room stays sound and keeps working`, async () => {
    const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);
    const r = rng(seed);
    const room = taskRoom(taskId);
    const url = `${server.url.replace(/^http/, "ws")}/collab/${room}?ack=1`;
    // Valid material to mutate: real updates of every kind a client sends, and presence.
    const base = new Y.Doc();
    Y.applyUpdate(base, await server.collab.encodeState(room));
    const samples: Uint8Array[] = [];
    base.on("update", (u: Uint8Array) => samples.push(u));
    addNote(base, annotator.id, "fuzz base");
    const poison = new Y.Doc();
    poison.on("update", (u: Uint8Array) => samples.push(u));
    poison.getText("draft").insert(0, "POISON");
    base.getMap("revision").set("status", "running");
    base.getXmlFragment("draft").insert(0, [new Y.XmlElement("paragraph")]);
    const mutate = (bytes: Uint8Array): Uint8Array => {
      const out = Uint8Array.from(bytes);
      const kind = r.int(4);
      if (kind === 0 && out.length > 0) out[r.int(out.length)] = r.int(256);
      if (kind === 1) return out.slice(0, r.int(out.length + 1));
      if (kind === 2) return Uint8Array.from([...out, ...Array.from({ length: r.int(8) }, () => r.int(256))]);
      return out;
    };
    const frame = (): Uint8Array => {
      const f: Frame[] = [
        { type: "syncUpdate", update: mutate(r.pick(samples)) },
        { type: "syncStep2", update: mutate(r.pick(samples)) },
        { type: "syncStep1", stateVector: mutate(Y.encodeStateVector(base)) },
        { type: "awareness", update: encodeAwarenessUpdate(Array.from({ length: r.int(6) }, () => ({ clientId: r.int(50), clock: r.int(100), state: r.pick(["null", "{}", '{"user":{"id":"x"}}', '{"cursor":{"anchor":1}}', "[1]", '{"playhead":{"time":1,"playing":true}}', "x".repeat(r.int(6000))]) }))) },
        { type: "queryAwareness" },
        { type: "saved", upTo: r.int(10) },
        { type: "refused", messageNumber: r.int(10), reason: "read_only" },
        { type: "auth" },
      ];
      const bytes = encodeFrame(r.pick(f));
      return r.int(5) === 0 ? mutate(bytes) : bytes;
    };

    let sockets: WebSocket[] = [];
    const open = async (user: SeededUser) => {
      const c = await rawConnect(url, { cookie: user.cookie, origin: server.url });
      if ("ws" in c) sockets.push(c.ws);
    };
    const deadline = Date.now() + TIME_BOX_MS;
    let sent = 0;
    while (sent < FRAMES && Date.now() < deadline) {
      sockets = sockets.filter((s) => s.readyState === s.OPEN);
      while (sockets.length < 4) await open(r.pick([annotator, lead]));
      r.pick(sockets).send(frame());
      sent++;
      if (sent % 50 === 0) await new Promise((res) => setTimeout(res, 1));
    }
    for (const s of sockets) s.close();
    expect(sent, `seed ${seed}`).toBeGreaterThan(100);

    // The room still works for a stock client, and what it holds is sound.
    const check = stockProvider(server.url, room, { cookie: lead.cookie, origin: server.url }, { acks: true });
    try {
      await waitFor(() => check.provider.synced, `synced after fuzz (seed ${seed})`);
      addNote(check.doc, lead.id, "after fuzz");
      await server.collab.flush();
      await waitFor(async () => notesText(await storedDoc(new PgStorage(database.db), room)).includes("after fuzz"), "stored after fuzz");
      expect(validateRoomDoc(check.doc), `seed ${seed}`).toEqual([]);
      expect(draftText(check.doc)).toContain("The camera zooms in.");
    } finally {
      check.destroy();
    }
  }, 60_000);
});
