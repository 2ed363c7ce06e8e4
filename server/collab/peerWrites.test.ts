import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { PeerCommits, PeerWrites } from "./peerWrites";

type FakeRoom = { name: string; book: PeerWrites };

/** A registry stand-in that records what PeerCommits asks of it: its own log is a list with sequence numbers. */
function harness(timing = { silenceMs: 1_000, maxWaitMs: 10_000, sweepMs: 250 }) {
  const written: { room: string; update: number[]; seq: number }[] = [];
  const settled: string[] = [];
  let seq = 100;
  const commits = new PeerCommits<FakeRoom>(
    {
      peerWrites: (room) => room.book,
      persist: (room, update) => {
        written.push({ room: room.name, update: [...update], seq: ++seq });
        return seq;
      },
      settled: (room) => settled.push(room.name),
    },
    timing,
  );
  const room = (name: string): FakeRoom => ({ name, book: new PeerWrites() });
  return { commits, written, settled, room };
}

describe("PeerWrites: acks wait for relayed updates to be in the log", () => {
  it("releases at once with nothing relayed, and in arrival order once the origin confirms", () => {
    const book = new PeerWrites();
    const released: string[] = [];
    book.whenConfirmed(book.mark, () => released.push("n1"));
    expect(released).toEqual(["n1"]);

    book.add("A", 5, new Uint8Array([1]), 0);
    book.whenConfirmed(book.mark, () => released.push("n2"));
    book.add("B", 9, new Uint8Array([2]), 0);
    book.whenConfirmed(book.mark, () => released.push("n3"));
    expect(released).toEqual(["n1"]);

    // B's update came after n2 was applied: n2 waits for A only.
    book.confirm("B", 9);
    expect(released).toEqual(["n1"]);
    book.confirm("A", 4); // not far enough
    expect(released).toEqual(["n1"]);
    book.confirm("A", 5);
    expect(released).toEqual(["n1", "n2", "n3"]);
    expect(book.size).toBe(0);
  });
});

describe("PeerCommits", () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ["setInterval", "clearInterval", "performance"] }));
  afterEach(() => vi.useRealTimers());

  it("a commit notice read before the update it covers: the update is never held", () => {
    const { commits, room } = harness();
    const r = room("r");
    commits.peerCommitted("A", 7);
    commits.relayed(r, "A", 7, new Uint8Array([1]));
    expect(r.book.size).toBe(0);
    commits.relayed(r, "A", 8, new Uint8Array([2]));
    expect(r.book.size).toBe(1);
  });

  it("confirms every room holding the origin's updates, and tells the registry when a room holds none", () => {
    const { commits, settled, room } = harness();
    const [r1, r2] = [room("r1"), room("r2")];
    commits.relayed(r1, "A", 1, new Uint8Array([1]));
    commits.relayed(r2, "A", 2, new Uint8Array([2]));
    commits.relayed(r2, "B", 1, new Uint8Array([3]));
    commits.peerCommitted("A", 2);
    expect([r1.book.size, r2.book.size]).toEqual([0, 1]);
    expect(settled).toEqual(["r1"]);
    commits.peerCommitted("B", 1);
    expect(settled).toEqual(["r1", "r2"]);
  });

  it("writes what a silent origin left unconfirmed, and releases the waiting ack when its own commit passes it", () => {
    const { commits, written, settled, room } = harness();
    const r = room("r");
    commits.peerCommitted("A", 3);
    commits.relayed(r, "A", 4, new Uint8Array([4]));
    commits.relayed(r, "A", 5, new Uint8Array([5]));
    let acked = false;
    r.book.whenConfirmed(r.book.mark, () => (acked = true));

    vi.advanceTimersByTime(750);
    expect(written).toEqual([]);
    vi.advanceTimersByTime(500); // the origin has been silent for over a second: presumed dead
    expect(written).toEqual([
      { room: "r", update: [4], seq: 101 },
      { room: "r", update: [5], seq: 102 },
    ]);
    // Taken over once, not again on the next sweeps.
    vi.advanceTimersByTime(1_000);
    expect(written).toHaveLength(2);
    expect(acked).toBe(false);

    commits.ownCommitted(r, 101);
    expect(acked).toBe(false);
    commits.ownCommitted(r, 102);
    expect(acked).toBe(true);
    expect(settled).toEqual(["r"]);
  });

  it("leaves a live origin's updates to it while it keeps committing, up to the longest wait", () => {
    const { commits, written, room } = harness();
    const r = room("r");
    commits.relayed(r, "A", 50, new Uint8Array([50]));
    // The origin is busy: it announces commits of earlier writes every 500 ms but has not reached 50.
    for (let t = 0; t < 9_500; t += 500) {
      commits.peerCommitted("A", 10 + t / 500);
      vi.advanceTimersByTime(500);
    }
    expect(written).toEqual([]);
    vi.advanceTimersByTime(750);
    expect(written.map((w) => w.update)).toEqual([[50]]);
  });

  it("at shutdown, queues everything still unconfirmed in its own log", () => {
    const { commits, written, room } = harness();
    const r = room("r");
    commits.relayed(r, "A", 1, new Uint8Array([1]));
    commits.relayed(r, "B", 1, new Uint8Array([2]));
    commits.peerCommitted("B", 1);
    commits.persistAll();
    expect(written.map((w) => w.update)).toEqual([[1]]);
  });
});
