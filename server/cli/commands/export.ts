import path from "node:path";
import { parseArgs } from "node:util";
import { EXPORT_FORMATS, EXPORT_STATUSES, ExportFormat, ExportStatus, PERFECT_CAPTION_SENTINEL } from "../../../shared/dataset/formats";
import { exportDataset } from "../../dataset/exportDataset";
import { ExportReadError } from "../../dataset/read";
import { loadPseudonymSecret, PSEUDONYM_KEY_FILE } from "../../dataset/pseudonym";
import { parseSplit } from "../../dataset/split";
import type { CliCommand } from "../command";
import { processCliEnv, type CliEnv } from "./cliEnv";

const help = `Usage: npm run chai -- export --format FORMAT --out DIR [options]

Writes the dataset as JSON Lines, streamed from the database: one file per format and split
(<format>.train.jsonl, <format>.test.jsonl), LLaMA-Factory's dataset_info.json for the sharegpt files, and
manifest.json (counts per file and split, spec versions, SHA-256 per file) written last.

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

Options:
  --format F           one of: ${[...EXPORT_FORMATS, "all"].join(", ")} (required)
  --out DIR            output folder (created if missing; files of the same names are replaced) (required)
  --status S           ${EXPORT_STATUSES.join(" | ")}: approved tasks only (default); submitted or later; any task
                       with a submitted version
  --split test=0.1     share of clips in the test split (default: no test split); by clip, deterministic
  --seed N             seed of the split (default 0); a different seed gives a different split
  --video-root PATH    name clips relative to PATH (default: their stored path)
  --project NAME       only this project

People are pseudonymised with HMAC-SHA256 under the install's secret DATA_DIR/${PSEUDONYM_KEY_FILE} (created on first
export; keep it to keep pseudonyms stable across exports).

Examples:
  npm run chai -- export --format all --out ./export
  npm run chai -- export --format caption-sft --out ./sft --split test=0.1 --seed 7 --video-root /srv/video`;

/** `export …`; returns the exit code. */
export async function runExport(args: string[], env: CliEnv): Promise<number> {
  let values;
  try {
    values = parseArgs({
      args,
      allowPositionals: false,
      strict: true,
      options: {
        format: { type: "string" },
        out: { type: "string" },
        status: { type: "string", default: "approved" },
        split: { type: "string" },
        seed: { type: "string", default: "0" },
        "video-root": { type: "string" },
        project: { type: "string" },
      },
    }).values;
  } catch (err) {
    env.err(`${err instanceof Error ? err.message : String(err)}\n\n${help}`);
    return 2;
  }
  const format = values.format === "all" ? ("all" as const) : ExportFormat.safeParse(values.format).data;
  const status = ExportStatus.safeParse(values.status).data;
  const seed = Number(values.seed);
  let testShare: number;
  try {
    testShare = parseSplit(values.split);
  } catch (err) {
    env.err(err instanceof Error ? err.message : String(err));
    return 2;
  }
  const problems = [
    !format && `--format must be one of: ${[...EXPORT_FORMATS, "all"].join(", ")}.`,
    !values.out && "--out DIR is required.",
    !status && `--status must be one of: ${EXPORT_STATUSES.join(", ")}.`,
    !Number.isSafeInteger(seed) && "--seed must be an integer.",
  ].filter((p): p is string => typeof p === "string");
  if (problems.length > 0 || !format || !status || !values.out) {
    env.err(`${problems.join("\n")}\n\n${help}`);
    return 2;
  }
  const outDir = path.resolve(values.out);
  const { db, close } = await env.openDb();
  try {
    const started = Date.now();
    const { manifest, skippedTasks } = await exportDataset(db, env.config, {
      format,
      outDir,
      status,
      testShare,
      seed,
      videoRoot: values["video-root"] ? path.resolve(values["video-root"]) : undefined,
      projectName: values.project,
      pseudonymSecret: loadPseudonymSecret(env.config.dataDir),
      onProgress: (p) => env.out(`… ${p.tasks} tasks, ${p.records} records`),
    });
    for (const f of manifest.files) env.out(`${f.name.padEnd(28)} ${String(f.records).padStart(8)} records  ${f.sha256.slice(0, 12)}`);
    env.out(
      `Done in ${((Date.now() - started) / 1000).toFixed(1)} s: ${manifest.tasks} tasks exported ` +
        `(${skippedTasks} without an accepted version skipped), clips train ${manifest.videos.train} / test ` +
        `${manifest.videos.test}, spec ${manifest.spec_versions.join(", ") || "(none)"} → ${outDir}`,
    );
    return 0;
  } catch (err) {
    if (err instanceof ExportReadError) {
      env.err(err.message);
      return 1;
    }
    throw err;
  } finally {
    await close();
  }
}

export const exportCommand: CliCommand = {
  name: "export",
  summary: "write training datasets (export --format all --out DIR)",
  help,
  run: (args) => runExport(args, processCliEnv()),
};

export default exportCommand;
