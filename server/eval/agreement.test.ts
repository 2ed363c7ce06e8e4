import { describe, expect, it } from "vitest";
import { agreementFromLabels, NONE, type LabelFact } from "./agreement";

const yes = { kind: "yes" } as const;
const sel = { kind: "selected" } as const;
const se = (at: "start" | "end" | "both") => ({ kind: "start_end", at }) as const;
const fact = (taskId: string, videoId: string, primitiveId: string, value: LabelFact["value"]): LabelFact => ({ taskId, videoId, aspect: "camera", primitiveId, value });

describe("agreementFromLabels", () => {
  it("builds one unit per clip × sub-aspect from tasks of the same clip and aspect", () => {
    const facts: LabelFact[] = [
      // clip 1: both annotators chose the same angle; shot size differs at the end
      fact("t1", "v1", "camera.angle.eye_level", sel),
      fact("t2", "v1", "camera.angle.eye_level", sel),
      fact("t1", "v1", "camera.size.wide", se("both")),
      fact("t2", "v1", "camera.size.wide", se("start")),
      fact("t2", "v1", "camera.size.close", se("end")),
      fact("t1", "v1", "camera.movement.pan_left", yes),
      // clip 2: angles differ; t4 marked no movement at all
      fact("t3", "v2", "camera.angle.high", sel),
      fact("t4", "v2", "camera.angle.low", sel),
      fact("t3", "v2", "camera.movement.pan_left", yes),
      fact("t3", "v2", "camera.movement.tilt_up", yes),
      // clip 3: one annotator only — nothing to compare
      fact("t5", "v3", "camera.angle.high", sel),
    ];
    const r = agreementFromLabels(facts);
    expect(r.clipsCompared).toBe(2);
    const by = Object.fromEntries(r.subAspects.map((s) => [s.subAspect, s]));
    expect(Object.keys(by)).toEqual(["camera.angle", "camera.movement", "camera.size"]);
    // angle: units {eye,eye}, {high,low}: n = 4, n_eye = 2, n_high = n_low = 1; D_o = 2; Σ n_c n_k = 16 − 6 = 10;
    // α = 1 − 3 · 2 / 10 = 0.4
    expect(by["camera.angle"]?.alpha).toBeCloseTo(0.4, 12);
    // movement: {pan_left, (none)}, {pan_left+tilt_up, (none)}: every pair disagrees → α < 0
    expect(by["camera.movement"]?.kind).toBe("yes");
    expect(by["camera.movement"]?.values).toBe(4);
    expect(by["camera.movement"]?.alpha).toBeLessThan(0);
    // size: one unit {wide→wide, wide→close}; only clip 1 answered it
    expect(by["camera.size"]?.units).toBe(1);
    expect(r.overall.values).toBe(10);
    expect(NONE).toBe("(none)");
  });
});
