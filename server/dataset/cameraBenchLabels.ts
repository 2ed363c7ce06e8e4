import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import type { Aspect } from "../../shared/domain";
import type { Label } from "../../shared/labels";
import type { ChaiRecord } from "../../shared/dataset/formats";
import {
  CAMERABENCH_EXPORT_IDS,
  CAMERABENCH_LABELS,
  cameraBenchAspect,
  cameraBenchIdOfPath,
  cameraBenchView,
  fromCameraBench,
  type CameraBenchInput,
} from "../../shared/captionSpec/cameraBench";

/**
 * CameraBench's per-export label lists (sy77777en/video_annotation_folk video_labels/<export>/, written by its
 * download.py label_video_mapping): labels/<dotted label>.json per label with `label` (the dotted label),
 * `label_name` (display name), `definition` (first definition question), `pos` and `neg` (clip file names);
 * all_labels.json, the labels with both positives and negatives keyed by dotted label, most positives first; and
 * label_names.json, their dotted labels in that order. Files are Python's json.dump(indent=4): non-ASCII escaped, no
 * final newline.
 *
 * The writer takes our `chai` records: camera, spatial and scene records contribute (CameraBench's camera set-up
 * covers shot size, subject framing, point of view and scene movement). A clip is positive for a label when its
 * labels give it (shared/captionSpec/cameraBench.ts), negative when it has labels of the label's aspect that do not,
 * and in neither list when they leave it undecided (not sure, not discernible, not labelled, or after a shot
 * transition), as CameraBench leaves such clips out. Clips are named by file name: the clip files are in the
 * export's videos/ folder.
 */

export type CameraBenchExportFile = { name: string; records: number; bytes: number; sha256: string };

export const CAMERABENCH_LABELS_FOLDER = "labels";
export const CAMERABENCH_ALL_LABELS = "all_labels.json";
export const CAMERABENCH_LABEL_NAMES = "label_names.json";

/** The aspects whose labels CameraBench ids are made from. */
const CONTRIBUTING = new Set<Aspect>(CAMERABENCH_EXPORT_IDS.map((id) => cameraBenchAspect(id)).filter((a): a is Aspect => a !== null));

/** Python's json.dump(value, f, indent=4) with the default ensure_ascii, for JSON without floats. */
export function pyJsonIndent4(value: unknown): string {
  return JSON.stringify(value, null, 4).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

export const CameraBenchLabelFile = z.object({
  label: z.string().min(1),
  label_name: z.string(),
  definition: z.string(),
  pos: z.array(z.string()),
  neg: z.array(z.string()),
});
export type CameraBenchLabelFile = z.infer<typeof CameraBenchLabelFile>;

type ClipEntry = { version: string; labels: CameraBenchInput[] };

export class CameraBenchExport {
  /** Per clip file name, per aspect: the latest version's labels. */
  private readonly clips = new Map<string, Map<Aspect, ClipEntry>>();

  constructor(
    readonly outDir: string,
    // The folder-export factory passes the export's time; CameraBench's layout has nowhere to put it.
    readonly createdAt?: string,
  ) {}

  async add(record: ChaiRecord): Promise<void> {
    if (!CONTRIBUTING.has(record.aspect)) return;
    const name = path.posix.basename(record.video);
    const byAspect = this.clips.get(name) ?? new Map<Aspect, ClipEntry>();
    const held = byAspect.get(record.aspect);
    // Two records of one clip and aspect (two projects): the later version speaks for the clip.
    if (held && held.version > record.version_created_at) return;
    byAspect.set(record.aspect, {
      version: record.version_created_at,
      labels: record.primitives.map((p) => ({ primitiveId: p.primitive_id, value: p.value, notSure: p.not_sure })),
    });
    this.clips.set(name, byAspect);
  }

  async close(): Promise<CameraBenchExportFile[]> {
    const pos = new Map<string, string[]>(CAMERABENCH_EXPORT_IDS.map((id) => [id, []]));
    const neg = new Map<string, string[]>(CAMERABENCH_EXPORT_IDS.map((id) => [id, []]));
    for (const name of [...this.clips.keys()].sort()) {
      const byAspect = this.clips.get(name)!;
      const view = cameraBenchView([...byAspect.values()].flatMap((e) => e.labels));
      const positive = new Set(view.positive);
      const unknown = new Set(view.unknown);
      for (const id of CAMERABENCH_EXPORT_IDS) {
        if (positive.has(id)) pos.get(id)!.push(name);
        else if (!unknown.has(id) && byAspect.has(cameraBenchAspect(id)!)) neg.get(id)!.push(name);
      }
    }

    const files: CameraBenchExportFile[] = [];
    const write = async (name: string, text: string, records: number) => {
      const bytes = Buffer.from(text, "utf8");
      await fs.writeFile(path.join(this.outDir, name), bytes);
      files.push({ name, records, bytes: bytes.length, sha256: createHash("sha256").update(bytes).digest("hex") });
    };
    await fs.mkdir(path.join(this.outDir, CAMERABENCH_LABELS_FOLDER), { recursive: true });
    const entries: CameraBenchLabelFile[] = [];
    const ids = [...CAMERABENCH_EXPORT_IDS].sort((a, b) => (pathOf(a) < pathOf(b) ? -1 : 1));
    for (const id of ids) {
      const meta = CAMERABENCH_LABELS[id];
      if (!meta) throw new Error(`no CameraBench label metadata for "${id}"`);
      const entry: CameraBenchLabelFile = { label: meta.path, label_name: meta.name, definition: meta.definition, pos: pos.get(id)!, neg: neg.get(id)! };
      entries.push(entry);
      await write(`${CAMERABENCH_LABELS_FOLDER}/${meta.path}.json`, pyJsonIndent4(entry), entry.pos.length + entry.neg.length);
    }
    // As CameraBench: only labels with positives and negatives are listed, most positives first (a stable sort).
    const listed = entries.filter((e) => e.pos.length > 0 && e.neg.length > 0).sort((a, b) => b.pos.length - a.pos.length);
    await write(CAMERABENCH_ALL_LABELS, pyJsonIndent4(Object.fromEntries(listed.map((e) => [e.label, e]))), listed.length);
    await write(CAMERABENCH_LABEL_NAMES, pyJsonIndent4(listed.map((e) => e.label)), listed.length);
    return files;
  }
}

const pathOf = (id: string) => CAMERABENCH_LABELS[id]?.path ?? id;

/** One clip in a CameraBench label folder: the ids it is positive and negative for. */
export type CameraBenchClip = { positive: string[]; negative: string[] };

export class CameraBenchReadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CameraBenchReadError";
  }
}

/**
 * Reads a CameraBench label folder (an export of ours, or one of CameraBench's video_labels/<export>/): DIR/labels/*.json,
 * or DIR itself when it holds the label files. Returns per clip file name the ids it is positive and negative for,
 * sorted; ids are CameraBench's (the dotted label's last part, file names mapped to ids where they differ), whether
 * or not our table knows them.
 */
export async function readCameraBenchLabels(dir: string): Promise<Map<string, CameraBenchClip>> {
  const nested = path.join(dir, CAMERABENCH_LABELS_FOLDER);
  const folder = (await isDirectory(nested)) ? nested : dir;
  const names = (await fs.readdir(folder)).filter((n) => n.endsWith(".json")).sort();
  const clips = new Map<string, { positive: Set<string>; negative: Set<string> }>();
  const clip = (name: string) => {
    let c = clips.get(name);
    if (!c) clips.set(name, (c = { positive: new Set(), negative: new Set() }));
    return c;
  };
  let read = 0;
  for (const name of names) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(await fs.readFile(path.join(folder, name), "utf8"));
    } catch (err) {
      throw new CameraBenchReadError(`${name}: not JSON (${err instanceof Error ? err.message : String(err)})`);
    }
    const file = CameraBenchLabelFile.safeParse(parsed);
    // all_labels.json and label_names.json may sit beside the label files: they are not labels.
    if (!file.success) {
      if (name === CAMERABENCH_ALL_LABELS || name === CAMERABENCH_LABEL_NAMES) continue;
      throw new CameraBenchReadError(`${name}: not a CameraBench label file (${file.error.issues[0]?.message ?? "invalid"})`);
    }
    const id = cameraBenchIdOfPath(file.data.label);
    for (const v of file.data.pos) clip(v).positive.add(id);
    for (const v of file.data.neg) clip(v).negative.add(id);
    read++;
  }
  if (read === 0) throw new CameraBenchReadError(`no CameraBench label files in ${folder}`);
  return new Map([...clips].map(([name, c]) => [name, { positive: [...c.positive].sort(), negative: [...c.negative].sort() }]));
}

/** Our labels for each clip of a CameraBench label folder (shared/captionSpec/cameraBench.ts fromCameraBench). */
export async function readCameraBenchAsLabels(dir: string): Promise<Map<string, Label[]>> {
  const clips = await readCameraBenchLabels(dir);
  return new Map([...clips].map(([name, c]) => [name, fromCameraBench(c.positive, c.negative)]));
}

async function isDirectory(p: string): Promise<boolean> {
  try {
    return (await fs.stat(p)).isDirectory();
  } catch {
    return false;
  }
}
