import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCommand } from "../command";
import { testEnv } from "../../testing/cliEnv";
import { pyJsonIndent4 } from "../../dataset/cameraBenchLabels";
import { cameraBenchCommand, type CameraBenchLabelsLine } from "./camerabench";

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "chai-h5-cli-camerabench-"));
  await fs.mkdir(path.join(dir, "labels"));
  const file = (label: string, pos: string[], neg: string[]) =>
    fs.writeFile(path.join(dir, "labels", `${label}.json`), pyJsonIndent4({ label, label_name: "x", definition: "x?", pos, neg }));
  await file("cam_motion.camera_centric_movement.roll_clockwise.has_roll_clockwise", ["v1.mp4"], ["v2.mp4"]);
  await file("cam_motion.camera_centric_movement.roll_clockwise.only_roll_clockwise", ["v1.mp4"], ["v2.mp4"]);
  await file("cam_setup.angle.is_camera_angle_applicable", ["v1.mp4"], ["v2.mp4"]);
  await file("cam_setup.angle.is_always.camera_angle_is_level_angle", ["v1.mp4"], []);
  await file("cam_setup.angle.start_with.camera_angle_start_with_level_angle", ["v1.mp4"], []);
  await file("cam_setup.angle.end_with.camera_angle_end_with_level_angle", ["v1.mp4"], []);
  await file("cam_setup.point_of_view.drone_pov", ["v2.mp4"], ["v1.mp4"]);
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const run = (args: string[]) => {
  const t = testEnv();
  return runCommand(cameraBenchCommand, args, t.env).then((code) => ({ code, ...t }));
};

describe("camerabench", () => {
  it("prints each clip's labels in our terms, by aspect", async () => {
    const { code, out } = await run([dir]);
    expect(code).toBe(0);
    const lines = out.map((l) => JSON.parse(l) as CameraBenchLabelsLine);
    expect(lines.map((l) => l.video)).toEqual(["v1.mp4", "v2.mp4"]);
    const ids = (l: CameraBenchLabelsLine) => Object.values(l.labels).flat().map((x) => x.primitiveId).sort();
    expect(ids(lines[0]!)).toEqual(["camera.angle.level", "camera.movement_rotation.roll_clockwise"]);
    expect(ids(lines[1]!)).toEqual(["camera.angle.not_applicable", "scene.point_of_view.drone"]);
    expect(lines[1]!.labels.scene).toEqual([
      { primitiveId: "scene.point_of_view.drone", value: { kind: "selected" }, notSure: false, timeStart: null, timeEnd: null, note: null },
    ]);
  });

  it("writes JSON Lines with --out and says what it could not map", async () => {
    const file = path.join(dir, "out.jsonl");
    const { code, out } = await run([dir, "--out", file]);
    expect(code).toBe(0);
    expect((await fs.readFile(file, "utf8")).trim().split("\n")).toHaveLength(2);
    expect(out[0]).toBe(`2 clips read, 2 with labels of ours, written to ${file}`);
    expect(out[1]).toBe("Positive CameraBench ids with no primitive of ours: 1 (only_roll_clockwise (1))");
  });

  it("fails in words on a folder without label files", async () => {
    const empty = await fs.mkdtemp(path.join(os.tmpdir(), "chai-h5-cli-camerabench-empty-"));
    const { code, err } = await run([empty]);
    await fs.rm(empty, { recursive: true, force: true });
    expect(code).toBe(1);
    expect(err.join("\n")).toMatch(/no CameraBench label files/);
  });
});
