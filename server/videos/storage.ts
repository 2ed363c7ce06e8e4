import fs from "node:fs/promises";
import path from "node:path";
import type { Config } from "../config";

export type VideoStorage = "data" | "root";
export type StoredVideoRef = { storage: VideoStorage; path: string };

/** Imported copies live here, named by their sha256. */
export function videosDir(config: Config): string {
  return path.join(config.dataDir, "videos");
}

export function storageRoot(config: Config, storage: VideoStorage): string | null {
  return storage === "data" ? videosDir(config) : (config.videoRoot ?? null);
}

/** True when `target` is `root` itself or inside it (both absolute, normalised). */
export function isInside(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return rel !== "" && !rel.startsWith("..") && !path.isAbsolute(rel);
}

/**
 * The absolute path of a stored video, or null when its root is not configured or the stored path would escape
 * the root. Paths come from our own import, but the check keeps a tampered row from reading arbitrary files.
 */
export function resolveVideoPath(config: Config, video: StoredVideoRef): string | null {
  const root = storageRoot(config, video.storage);
  if (!root || !video.path || path.isAbsolute(video.path) || video.path.includes("\0")) return null;
  const abs = path.resolve(root, video.path);
  return isInside(path.resolve(root), abs) ? abs : null;
}

/** Like resolveVideoPath, and also follows symlinks so a link inside the root cannot point outside it. */
export async function resolveExistingVideoPath(config: Config, video: StoredVideoRef): Promise<string | null> {
  const abs = resolveVideoPath(config, video);
  const root = storageRoot(config, video.storage);
  if (!abs || !root) return null;
  try {
    const [realRoot, realFile] = await Promise.all([fs.realpath(root), fs.realpath(abs)]);
    return isInside(realRoot, realFile) ? realFile : null;
  } catch {
    return null;
  }
}

const MIME_BY_EXT: Record<string, string> = { ".webm": "video/webm", ".mp4": "video/mp4", ".m4v": "video/mp4" };

/** The MIME type of a clip we accept, from its extension; null for anything else. */
export function videoMimeType(file: string): string | null {
  return MIME_BY_EXT[path.extname(file).toLowerCase()] ?? null;
}
