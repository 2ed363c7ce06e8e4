import { describe, expect, it } from "vitest";
import type { AspectSpec, Primitive } from "../../../../shared/captionSpec/schema";
import { filterSpec, flatten, matchesQuery } from "./search";

const prim = (id: string, label: string, definition: string): Primitive => ({
  id,
  label,
  definition,
  rule: { applies: "a", doesNotApply: "b" },
  confusables: [],
  phrasing: label,
  avoid: [],
  keywords: [label],
  needsDescription: false,
  aspect: id.startsWith("camera") ? "camera" : "scene",
  subAspect: id.split(".").slice(0, 2).join("."),
  value: "yes_no",
});

const dolly = prim("camera.translation.dolly_in", "Dolly in", "The camera body travels forward; near objects show parallax.");
const zoom = prim("camera.intrinsic.zoom_in", "Zoom in", "The focal length grows; the camera does not move.");
const night = prim("scene.time.night", "Night", "Dark sky, artificial light.");
const aspect = (name: "camera" | "scene", subs: [string, Primitive[]][]): AspectSpec => ({
  aspect: name,
  label: name,
  description: "",
  policy: { covers: ["x"], style: ["y"], dependsOn: [] },
  subAspects: subs.map(([id, primitives]) => ({ id, label: id, description: "", value: "yes_no", optional: false, aspect: name, primitives })),
});
const spec = {
  aspects: [aspect("scene", [["scene.time", [night]]]), aspect("camera", [["camera.translation", [dolly]], ["camera.intrinsic", [zoom]]])],
};

describe("spec search", () => {
  it("matches every word against id, label and definition, ignoring case and id punctuation", () => {
    expect(matchesQuery(dolly, "dolly_in")).toBe(true);
    expect(matchesQuery(dolly, "DOLLY in")).toBe(true);
    expect(matchesQuery(dolly, "parallax forward")).toBe(true);
    expect(matchesQuery(dolly, "parallax zoom")).toBe(false);
    expect(matchesQuery(zoom, "camera.intrinsic")).toBe(true);
    expect(matchesQuery(night, "")).toBe(true);
  });

  it("filters by aspect and drops empty groups, keeping spec order", () => {
    expect(flatten(filterSpec(spec, "", null)).map((p) => p.id)).toEqual([night.id, dolly.id, zoom.id]);
    expect(flatten(filterSpec(spec, "", "camera")).map((p) => p.id)).toEqual([dolly.id, zoom.id]);
    const groups = filterSpec(spec, "focal", null);
    expect(groups).toHaveLength(1);
    expect(groups[0]?.subAspects.map((s) => s.subAspect.id)).toEqual(["camera.intrinsic"]);
    expect(filterSpec(spec, "night", "camera")).toEqual([]);
  });
});
