import path from "node:path";
import { Command, Option } from "commander";
import {
  CLIP_PLACEMENTS,
  EXPORT_FORMATS,
  EXPORT_STATUSES,
  FORMAT_GUIDE,
  PERFECT_CAPTION_SENTINEL,
  TRL_VIDEO_NOTE,
  unknownFormatMessage,
  type ClipPlacement,
  type ExportFormat,
  type ExportStatus,
} from "../../../shared/dataset/formats";
import { exportDataset } from "../../dataset/exportDataset";
import { ExportReadError } from "../../dataset/read";
import { loadPseudonymSecret, PSEUDONYM_KEY_FILE } from "../../dataset/pseudonym";
import { parseSplit } from "../../dataset/split";
import { oneOf, parsedBy, required, runCommand, usageError, withDb, type CliCommand, type CliEnv } from "../command";

const FORMAT_CHOICES = [...EXPORT_FORMATS, "all"] as const;

/** Words of `text` in lines of at most `width` characters. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line];
}

const NAME_COLUMN = 27;
const HELP_WIDTH = 116;

/** FORMAT_GUIDE's lines under the format names. */
function formatLines(): string {
  const rows = EXPORT_FORMATS.map((f) =>
    wrap(FORMAT_GUIDE[f].carries, HELP_WIDTH - NAME_COLUMN)
      .map((l, i) => `  ${(i === 0 ? f : "").padEnd(NAME_COLUMN - 2)}${l}`)
      .join("\n"),
  );
  return [...rows, `  ${"all".padEnd(NAME_COLUMN - 2)}every format`].join("\n");
}

const paragraph = (text: string) => wrap(text, HELP_WIDTH).join("\n");

const FORMATS_HELP = `
Formats (--format):
${formatLines()}

${paragraph(`critique-gen's target for a caption with nothing to fix is the fixed sentence "${PERFECT_CAPTION_SENTINEL}"`)}

${paragraph(
  "The folder is used as it is: every clip is placed in DIR/videos/ (--clips), every record names its clip relative to " +
    "DIR, and DIR/dataset_info.json registers the sharegpt files for LLaMA-Factory (--dataset_dir DIR; media_dir " +
    `defaults to it). ${TRL_VIDEO_NOTE}`,
)}

${paragraph(
  `People are pseudonymised with HMAC-SHA256 under the install's secret DATA_DIR/${PSEUDONYM_KEY_FILE} (created on ` +
    "first export; keep it to keep pseudonyms stable across exports).",
)}

Examples:
  npm run chai -- export --format all --out ./export
  npm run chai -- export --format caption-dpo --out ./dpo --split test=0.1 --seed 7 --clips symlink`;

const parseFormat = parsedBy((value): ExportFormat | "all" => {
  if (!(FORMAT_CHOICES as readonly string[]).includes(value)) throw new Error(unknownFormatMessage(value, FORMAT_CHOICES).replace(/^The format/, "--format"));
  return value as ExportFormat | "all";
});

/** The old option, refused in words: clips now travel with the export. */
export const VIDEO_ROOT_GONE =
  "--video-root is gone: the export now places every clip in DIR/videos/ and names it relative to DIR, so the folder " +
  "trains as it is. Use --clips symlink to avoid copying a large set.";

const parseSeed = parsedBy((value) => {
  const seed = Number(value);
  if (!Number.isSafeInteger(seed)) throw new Error("--seed must be an integer.");
  return seed;
});

type ExportOptions = {
  format?: ExportFormat | "all";
  out?: string;
  status: ExportStatus;
  split: number;
  seed: number;
  clips: ClipPlacement;
  videoRoot?: string;
  project?: string;
};

async function exportTo(env: CliEnv, opts: ExportOptions, command: Command): Promise<void> {
  if (opts.videoRoot !== undefined) usageError(command, VIDEO_ROOT_GONE);
  const format = required(command, opts.format, `--format must be one of: ${FORMAT_CHOICES.join(", ")}.`);
  const outDir = path.resolve(required(command, opts.out, "--out DIR is required."));
  const started = Date.now();
  const { manifest, skippedTasks } = await withDb(env, (db) =>
    exportDataset(db, env.config, {
      format,
      outDir,
      status: opts.status,
      testShare: opts.split,
      seed: opts.seed,
      clips: opts.clips,
      projectName: opts.project,
      pseudonymSecret: loadPseudonymSecret(env.config.dataDir),
      onProgress: (p) => env.out(`… ${p.tasks} tasks, ${p.records} records`),
    }),
  );
  for (const f of manifest.files) env.out(`${f.name.padEnd(40)} ${String(f.records).padStart(8)} records  ${f.sha256.slice(0, 12)}`);
  for (const [format, left] of Object.entries(manifest.ablation_left_out)) {
    const total = left.no_items + left.too_few_items + left.unchanged;
    if (total > 0) {
      env.out(`${format}: ${total} corrected records left out (${left.no_items} without critique items, ${left.too_few_items} with too few, ${left.unchanged} unchanged)`);
    }
  }
  const { clips } = manifest;
  env.out(
    `Clips: ${clips.count} in ${clips.folder}/ (${clips.hardlinked} hard-linked, ${clips.copied} copied, ${clips.symlinked} symlinked)` +
      (clips.missing > 0 ? `; ${clips.missing} not found in storage, their ${clips.tasks_left_out} tasks left out` : ""),
  );
  env.out(
    `Done in ${((Date.now() - started) / 1000).toFixed(1)} s: ${manifest.tasks} tasks exported ` +
      `(${skippedTasks} without an accepted version skipped), clips train ${manifest.videos.train} / test ` +
      `${manifest.videos.test}, spec ${manifest.spec_versions.join(", ") || "(none)"} → ${outDir}`,
  );
}

/** `export --format F --out DIR …`: the dataset as JSON Lines, streamed from the database. */
export const exportCommand: CliCommand = {
  userErrors: [ExportReadError],
  build: (env) =>
    new Command("export")
      .usage("--format FORMAT --out DIR [options]")
      .description(
        "Writes the dataset as JSON Lines, streamed from the database: one file per format and split " +
          "(<format>.train.jsonl, <format>.test.jsonl), the clips in videos/, LLaMA-Factory's dataset_info.json for the " +
          "sharegpt files, and manifest.json (what each file carries and for whom, counts per file and split, spec " +
          "versions, SHA-256 per file) written last.",
      )
      .option("--format <F>", `one of: ${FORMAT_CHOICES.join(", ")} (required; see below)`, parseFormat)
      .option("--out <DIR>", "output folder (created if missing; files of the same names are replaced) (required)")
      .option(
        "--status <S>",
        `${EXPORT_STATUSES.join(" | ")}: approved tasks only; submitted or later; any task with a submitted version`,
        oneOf("--status", EXPORT_STATUSES),
        "approved",
      )
      .option("--split <test=0.1>", "share of clips in the test split (default: no test split); by clip, deterministic", parsedBy(parseSplit), 0)
      .option("--seed <N>", "seed of the split; a different seed gives a different split", parseSeed, 0)
      .option(
        "--clips <HOW>",
        `${CLIP_PLACEMENTS.join(" | ")}: how clips are placed in DIR/videos/ — a hard link (a copy across file systems), a copy, or a symlink to the stored file (for huge sets; the folder then works only on this machine)`,
        oneOf("--clips", CLIP_PLACEMENTS),
        "link",
      )
      .addOption(new Option("--video-root <PATH>").hideHelp())
      .option("--project <NAME>", "only this project")
      .addHelpText("after", FORMATS_HELP)
      .action((opts: ExportOptions, command: Command) => exportTo(env, opts, command)),
};

/** `export …` over `env`; returns the exit code. */
export const runExport = (args: string[], env: CliEnv): Promise<number> => runCommand(exportCommand, args, env);
