import path from "node:path";
import { Command } from "commander";
import { EXPORT_FORMATS, EXPORT_STATUSES, ExportFormat, ExportStatus, PERFECT_CAPTION_SENTINEL } from "../../../shared/dataset/formats";
import { exportDataset } from "../../dataset/exportDataset";
import { ExportReadError } from "../../dataset/read";
import { loadPseudonymSecret, PSEUDONYM_KEY_FILE } from "../../dataset/pseudonym";
import { parseSplit } from "../../dataset/split";
import { oneOf, parsedBy, required, runCommand, withDb, type CliCommand, type CliEnv } from "../command";

const FORMAT_CHOICES = [...EXPORT_FORMATS, "all"] as const;

const FORMATS_HELP = `
Formats (--format):
  chai           one record per task (video × aspect): clip path, aspect, spec version, primitives, pre-caption,
                 score, critique (items, text, polished text), every round, post-caption, reviewer verdict, catches,
                 rejected annotator versions as negatives; people as pseudonymous ids (never emails)
  caption-sft    LLaMA-Factory sharegpt (messages + videos): clip → post-caption
  reward-yesno   sharegpt yes/no: score < 5: post-caption → "Yes", pre-caption → "No"; score 5: the caption → "Yes"
  reward-pairs   TRL preference layout (prompt, chosen = post-caption, rejected = pre-caption, videos)
  critique-gen   sharegpt: pre-caption → its critique; post-caption → the fixed sentinel
                 "${PERFECT_CAPTION_SENTINEL}"
  all            every format

People are pseudonymised with HMAC-SHA256 under the install's secret DATA_DIR/${PSEUDONYM_KEY_FILE} (created on first
export; keep it to keep pseudonyms stable across exports).

Examples:
  npm run chai -- export --format all --out ./export
  npm run chai -- export --format caption-sft --out ./sft --split test=0.1 --seed 7 --video-root /srv/video`;

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
  videoRoot?: string;
  project?: string;
};

async function exportTo(env: CliEnv, opts: ExportOptions, command: Command): Promise<void> {
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
      videoRoot: opts.videoRoot ? path.resolve(opts.videoRoot) : undefined,
      projectName: opts.project,
      pseudonymSecret: loadPseudonymSecret(env.config.dataDir),
      onProgress: (p) => env.out(`… ${p.tasks} tasks, ${p.records} records`),
    }),
  );
  for (const f of manifest.files) env.out(`${f.name.padEnd(28)} ${String(f.records).padStart(8)} records  ${f.sha256.slice(0, 12)}`);
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
          "(<format>.train.jsonl, <format>.test.jsonl), LLaMA-Factory's dataset_info.json for the sharegpt files, and " +
          "manifest.json (counts per file and split, spec versions, SHA-256 per file) written last.",
      )
      .option("--format <F>", `one of: ${FORMAT_CHOICES.join(", ")} (required; see below)`, oneOf("--format", FORMAT_CHOICES))
      .option("--out <DIR>", "output folder (created if missing; files of the same names are replaced) (required)")
      .option(
        "--status <S>",
        `${EXPORT_STATUSES.join(" | ")}: approved tasks only; submitted or later; any task with a submitted version`,
        oneOf("--status", EXPORT_STATUSES),
        "approved",
      )
      .option("--split <test=0.1>", "share of clips in the test split (default: no test split); by clip, deterministic", parsedBy(parseSplit), 0)
      .option("--seed <N>", "seed of the split; a different seed gives a different split", parseSeed, 0)
      .option("--video-root <PATH>", "name clips relative to PATH (default: their stored path)")
      .option("--project <NAME>", "only this project")
      .addHelpText("after", FORMATS_HELP)
      .action((opts: ExportOptions, command: Command) => exportTo(env, opts, command)),
};

/** `export …` over `env`; returns the exit code. */
export const runExport = (args: string[], env: CliEnv): Promise<number> => runCommand(exportCommand, args, env);
