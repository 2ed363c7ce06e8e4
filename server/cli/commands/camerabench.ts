import fs from "node:fs/promises";
import { Command } from "commander";
import type { Aspect } from "../../../shared/domain";
import type { Label } from "../../../shared/labels";
import { CAMERABENCH_EXPORT_IDS, CAMERABENCH_IMPORT_IDS, fromCameraBench } from "../../../shared/captionSpec/cameraBench";
import { CameraBenchReadError, readCameraBenchLabels } from "../../dataset/cameraBenchLabels";
import type { CliCommand, CliEnv } from "../command";

type Options = { out?: string };

/** One line of the output: a clip's labels in our terms, by aspect. */
export type CameraBenchLabelsLine = { video: string; labels: Partial<Record<Aspect, Label[]>> };

const HELP_AFTER = `
Reads a CameraBench label folder — one of CameraBench's video_labels/<export>/ folders, or the camerabench/ folder
of an export of ours — and writes each clip's labels as our primitives, one JSON object per line:
  {"video": "<clip file name>", "labels": {"camera": [...], "spatial": [...], "scene": [...]}}
Each label is in the shape the labels API takes (primitiveId, value, notSure, timeStart, timeEnd, note). The mapping
is shared/captionSpec/cameraBench.ts: rack and pull focus arrive as rack focus; a negative *_applicable flag arrives
as "not discernible"; CameraBench ids without a primitive of ours (only_*, moving_camera, …) are counted and left out.

Examples:
  npm run chai -- camerabench ./video_labels/cam_motion-cam_setup-20251021_ground_and_camera_and_setup_folder --out cb.jsonl
  npm run chai -- camerabench ./export/camerabench | head -1`;

async function convert(env: CliEnv, dir: string, opts: Options): Promise<void> {
  const clips = await readCameraBenchLabels(dir);
  // Ids our labels imply (tracking_shot, clear_moving_camera) are known too: they come back through other labels.
  const known = new Set([...CAMERABENCH_IMPORT_IDS, ...CAMERABENCH_EXPORT_IDS]);
  const unmapped = new Map<string, number>();
  const lines: string[] = [];
  let labelled = 0;
  for (const [video, clip] of [...clips].sort(([a], [b]) => (a < b ? -1 : 1))) {
    for (const id of clip.positive) if (!known.has(id)) unmapped.set(id, (unmapped.get(id) ?? 0) + 1);
    const labels: Partial<Record<Aspect, Label[]>> = {};
    for (const l of fromCameraBench(clip.positive, clip.negative)) {
      const aspect = l.primitiveId.slice(0, l.primitiveId.indexOf(".")) as Aspect;
      (labels[aspect] ??= []).push(l);
    }
    if (Object.keys(labels).length) labelled++;
    lines.push(JSON.stringify({ video, labels } satisfies CameraBenchLabelsLine));
  }
  if (opts.out === undefined) {
    for (const line of lines) env.out(line);
    return;
  }
  await fs.writeFile(opts.out, lines.length ? `${lines.join("\n")}\n` : "");
  env.out(`${clips.size} clips read, ${labelled} with labels of ours, written to ${opts.out}`);
  if (unmapped.size) {
    const top = [...unmapped].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([id, n]) => `${id} (${n})`);
    env.out(`Positive CameraBench ids with no primitive of ours: ${unmapped.size} (${top.join(", ")}${unmapped.size > 8 ? ", …" : ""})`);
  }
}

/** `camerabench DIR [--out FILE]`: CameraBench labels as ours (no database). */
export const cameraBenchCommand: CliCommand = {
  userErrors: [CameraBenchReadError],
  build: (env) =>
    new Command("camerabench")
      .usage("<folder> [options]")
      .description("Converts CameraBench per-label lists (labels/<label>.json with pos/neg clip names) into our primitive labels, per clip.")
      .argument("<folder>", "a CameraBench label folder (with labels/ inside, or the labels folder itself)")
      .option("--out <FILE>", "write JSON Lines to FILE and print a summary (default: the lines to standard output)")
      .addHelpText("after", HELP_AFTER)
      .action((dir: string, opts: Options) => convert(env, dir, opts)),
};
