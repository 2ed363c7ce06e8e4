import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { setDraftText, setPostText } from "../../shared/room/document";
import { draftFragment, type RoomField } from "../../shared/room/layout";
import { checkTyping } from "./typingCheck";
import { WriteGate } from "./writeGate";

const rootName = (type: Y.AbstractType<unknown>) => Y.findRootTypeKey(type);

/** A seeded generator, so a failing run replays. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function texts(doc: Y.Doc): Y.XmlText[] {
  const out: Y.XmlText[] = [];
  for (const p of draftFragment(doc).toArray()) if (p instanceof Y.XmlElement) for (const c of p.toArray()) if (c instanceof Y.XmlText) out.push(c);
  return out;
}

/** One client's next change, as the editor would make it: mostly keystrokes and deletions, sometimes structure. */
function act(client: Y.Doc, r: () => number): string {
  const ts = texts(client);
  const t = ts[Math.floor(r() * ts.length)];
  const roll = r();
  if (!t || roll < 0.05) {
    const p = new Y.XmlElement("paragraph");
    p.insert(0, [new Y.XmlText("new line")]);
    draftFragment(client).insert(draftFragment(client).length, [p]);
    return "paragraph";
  }
  if (roll < 0.08) {
    t.format(0, Math.max(1, Math.min(3, t.length)), { bold: true });
    return "format";
  }
  if (roll < 0.1) {
    setPostText(client, `post ${r()}`);
    return "post";
  }
  if (roll < 0.35 && t.length > 0) {
    const at = Math.floor(r() * t.length);
    t.delete(at, Math.min(t.length - at, 1 + Math.floor(r() * 4)));
    return "delete";
  }
  t.insert(Math.floor(r() * (t.length + 1)), String.fromCharCode(97 + Math.floor(r() * 26)).repeat(1 + Math.floor(r() * 3)));
  return "type";
}

describe("the write gate's typing fast path", () => {
  it("agrees with the full check on every update it answers, and answers plain keystrokes and deletions", () => {
    const seed = Number(process.env.TYPING_SEED ?? 4242);
    const r = rng(seed);
    const room = new Y.Doc();
    setDraftText(room, "The camera zooms in.\nA man walks.");
    const reference = new WriteGate(room, { fastTyping: false });
    const fresh = () => {
      const d = new Y.Doc();
      Y.applyUpdate(d, Y.encodeStateAsUpdate(room));
      return d;
    };
    let client = fresh();
    const writes: RoomField[][] = [["draft", "post"], ["draft"], ["critique"], []];
    let refused = 0;
    const answered = new Map<string, number>();
    const asked = new Map<string, number>();
    for (let i = 0; i < 1500; i++) {
      let update: Uint8Array | null = null;
      const capture = (u: Uint8Array) => (update = update ? Y.mergeUpdates([update, u]) : u);
      client.on("update", capture);
      const kind = act(client, r);
      client.off("update", capture);
      if (!update) continue;
      const roomWrites = i % 10 === 9 ? writes[1 + Math.floor(r() * 3)]! : writes[0]!;
      const fast = checkTyping(room, update, roomWrites, rootName);
      const full = reference.check(update, { userId: "u1", roomWrites });
      asked.set(kind, (asked.get(kind) ?? 0) + 1);
      if (fast) {
        answered.set(kind, (answered.get(kind) ?? 0) + 1);
        expect(full, `seed ${seed}, step ${i} (${kind})`).toEqual({ ok: true, changes: fast.changes });
      }
      if (full.ok) {
        if (full.changes) reference.commit(() => Y.applyUpdate(room, update!));
      } else {
        // A refusal is always the full path's to word; the client reloads the room, as ours does.
        expect(fast, `seed ${seed}, step ${i} (${kind}): refused ${full.reason}`).toBeNull();
        refused++;
        client.destroy();
        client = fresh();
      }
      expect(validateSame(room, client), `seed ${seed}, step ${i}`).toBe(true);
    }
    expect(refused).toBeGreaterThan(10);
    // Keystrokes and deletions are what the fast path is for: it must take nearly all of them.
    expect(answered.get("type") ?? 0).toBeGreaterThan(0.8 * (asked.get("type") ?? 0));
    expect(answered.get("delete") ?? 0).toBeGreaterThan(0.8 * (asked.get("delete") ?? 0));
    // Structure, formatting and the post (a root Y.Text, validated on every change) always take the full path.
    for (const k of ["paragraph", "format", "post"]) expect(answered.get(k) ?? 0, k).toBe(0);
  });

  it("is unsure of a field the writer may not write, a gap in a client's clock, and content it cannot place", () => {
    const room = new Y.Doc();
    setDraftText(room, "Hello");
    const client = new Y.Doc();
    Y.applyUpdate(client, Y.encodeStateAsUpdate(room));
    const updates: Uint8Array[] = [];
    client.on("update", (u: Uint8Array) => updates.push(u));
    const t = texts(client)[0]!;
    t.insert(5, "!");
    t.insert(6, "?");
    // Not writable now: unsure (the full path words the refusal).
    expect(checkTyping(room, updates[0]!, ["critique"], rootName)).toBeNull();
    expect(checkTyping(room, updates[0]!, [], rootName)).toBeNull();
    // The second keystroke without the first: a gap.
    expect(checkTyping(room, updates[1]!, ["draft"], rootName)).toBeNull();
    // Both in order: typing; the same again: nothing new.
    expect(checkTyping(room, Y.mergeUpdates(updates), ["draft"], rootName)).toEqual({ changes: true });
    Y.applyUpdate(room, Y.mergeUpdates(updates));
    expect(checkTyping(room, updates[1]!, ["draft"], rootName)).toEqual({ changes: false });
    // Bytes that do not decode: unsure (the full path throws).
    expect(checkTyping(room, new Uint8Array([9, 9, 9]), ["draft"], rootName)).toBeNull();
  });

  it("keeps an existing shadow in step: a structural write after keystrokes is judged on the current document", () => {
    const room = new Y.Doc();
    setDraftText(room, "One");
    const gate = new WriteGate(room);
    const client = new Y.Doc();
    Y.applyUpdate(client, Y.encodeStateAsUpdate(room));
    const send = (change: () => void) => {
      let update: Uint8Array | null = null;
      const capture = (u: Uint8Array) => (update = u);
      client.on("update", capture);
      change();
      client.off("update", capture);
      const verdict = gate.check(update!, { userId: "u1", roomWrites: ["draft"] });
      if (verdict.ok && verdict.changes) gate.commit(() => Y.applyUpdate(room, update!));
      return verdict;
    };
    // A structural write builds the shadow; keystrokes after it bypass the shadow, which must still follow them.
    expect(send(() => draftFragment(client).insert(1, [new Y.XmlElement("paragraph")]))).toEqual({ ok: true, changes: true });
    for (const ch of "two") expect(send(() => texts(client)[0]!.insert(texts(client)[0]!.length, ch))).toEqual({ ok: true, changes: true });
    // Formatting the typed text references the keystrokes' items: the shadow lacking them would hold it pending.
    expect(send(() => texts(client)[0]!.format(0, 6, { bold: true }))).toEqual({ ok: true, changes: true });
    expect(texts(room)[0]!.toString()).toBe("<bold>Onetwo</bold>");
  });
});

function validateSame(room: Y.Doc, client: Y.Doc): boolean {
  return Buffer.from(Y.encodeStateVector(room)).equals(Buffer.from(Y.encodeStateVector(client)));
}
