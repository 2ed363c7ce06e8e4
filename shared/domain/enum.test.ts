import { describe, expect, it } from "vitest";
import { ASPECTS, ASPECT_LABELS, Aspect, CATCH_KINDS, ERROR_TYPES, ROLES } from "./index";
import { STAGES } from "./stages";
import { labelledEnum } from "./enum";

describe("labelledEnum", () => {
  it("lists the values in the order written, with their schema and labels", () => {
    const e = labelledEnum({ b: "Bee", a: "Ay" });
    expect(e.values).toEqual(["b", "a"]);
    expect(e.schema.parse("a")).toBe("a");
    expect(e.schema.safeParse("c").success).toBe(false);
    expect(e.labels.b).toBe("Bee");
  });

  it("keeps the product's orders (aspects are captioned in order, stages follow the work)", () => {
    expect(ASPECTS).toEqual(["subject", "scene", "motion", "spatial", "camera"]);
    expect(STAGES).toEqual(["labelling", "drafting", "critiquing", "revising", "refining", "submitted", "in_review", "approved", "rejected"]);
    expect(ROLES).toEqual(["annotator", "trainee", "reviewer", "trainer", "lead", "admin"]);
    expect(ERROR_TYPES).toEqual(["hallucination", "wrong_term", "missing_information", "left_right", "temporal_order", "subjective_language", "other"]);
    expect(CATCH_KINDS).toEqual(["false_flag", "missed_error", "non_constructive", "residual_error"]);
    expect(Aspect.options).toEqual([...ASPECTS]);
    expect(ASPECT_LABELS.spatial).toBe("Spatial");
  });
});
