import { doublePrecision, integer, jsonb, pgTable, text, uuid, bigint } from "drizzle-orm/pg-core";
import { createdAt, id } from "./columns";

export type ProjectSettings = {
  provider?: string;
  model?: string;
  inputMode?: "video" | "frames" | "text";
  bestOfN?: number;
  disputeWindowHours?: number;
};

export const projects = pgTable("projects", {
  id: id(),
  name: text("name").notNull().unique(),
  settings: jsonb("settings").$type<ProjectSettings>().notNull().default({}),
  createdAt: createdAt(),
});

/**
 * A clip. `storage` says where `path` is resolved: "data" = relative to DATA_DIR/videos, "root" = relative to the
 * configured video root. Paths are written by the server (import), never taken from a request.
 */
export const videos = pgTable("videos", {
  id: id(),
  projectId: uuid("project_id")
    .notNull()
    .references(() => projects.id),
  title: text("title").notNull(),
  storage: text("storage").$type<"data" | "root">().notNull(),
  path: text("path").notNull(),
  mimeType: text("mime_type").notNull(),
  sizeBytes: bigint("size_bytes", { mode: "number" }).notNull(),
  durationSec: doublePrecision("duration_sec"),
  fps: doublePrecision("fps"),
  width: integer("width"),
  height: integer("height"),
  sha256: text("sha256").notNull().unique(),
  description: text("description"),
  createdAt: createdAt(),
});
