import { doublePrecision, integer, jsonb, pgTable, text, uuid, bigint } from "drizzle-orm/pg-core";
import { createdAt, id } from "./columns";
import type { Aspect } from "../../../shared/domain";

export type ProjectSettings = {
  provider?: string;
  model?: string;
  inputMode?: "video" | "frames" | "text";
  bestOfN?: number;
  disputeWindowHours?: number;
  /** Aspects worked in this project, in the order they are captioned (shared/api/projects.ts ProjectSettingsForm). */
  aspects?: Aspect[];
  /** The reward rules in effect from this day (a version of server/review/rules.ts); null = whatever is current. */
  rewardRulesVersion?: string | null;
  /** Percent of clips given to two annotators, for agreement. */
  overlapShare?: number;
  /** Percent of a trainee's tasks that are attempts at gold tasks. */
  goldShare?: number;
  /** Percent of clips in an export's test split. */
  testShare?: number;
  /** The caption spec version new tasks are made with. */
  specVersion?: string;
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
  /** Where the clip came from, by its own name: an upload's file name, an imported record's URL or path. */
  sourceName: text("source_name"),
  createdAt: createdAt(),
});
