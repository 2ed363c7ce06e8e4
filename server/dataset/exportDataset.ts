import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import type { Config } from "../config";
import type { Db } from "../db/index";
import {
  EXPORT_FORMATS,
  PERFECT_CAPTION_SENTINEL,
  SHAREGPT_FORMATS,
  SPLITS,
  exportFileName,
  type ExportFormat,
  type ExportStatus,
  type Manifest,
  type Split,
} from "../../shared/dataset/formats";
import { resolveVideoPath } from "../videos/storage";
import { toChaiRecord } from "./chaiRecord";
import { deriveRecords } from "./derive";
import { pseudonymFor, pseudonymForText } from "./pseudonym";
import { PeopleCache, peopleOf, readTaskBundles, type VideoRow } from "./read";
import { splitOf } from "./split";
import { JsonlWriter } from "./writer";

export type ExportOptions = {
  format: ExportFormat | "all";
  outDir: string;
  status: ExportStatus;
  /** Share of clips in the test split, 0–1 (0 = no test files). */
  testShare: number;
  seed: number;
  /** Clips are named relative to this folder when given; otherwise by their stored path. */
  videoRoot?: string;
  projectName?: string;
  /** The install's pseudonymisation secret (pseudonym.ts loadPseudonymSecret). */
  pseudonymSecret: Uint8Array;
  batchSize?: number;
  now?: () => Date;
  onProgress?: (p: { tasks: number; records: number }) => void;
  onBatch?: (info: { videos: number; tasks: number }) => void;
};

export const MANIFEST_FILE = "manifest.json";
export const DATASET_INFO_FILE = "dataset_info.json";

const posix = (p: string) => p.split(path.sep).join("/");

function videoPathOf(config: Config, videoRoot: string | undefined, v: VideoRow): string {
  if (videoRoot) {
    const abs = resolveVideoPath(config, v);
    if (abs) return posix(path.relative(path.resolve(videoRoot), abs));
  }
  return v.path;
}

/** LLaMA-Factory's dataset_info.json entries for the sharegpt files written. */
export function datasetInfo(formats: readonly ExportFormat[], splits: readonly Split[]): Record<string, unknown> {
  const info: Record<string, unknown> = {};
  for (const format of formats.filter((f) => SHAREGPT_FORMATS.includes(f))) {
    for (const split of splits) {
      info[`chai_${format.replace(/-/g, "_")}_${split}`] = {
        file_name: exportFileName(format, split),
        formatting: "sharegpt",
        columns: { messages: "messages", videos: "videos" },
        tags: { role_tag: "role", content_tag: "content", user_tag: "user", assistant_tag: "assistant", system_tag: "system" },
      };
    }
  }
  return info;
}

/**
 * Writes the export: one JSON Lines file per (format, split), streamed from the database batch by batch, then
 * dataset_info.json and, last, manifest.json (its presence means the export finished).
 */
export type ExportResult = {
  manifest: Manifest;
  /** Tasks matching the filter but without an accepted version yet (not in the files, so not in the manifest). */
  skippedTasks: number;
};

export async function exportDataset(db: Db, config: Config, opts: ExportOptions): Promise<ExportResult> {
  const formats: ExportFormat[] = opts.format === "all" ? [...EXPORT_FORMATS] : [opts.format];
  const splits: Split[] = opts.testShare > 0 ? [...SPLITS] : ["train"];
  await fs.mkdir(opts.outDir, { recursive: true });
  // A stale manifest would vouch for files this run is about to replace.
  await fs.rm(path.join(opts.outDir, MANIFEST_FILE), { force: true });

  const writers = new Map<string, JsonlWriter>();
  for (const format of formats) {
    for (const split of splits) writers.set(`${format}/${split}`, new JsonlWriter(path.join(opts.outDir, exportFileName(format, split))));
  }
  const writerOf = (format: ExportFormat, split: Split) => {
    const w = writers.get(`${format}/${split}`);
    if (!w) throw new Error(`no writer for ${format}/${split}`);
    return w;
  };

  const people = new PeopleCache(db);
  const person = (idOrName: string) => {
    const row = people.get(idOrName);
    return row ? pseudonymFor(opts.pseudonymSecret, row) : pseudonymForText(opts.pseudonymSecret, idOrName);
  };
  const specVersions = new Set<string>();
  const videosIn: Record<Split, number> = { train: 0, test: 0 };
  let exported = 0;
  let skipped = 0;
  let records = 0;
  let lastVideo = "";

  try {
    for await (const bundles of readTaskBundles(db, { status: opts.status, projectName: opts.projectName, batchSize: opts.batchSize, onBatch: opts.onBatch })) {
      await people.load(peopleOf(bundles));
      for (const bundle of bundles) {
        const record = toChaiRecord(bundle, videoPathOf(config, opts.videoRoot, bundle.video), person);
        if (!record) {
          skipped++;
          continue;
        }
        const split = splitOf(record.video_sha256, opts.testShare, opts.seed);
        if (record.video_sha256 !== lastVideo) {
          videosIn[split]++;
          lastVideo = record.video_sha256;
        }
        specVersions.add(record.spec_version);
        exported++;
        for (const format of formats) {
          const w = writerOf(format, split);
          for (const r of deriveRecords(format, record)) {
            await w.write(r);
            records++;
          }
        }
      }
      opts.onProgress?.({ tasks: exported, records });
    }
  } catch (err) {
    for (const w of writers.values()) w.destroy();
    throw err;
  }

  const files: Manifest["files"] = [];
  for (const format of formats) {
    for (const split of splits) {
      const w = writerOf(format, split);
      const sha256 = await w.close();
      files.push({ name: exportFileName(format, split), format, split, records: w.records, bytes: w.bytes, sha256 });
    }
  }
  const infoText = `${JSON.stringify(datasetInfo(formats, splits), null, 2)}\n`;
  await fs.writeFile(path.join(opts.outDir, DATASET_INFO_FILE), infoText);

  const manifest: Manifest = {
    tool: "chai-studio",
    manifest_version: 1,
    format: opts.format,
    formats,
    created_at: (opts.now?.() ?? new Date()).toISOString(),
    status: opts.status,
    project: opts.projectName ?? null,
    split: { test: opts.testShare, seed: opts.seed, by: "video_sha256" },
    video_root: opts.videoRoot ?? null,
    spec_versions: [...specVersions].sort(),
    perfect_caption_sentinel: PERFECT_CAPTION_SENTINEL,
    tasks: exported,
    videos: videosIn,
    files,
    dataset_info: { name: DATASET_INFO_FILE, sha256: createHash("sha256").update(infoText).digest("hex") },
  };
  await fs.writeFile(path.join(opts.outDir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return { manifest, skippedTasks: skipped };
}
