import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import type { Config } from "../config";
import type { Db } from "../db/index";
import {
  ABLATION_FORMATS,
  CLIPS_FOLDER,
  EXPORT_FORMATS,
  FORMAT_GUIDE,
  PERFECT_CAPTION_SENTINEL,
  RANKING_FORMATS,
  SHAREGPT_FORMATS,
  SPLITS,
  TRL_VIDEO_NOTE,
  exportFileName,
  isAblationFormat,
  llamaFactoryDatasetName,
  type AblationFormat,
  type AblationLeftOut,
  type ChaiRecord,
  type ClipPlacement,
  type ExportFormat,
  type ExportStatus,
  type Manifest,
  type Split,
} from "../../shared/dataset/formats";
import { resolveExistingVideoPath } from "../videos/storage";
import { toChaiRecord } from "./chaiRecord";
import { CameraBenchExport } from "./cameraBenchLabels";
import { ChaiToolExport } from "./chaiToolExport";
import { deriveRecords } from "./derive";
import { clipRecordPath, placeClip, type PlacedBy } from "./media";
import { pseudonymFor, pseudonymForText } from "./pseudonym";
import { PeopleCache, peopleOf, readTaskBundles } from "./read";
import { splitOf } from "./split";
import { JsonlWriter } from "./writer";

export type ExportOptions = {
  format: ExportFormat | "all";
  outDir: string;
  status: ExportStatus;
  /** Share of clips in the test split, 0–1 (0 = no test files). */
  testShare: number;
  /** The split's seed, and the ablation sets' (./ablation.ts). */
  seed: number;
  /** How clips are placed in outDir/videos (./media.ts); a hard link, or a copy where none can be made, by default. */
  clips?: ClipPlacement;
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

const SHAREGPT_TAGS = { role_tag: "role", content_tag: "content", user_tag: "user", assistant_tag: "assistant", system_tag: "system" };

/**
 * LLaMA-Factory's dataset_info.json entries for the sharegpt files written, under llamaFactoryDatasetName: the file
 * is found in `dataset_dir` (the export folder) and its clips in `media_dir` (which defaults to it).
 */
export function datasetInfo(formats: readonly ExportFormat[], splits: readonly Split[]): Record<string, unknown> {
  const info: Record<string, unknown> = {};
  for (const format of formats.filter((f) => SHAREGPT_FORMATS.includes(f))) {
    const ranking = RANKING_FORMATS.includes(format);
    for (const split of splits) {
      info[llamaFactoryDatasetName(format, split)] = {
        file_name: exportFileName(format, split),
        formatting: "sharegpt",
        ...(ranking ? { ranking: true } : {}),
        columns: ranking
          ? { messages: "messages", chosen: "chosen", rejected: "rejected", videos: "videos" }
          : { messages: "messages", videos: "videos" },
        tags: SHAREGPT_TAGS,
      };
    }
  }
  return info;
}

/**
 * Formats laid out as another tool's folder rather than JSON Lines per split: every `chai` record is handed to the
 * writer, which names its files (relative to the folder it was given) when closed. They hold every split ("all").
 */
export type FolderExport = {
  add(record: ChaiRecord): Promise<void>;
  close(): Promise<Array<{ name: string; records: number; bytes: number; sha256: string }>>;
  /** Abandons its files after an error. */
  destroy?(): void;
};
type FolderExportFactory = (outDir: string, createdAt: Date) => FolderExport;

// ─── HOOK (lead): folder formats of the other helpers ──────────────────────────────────────────────────────────────
// `chai-tool` is wired below. To wire another (e.g. "camerabench"), as chai-tool was:
//   1. shared/dataset/formats.ts: add it to EXPORT_FORMATS, a FORMAT_GUIDE line, and a RECORD_SCHEMAS entry
//      (z.unknown(): the folder's files are not JSON Lines records of ours);
//   2. server/dataset/derive.ts deriveRecords: `case "<format>": return { records: [] };` (the folder writer has them);
//   3. here: its factory in FOLDER_EXPORTS; and client/src/features/exports/ExportForm.tsx FORMAT_LABELS.
// The export makes outDir/<format>/ and hands it over, lists its files as "<format>/<name>" with split "all", and
// the export page, the download route and the folder's .tar serve them from the manifest. Records arrive in clip
// order. Their `video` is "videos/<sha256>.<ext>", relative to outDir (one level above the format's folder).
const FOLDER_EXPORTS: Partial<Record<ExportFormat, FolderExportFactory>> = {
  // video_url of a clip without a source URL: its copy in outDir/videos, written relative to outDir/chai-tool.
  "chai-tool": (dir, createdAt) => new ChaiToolExport(dir, createdAt, { recordsRoot: path.dirname(dir) }),
  camerabench: (dir) => new CameraBenchExport(dir),
};
// ────────────────────────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * Writes the export: one JSON Lines file per (format, split), streamed from the database batch by batch, the clips
 * in videos/, then dataset_info.json and, last, manifest.json (its presence means the export finished).
 */
export type ExportResult = {
  manifest: Manifest;
  /** Tasks matching the filter but without an accepted version yet (not in the files, so not in the manifest). */
  skippedTasks: number;
};

const emptyLeftOut = (): AblationLeftOut => ({ no_items: 0, too_few_items: 0, unchanged: 0 });

/** The stored clips of the export, each placed once (tasks arrive in clip order, so the last one decides). */
class ClipPlacer {
  readonly counts: Record<PlacedBy, number> = { hardlink: 0, copy: 0, symlink: 0 };
  count = 0;
  bytes = 0;
  missing = 0;
  private last: { sha256: string; placed: boolean } | null = null;

  constructor(
    private readonly config: Config,
    private readonly outDir: string,
    private readonly placement: ClipPlacement,
  ) {}

  /** Places the clip (once); false when its file is not in storage. */
  async place(video: { sha256: string; storage: "data" | "root"; path: string }, recordPath: string): Promise<boolean> {
    if (this.last?.sha256 === video.sha256) return this.last.placed;
    const source = await resolveExistingVideoPath(this.config, video);
    let placed = false;
    if (source) {
      const by = await placeClip(source, path.join(this.outDir, ...recordPath.split("/")), this.placement);
      this.counts[by]++;
      this.count++;
      this.bytes += (await fs.stat(source)).size;
      placed = true;
    } else {
      this.missing++;
    }
    this.last = { sha256: video.sha256, placed };
    return placed;
  }
}

export async function exportDataset(db: Db, config: Config, opts: ExportOptions): Promise<ExportResult> {
  const formats: ExportFormat[] = opts.format === "all" ? [...EXPORT_FORMATS] : [opts.format];
  const lineFormats = formats.filter((f) => !FOLDER_EXPORTS[f]);
  const splits: Split[] = opts.testShare > 0 ? [...SPLITS] : ["train"];
  const created = opts.now?.() ?? new Date();
  const placement = opts.clips ?? "link";
  await fs.mkdir(opts.outDir, { recursive: true });
  // A stale manifest would vouch for files this run is about to replace.
  await fs.rm(path.join(opts.outDir, MANIFEST_FILE), { force: true });

  const writers = new Map<string, JsonlWriter>();
  for (const format of lineFormats) {
    for (const split of splits) writers.set(`${format}/${split}`, new JsonlWriter(path.join(opts.outDir, exportFileName(format, split))));
  }
  const writerOf = (format: ExportFormat, split: Split) => {
    const w = writers.get(`${format}/${split}`);
    if (!w) throw new Error(`no writer for ${format}/${split}`);
    return w;
  };
  const folders = new Map<ExportFormat, FolderExport>();
  for (const format of formats) {
    const factory = FOLDER_EXPORTS[format];
    if (!factory) continue;
    await fs.mkdir(path.join(opts.outDir, format), { recursive: true });
    folders.set(format, factory(path.join(opts.outDir, format), created));
  }

  const people = new PeopleCache(db);
  const person = (idOrName: string) => {
    const row = people.get(idOrName);
    return row ? pseudonymFor(opts.pseudonymSecret, row) : pseudonymForText(opts.pseudonymSecret, idOrName);
  };
  const clips = new ClipPlacer(config, opts.outDir, placement);
  const leftOut = new Map<AblationFormat, AblationLeftOut>(
    formats.filter(isAblationFormat).map((f) => [f, emptyLeftOut()]),
  );
  const specVersions = new Set<string>();
  const videosIn: Record<Split, number> = { train: 0, test: 0 };
  let exported = 0;
  let skipped = 0;
  let withoutClip = 0;
  let records = 0;
  let lastVideo = "";

  try {
    for await (const bundles of readTaskBundles(db, { status: opts.status, projectName: opts.projectName, batchSize: opts.batchSize, onBatch: opts.onBatch })) {
      await people.load(peopleOf(bundles));
      for (const bundle of bundles) {
        const record = toChaiRecord(bundle, clipRecordPath(bundle.video.sha256, bundle.video.path), person);
        if (!record) {
          skipped++;
          continue;
        }
        // A record whose clip cannot be placed would name a file that is not there: it is left out, and counted.
        if (!(await clips.place(bundle.video, record.video))) {
          withoutClip++;
          continue;
        }
        const split = splitOf(record.video_sha256, opts.testShare, opts.seed);
        if (record.video_sha256 !== lastVideo) {
          videosIn[split]++;
          lastVideo = record.video_sha256;
        }
        specVersions.add(record.spec_version);
        exported++;
        for (const format of lineFormats) {
          const derived = deriveRecords(format, record, { seed: opts.seed });
          if (derived.leftOut && isAblationFormat(format)) {
            const counts = leftOut.get(format);
            if (counts) counts[derived.leftOut]++;
          }
          const w = writerOf(format, split);
          for (const r of derived.records) {
            await w.write(r);
            records++;
          }
        }
        for (const folder of folders.values()) await folder.add(record);
      }
      opts.onProgress?.({ tasks: exported, records });
    }
  } catch (err) {
    for (const w of writers.values()) w.destroy();
    for (const f of folders.values()) f.destroy?.();
    throw err;
  }

  const files: Manifest["files"] = [];
  const forWhom = (format: ExportFormat, split: Split) => ({
    llamafactory: SHAREGPT_FORMATS.includes(format) ? llamaFactoryDatasetName(format, split) : null,
    trl: FORMAT_GUIDE[format].trlTrainer,
  });
  for (const format of formats) {
    const folder = folders.get(format);
    if (folder) {
      for (const f of await folder.close()) {
        files.push({ ...f, name: `${format}/${f.name}`, format, split: "all", carries: FORMAT_GUIDE[format].carries, for: { llamafactory: null, trl: null } });
      }
      continue;
    }
    for (const split of splits) {
      const w = writerOf(format, split);
      const sha256 = await w.close();
      files.push({
        name: exportFileName(format, split),
        format,
        split,
        records: w.records,
        bytes: w.bytes,
        sha256,
        carries: FORMAT_GUIDE[format].carries,
        for: forWhom(format, split),
      });
    }
  }
  const infoText = `${JSON.stringify(datasetInfo(formats, splits), null, 2)}\n`;
  const ablationLeftOut: Manifest["ablation_left_out"] = {};
  for (const f of ABLATION_FORMATS) {
    const counts = leftOut.get(f);
    if (counts) ablationLeftOut[f] = counts;
  }
  await fs.writeFile(path.join(opts.outDir, DATASET_INFO_FILE), infoText);

  const manifest: Manifest = {
    tool: "chai-studio",
    manifest_version: 2,
    format: opts.format,
    formats,
    created_at: created.toISOString(),
    status: opts.status,
    project: opts.projectName ?? null,
    split: { test: opts.testShare, seed: opts.seed, by: "video_sha256" },
    clips: {
      folder: CLIPS_FOLDER,
      placement,
      count: clips.count,
      bytes: clips.bytes,
      hardlinked: clips.counts.hardlink,
      copied: clips.counts.copy,
      symlinked: clips.counts.symlink,
      missing: clips.missing,
      tasks_left_out: withoutClip,
    },
    spec_versions: [...specVersions].sort(),
    perfect_caption_sentinel: PERFECT_CAPTION_SENTINEL,
    tasks: exported,
    videos: videosIn,
    files,
    ablation_left_out: ablationLeftOut,
    trl_note: TRL_VIDEO_NOTE,
    dataset_info: { name: DATASET_INFO_FILE, sha256: createHash("sha256").update(infoText).digest("hex") },
  };
  await fs.writeFile(path.join(opts.outDir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return { manifest, skippedTasks: skipped };
}
