import { createHash, randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { eq } from "drizzle-orm";
import type { Config } from "../config";
import type { Db } from "../db";
import { videos } from "../db/schema";
import { probeVideo, type ProbeResult } from "./probe";
import { isInside, videoMimeType, videosDir } from "./storage";

export type VideoRow = typeof videos.$inferSelect;

export type ImportVideoInput = {
  /** Absolute or cwd-relative path of the clip on this machine (an operator's argument, never a request's). */
  file: string;
  projectId: string;
  /** Keep the file where it is (it must be under VIDEO_ROOT) instead of copying it into DATA_DIR/videos. */
  link?: boolean;
  title?: string;
  description?: string | null;
  /** Where the clip came from, by its own name (videos.source_name); absent: the file's name, null: unknown. */
  sourceName?: string | null;
  /** Known metadata (the demo manifest); anything missing is probed. */
  known?: Partial<ProbeResult>;
};

export type ImportVideoResult = { video: VideoRow; created: boolean };

export class ImportError extends Error {}

/** SHA-256 of a file, streamed. */
export async function sha256File(file: string): Promise<string> {
  const hash = createHash("sha256");
  await pipeline(createReadStream(file), hash);
  return hash.digest("hex");
}

/** Copies a file while hashing it in the same pass; returns the hex digest. */
async function copyHashing(from: string, to: string): Promise<string> {
  const hash = createHash("sha256");
  const tap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      done(null, chunk);
    },
  });
  await pipeline(createReadStream(from), tap, createWriteStream(to, { flags: "wx" }));
  return hash.digest("hex");
}

/** A title from a file name: "pan_left-02.webm" → "pan left 02". */
export function titleFromFile(file: string): string {
  return path.basename(file, path.extname(file)).replace(/[_-]+/g, " ").trim() || "untitled";
}

/**
 * Registers one clip. Copies land in DATA_DIR/videos as `<sha256><ext>`; a clip whose sha256 is already known is
 * not imported again (created = false, the existing row is returned).
 */
export async function importVideo(db: Db, config: Config, input: ImportVideoInput): Promise<ImportVideoResult> {
  const source = path.resolve(input.file);
  const mimeType = videoMimeType(source);
  if (!mimeType) throw new ImportError(`${input.file}: only .webm, .mp4 and .m4v clips can be imported.`);
  const stat = await fs.stat(source).catch(() => null);
  if (!stat?.isFile()) throw new ImportError(`${input.file}: not a file.`);

  let sha256: string;
  let storage: "data" | "root";
  let storedPath: string;
  let tempFile: string | null = null;
  if (input.link) {
    if (!config.videoRoot) throw new ImportError("--link needs VIDEO_ROOT to be set.");
    const [realRoot, realFile] = await Promise.all([fs.realpath(config.videoRoot), fs.realpath(source)]);
    if (!isInside(realRoot, realFile)) throw new ImportError(`${input.file}: not under VIDEO_ROOT (${config.videoRoot}).`);
    sha256 = await sha256File(realFile);
    storage = "root";
    storedPath = path.relative(realRoot, realFile);
  } else {
    const dir = videosDir(config);
    await fs.mkdir(dir, { recursive: true });
    tempFile = path.join(dir, `.import-${randomBytes(6).toString("hex")}`);
    sha256 = await copyHashing(source, tempFile);
    storage = "data";
    storedPath = `${sha256}${path.extname(source).toLowerCase()}`;
  }

  try {
    const [existing] = await db.select().from(videos).where(eq(videos.sha256, sha256)).limit(1);
    if (existing) {
      // The row survived but the data folder lost its copy: put this copy back.
      const kept = path.join(videosDir(config), existing.path);
      if (tempFile && existing.storage === "data" && !(await fs.stat(kept).catch(() => null))) {
        await fs.rename(tempFile, kept);
        tempFile = null;
      }
      return { video: existing, created: false };
    }

    if (tempFile) await fs.rename(tempFile, path.join(videosDir(config), storedPath));
    tempFile = null;
    // The caller may already have read everything (an upload is inspected before it is registered).
    const knownAll = (["durationSec", "fps", "width", "height"] as const).every((k) => input.known?.[k] != null);
    const probed = knownAll ? null : await probeVideo(source);
    const meta = (k: keyof ProbeResult) => input.known?.[k] ?? probed?.[k] ?? null;
    const [video] = await db
      .insert(videos)
      .values({
        projectId: input.projectId,
        title: input.title ?? titleFromFile(source),
        description: input.description ?? null,
        sourceName: input.sourceName === undefined ? path.basename(source) : input.sourceName,
        storage,
        path: storedPath,
        mimeType,
        sizeBytes: stat.size,
        durationSec: meta("durationSec"),
        fps: meta("fps"),
        width: meta("width"),
        height: meta("height"),
        sha256,
      })
      // A concurrent import of the same clip: keep theirs.
      .onConflictDoNothing({ target: videos.sha256 })
      .returning();
    if (video) return { video, created: true };
    const [theirs] = await db.select().from(videos).where(eq(videos.sha256, sha256)).limit(1);
    if (!theirs) throw new ImportError(`${input.file}: could not register the clip.`);
    return { video: theirs, created: false };
  } finally {
    if (tempFile) await fs.rm(tempFile, { force: true });
  }
}

/** The clips of a folder (not recursive into hidden folders), or the one file given; sorted for stable output. */
export async function listClips(target: string): Promise<string[]> {
  const abs = path.resolve(target);
  const stat = await fs.stat(abs).catch(() => null);
  if (!stat) throw new ImportError(`${target}: no such file or folder.`);
  if (stat.isFile()) return [abs];
  const out: string[] = [];
  const walk = async (dir: string) => {
    for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
      if (entry.name.startsWith(".")) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile() && videoMimeType(full)) out.push(full);
    }
  };
  await walk(abs);
  return out.sort();
}
