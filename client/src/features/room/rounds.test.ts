import { describe, expect, it } from "vitest";
import type { RoundSummary } from "../../../../shared/api/loop";
import { comparedPair, formatDuration, roundDiff, roundsSettling, togglePick } from "./rounds";

const round = (n: number, over: Partial<RoundSummary> = {}): RoundSummary => ({
  id: `00000000-0000-4000-8000-00000000000${n}`,
  n,
  status: "done",
  requestedBy: null,
  provider: "rules",
  model: "rules-v1",
  promptHash: "h",
  critiqueText: "",
  postCaption: `text ${n}`,
  error: null,
  usage: null,
  startedAt: "2026-01-01T00:00:00.000Z",
  firstTokenAt: null,
  finishedAt: null,
  durationMs: 120,
  ...over,
});

describe("rounds", () => {
  it("keeps re-reading while the server finishes a round the room already shows as ended", () => {
    const idle = { status: "idle" as const, roundId: null };
    expect(roundsSettling([round(1, { status: "running" })], "revising", idle)).toBe(true);
    expect(roundsSettling([round(1)], "revising", idle)).toBe(true);
    expect(roundsSettling([round(1)], "refining", idle)).toBe(false);
    expect(roundsSettling([], "critiquing", idle)).toBe(false);
    // Running: until the round being written is listed.
    const r2 = round(2, { status: "running" });
    expect(roundsSettling([round(1)], "revising", { status: "running", roundId: r2.id })).toBe(true);
    expect(roundsSettling([round(1), r2], "revising", { status: "running", roundId: r2.id })).toBe(false);
  });

  it("compares two picked rounds, older first, word by word", () => {
    const rounds = [
      round(1, { postCaption: "The camera dollies in toward the cart." }),
      round(2, { postCaption: "The camera dollies in slowly toward the cart." }),
      round(3, { postCaption: null, status: "failed" }),
    ];
    expect(comparedPair(rounds, [1])).toBeNull();
    expect(comparedPair(rounds, [1, 3])).toBeNull();
    const pair = comparedPair(rounds, [2, 1]);
    expect(pair?.map((r) => r.n)).toEqual([1, 2]);
    if (!pair) throw new Error("no pair");
    expect(roundDiff(pair).filter((p) => p.kind === "added").map((p) => p.text.trim())).toEqual(["slowly"]);
  });

  it("picks at most two rounds and formats durations", () => {
    expect(togglePick([], 1)).toEqual([1]);
    expect(togglePick([1, 2], 3)).toEqual([2, 3]);
    expect(togglePick([1, 2], 1)).toEqual([2]);
    expect(formatDuration(null)).toBe("—");
    expect(formatDuration(420)).toBe("0.4 s");
    expect(formatDuration(12_400)).toBe("12 s");
  });
});
