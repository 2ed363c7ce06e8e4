import { createHash } from "node:crypto";
import { once } from "node:events";
import { createWriteStream, type WriteStream } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import type { ChaiRecord } from "../../shared/dataset/formats";
import {
  CHAI_TOOL_FILES,
  CHAI_TOOL_STATISTICS_CODES,
  chaiToolStamp,
  chaiToolTime,
  type ChaiToolTaskEntryOut,
  type ChaiToolVideoOut,
} from "../../shared/dataset/chaiTool";
import { toChaiToolVideo } from "./chaiTool";

/**
 * The CHAI annotation tool's export flavour (caption/export.py): the `chai` records, grouped by clip, become the
 * tool's video objects, written as it writes them — JSON arrays indented by 2 with non-ASCII escaped (Python's
 * json.dump(indent=2)) — into all_videos_with_captions_<ts>.json (a video with any task past not_completed),
 * reviewed_videos_<ts>.json (any task approved or rejected; these are in the first file too) and
 * not_completed_videos_<ts>.json (every task not_completed); a file with no video is not written, as the tool does.
 * comprehensive_statistics_<ts>.json follows generate_comprehensive_statistics, key order and quirks included.
 * The arrays are streamed: one clip's records are held at a time. A clip without a source URL is named by the
 * export's copy of it, relative to the folder the tool files are in (server/dataset/chaiTool.ts chaiToolClip).
 */

export type ChaiToolExportFile = { name: string; records: number; bytes: number; sha256: string };

/** Python's json.dumps default (ensure_ascii): every character outside printable ASCII as \uXXXX. */
const pyAscii = (json: string) => json.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);

/** Python's json.dumps(value, indent=2) for JSON values without floats (the tool's video objects). */
export const pyJsonDumps = (value: unknown): string => pyAscii(JSON.stringify(value, null, 2));

/** A JSON array written element by element, formatted as Python's json.dump(list, f, indent=2). */
class JsonArrayWriter {
  private stream: WriteStream | null = null;
  private readonly hash = createHash("sha256");
  records = 0;
  bytes = 0;

  constructor(readonly file: string) {}

  private async put(text: string): Promise<void> {
    const chunk = Buffer.from(text, "utf8");
    this.hash.update(chunk);
    this.bytes += chunk.length;
    this.stream ??= createWriteStream(this.file, { flags: "w" });
    if (!this.stream.write(chunk)) await once(this.stream, "drain");
  }

  async write(value: unknown): Promise<void> {
    const body = pyJsonDumps(value).replace(/\n/g, "\n  ");
    await this.put(`${this.records === 0 ? "[\n" : ",\n"}  ${body}`);
    this.records++;
  }

  /** Ends the array; null when nothing was written (no file). */
  async close(): Promise<ChaiToolExportFile | null> {
    if (this.records === 0) return null;
    await this.put("\n]");
    const stream = this.stream;
    if (stream) {
      stream.end();
      await once(stream, "finish");
    }
    return { name: path.basename(this.file), records: this.records, bytes: this.bytes, sha256: this.hash.digest("hex") };
  }

  destroy(): void {
    this.stream?.destroy();
  }
}

/** A float Python writes with a fractional part ("40.0"): marked while serialising, then written out. */
class PyFloat {
  constructor(readonly value: number) {}
}
const FLOAT_MARK = "@@pyfloat@@";
/** Python's repr of a float: shortest digits, ".0" on whole numbers, exponent form below 1e-4 and from 1e16. */
export function pyFloatText(x: number): string {
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-4 || a >= 1e16)) return x.toExponential().replace(/e([+-])(\d)$/, "e$10$2");
  return Number.isInteger(x) ? `${x}.0` : String(x);
}

/** Per caption code, what generate_comprehensive_statistics gathers, in the order it gathers it. */
type CodeStats = {
  statuses: Map<string, number>;
  workflows: Map<string, number>;
  initialRatings: number[];
  finalRatings: number[];
  /** Which ratings list this code appended to first ("initial" when a task had both). */
  firstRating: "initial" | "final" | null;
};

export type ChaiToolExportOptions = {
  /** The folder the records' `video` paths are relative to (the export folder, one above this one); default: outDir. */
  recordsRoot?: string;
};

export class ChaiToolExport {
  private readonly stamp: string;
  private readonly all: JsonArrayWriter;
  private readonly reviewed: JsonArrayWriter;
  private readonly notCompleted: JsonArrayWriter;
  private readonly codes = new Map<string, CodeStats>(CHAI_TOOL_STATISTICS_CODES.map((c) => [c, { statuses: new Map(), workflows: new Map(), initialRatings: [], finalRatings: [], firstRating: null }]));
  private clip: ChaiRecord[] = [];
  private readonly seen = new Set<string>();
  private readonly clipPath: (video: string) => string;
  private videos = 0;
  private completedTasks = 0;
  private reviewedTasks = 0;
  /** Records not written because another task of the same clip and aspect was (overlap: the tool has one entry). */
  dropped = 0;

  constructor(
    readonly outDir: string,
    readonly createdAt: Date,
    opts: ChaiToolExportOptions = {},
  ) {
    const root = opts.recordsRoot ?? outDir;
    // A record's path is "/"-separated; so is the one written, wherever this runs.
    this.clipPath = (video) => path.relative(outDir, path.join(root, ...video.split("/"))).split(path.sep).join("/");
    this.stamp = chaiToolStamp(createdAt);
    this.all = new JsonArrayWriter(path.join(outDir, CHAI_TOOL_FILES.all(this.stamp)));
    this.reviewed = new JsonArrayWriter(path.join(outDir, CHAI_TOOL_FILES.reviewed(this.stamp)));
    this.notCompleted = new JsonArrayWriter(path.join(outDir, CHAI_TOOL_FILES.notCompleted(this.stamp)));
  }

  /** Adds a record; records arrive grouped by clip (video_sha256), so a clip is written when the next one starts. */
  async add(record: ChaiRecord): Promise<void> {
    const current = this.clip[0];
    if (current && current.video_sha256 !== record.video_sha256) await this.flush();
    if (this.clip.length === 0) {
      // A clip met again would become a second video object with the same video_id.
      if (this.seen.has(record.video_sha256)) throw new Error(`records of clip ${record.video_sha256} are not grouped together`);
      this.seen.add(record.video_sha256);
    }
    this.clip.push(record);
  }

  private async flush(): Promise<void> {
    if (this.clip.length === 0) return;
    const { video, dropped } = toChaiToolVideo(this.clip, this.clipPath);
    this.clip = [];
    this.dropped += dropped;
    this.count(video);
    const entries = Object.values(video.captions);
    const statusOf = (e: ChaiToolTaskEntryOut | undefined) => e?.status ?? "not_completed";
    // export.py organize_by_completion_level
    if (entries.every((e) => statusOf(e) === "not_completed")) {
      await this.notCompleted.write(video);
      return;
    }
    await this.all.write(video);
    if (entries.some((e) => statusOf(e) === "approved" || statusOf(e) === "rejected")) await this.reviewed.write(video);
  }

  private count(video: ChaiToolVideoOut): void {
    this.videos++;
    for (const [code, entry] of Object.entries(video.captions)) {
      const s = this.codes.get(code);
      if (!s || !entry) continue;
      s.statuses.set(entry.status, (s.statuses.get(entry.status) ?? 0) + 1);
      if (entry.status !== "not_completed") this.completedTasks++;
      if (entry.status === "approved" || entry.status === "rejected") this.reviewedTasks++;
      if (!("caption_data" in entry)) continue;
      const d = entry.caption_data;
      s.workflows.set(d.workflow_type, (s.workflows.get(d.workflow_type) ?? 0) + 1);
      if (d.initial_caption_rating_score !== null) s.initialRatings.push(d.initial_caption_rating_score);
      if (d.caption_rating_score !== null) s.finalRatings.push(d.caption_rating_score);
      s.firstRating ??= d.initial_caption_rating_score !== null ? "initial" : d.caption_rating_score !== null ? "final" : null;
    }
  }

  /** generate_comprehensive_statistics, in its key order (dicts keep the order keys were first made). */
  private statistics(): string {
    const codes = [...this.codes.values()];
    const workflow = new Map<string, number>();
    for (const s of codes) for (const [k, n] of s.workflows) workflow.set(k, (workflow.get(k) ?? 0) + n);
    const initial = codes.flatMap((s) => s.initialRatings);
    const final = codes.flatMap((s) => s.finalRatings);
    // quality_metrics is a defaultdict(list): a list exists once appended to, or once the averages test it.
    const quality: Record<string, unknown> = {};
    const first = codes.find((s) => s.firstRating)?.firstRating ?? null;
    // Made during the loop, the first-appended list first …
    if (first === "final") quality.final_ratings = final;
    if (initial.length > 0) quality.initial_ratings = initial;
    if (final.length > 0) quality.final_ratings = final;
    // … and after it, by the tests for the averages (assigning an existing key keeps its place).
    quality.initial_ratings = initial;
    if (initial.length > 0) quality.avg_initial_rating = new PyFloat(initial.reduce((a, b) => a + b, 0) / initial.length);
    quality.final_ratings = final;
    if (final.length > 0) quality.avg_final_rating = new PyFloat(final.reduce((a, b) => a + b, 0) / final.length);

    const possible = this.videos * CHAI_TOOL_STATISTICS_CODES.length;
    const stats = {
      export_timestamp: chaiToolTime(this.createdAt.toISOString()),
      total_videos: this.videos,
      task_completion_summary: {
        total_possible_tasks: possible,
        completed_tasks: this.completedTasks,
        reviewed_tasks: this.reviewedTasks,
        // The tool divides by zero on an empty export (it exits before, finding no video); we write 0.0.
        completion_rate: new PyFloat(possible > 0 ? (this.completedTasks / possible) * 100 : 0),
        // An int 0 in the tool when nothing is completed.
        review_rate: this.completedTasks > 0 ? new PyFloat((this.reviewedTasks / this.completedTasks) * 100) : 0,
      },
      workflow_analysis: Object.fromEntries(workflow),
      quality_metrics: quality,
      completion_by_task: Object.fromEntries(CHAI_TOOL_STATISTICS_CODES.map((c) => [c, Object.fromEntries(this.codes.get(c)?.statuses ?? [])])),
    };
    const json = JSON.stringify(stats, (_k, v: unknown) => (v instanceof PyFloat ? `${FLOAT_MARK}${pyFloatText(v.value)}` : v), 2);
    return pyAscii(json.replace(new RegExp(`"${FLOAT_MARK}([^"]*)"`, "g"), "$1"));
  }

  /** Writes the last clip, ends the arrays and writes the statistics; returns the files written, in that order. */
  async close(): Promise<ChaiToolExportFile[]> {
    await this.flush();
    const files: ChaiToolExportFile[] = [];
    for (const w of [this.all, this.reviewed, this.notCompleted]) {
      const f = await w.close();
      if (f) files.push(f);
    }
    const text = this.statistics();
    const name = CHAI_TOOL_FILES.statistics(this.stamp);
    await fs.writeFile(path.join(this.outDir, name), text);
    files.push({ name, records: 1, bytes: Buffer.byteLength(text), sha256: createHash("sha256").update(text).digest("hex") });
    return files;
  }

  /** Abandons the files after an error. */
  destroy(): void {
    for (const w of [this.all, this.reviewed, this.notCompleted]) w.destroy();
  }
}
