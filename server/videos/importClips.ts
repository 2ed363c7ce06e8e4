import path from "node:path";
import { and, eq, isNull } from "drizzle-orm";
import type { Config } from "../config";
import type { Db } from "../db";
import { projects, tasks, users } from "../db/schema";
import { audit } from "../audit";
import { ASPECTS, Aspect } from "../../shared/domain";
import { importVideo, listClips, ImportError } from "./importer";

export type ImportClipsOptions = {
  target: string;
  projectName: string;
  /** Aspects to create tasks for; empty = register the clips only. */
  aspects: Aspect[];
  annotatorEmail?: string;
  link: boolean;
  /** Asked only when tasks are created. */
  specVersion: () => Promise<string>;
  log: (line: string) => void;
};

export type ImportClipsSummary = { imported: number; skipped: number; failed: number; tasksCreated: number };

/** "all" → every aspect; "motion,camera" → those; anything else is an error naming the bad value. */
export function parseAspects(value: string | undefined): Aspect[] {
  if (!value) return [];
  if (value === "all") return [...ASPECTS];
  return value.split(",").map((s) => {
    const a = Aspect.safeParse(s.trim());
    if (!a.success) throw new ImportError(`Unknown aspect "${s}". Aspects: all, ${ASPECTS.join(", ")}.`);
    return a.data;
  });
}

/** The work of `chai import`: register clips, skip known ones, optionally create tasks per aspect. */
export async function importClips(db: Db, config: Config, opts: ImportClipsOptions): Promise<ImportClipsSummary> {
  const files = await listClips(opts.target);
  if (files.length === 0) throw new ImportError(`${opts.target}: no .webm/.mp4 clips found.`);

  let annotatorId: string | null = null;
  if (opts.annotatorEmail) {
    const [u] = await db.select({ id: users.id }).from(users).where(eq(users.email, opts.annotatorEmail.toLowerCase())).limit(1);
    if (!u) throw new ImportError(`No user with email ${opts.annotatorEmail} (create one with: users add).`);
    annotatorId = u.id;
  }
  const specVersion = opts.aspects.length > 0 ? await opts.specVersion() : "";

  await db.insert(projects).values({ name: opts.projectName }).onConflictDoNothing({ target: projects.name });
  const [project] = await db.select().from(projects).where(eq(projects.name, opts.projectName)).limit(1);
  if (!project) throw new ImportError(`Could not create project ${opts.projectName}.`);

  const summary: ImportClipsSummary = { imported: 0, skipped: 0, failed: 0, tasksCreated: 0 };
  for (const file of files) {
    const shown = path.relative(process.cwd(), file) || file;
    try {
      const { video, created } = await importVideo(db, config, { file, projectId: project.id, link: opts.link });
      if (created) {
        summary.imported++;
        const meta = video.durationSec ? `${video.durationSec.toFixed(2)} s, ${video.fps?.toFixed(2) ?? "?"} fps` : "not probed";
        opts.log(`imported  ${shown} → ${video.id} (${meta})`);
        await audit(db, { actorId: null, action: "video.import", entityType: "video", entityId: video.id, data: { sha256: video.sha256 } });
      } else {
        summary.skipped++;
        opts.log(`skipped   ${shown}: already imported as ${video.id} ("${video.title}")`);
      }
      for (const aspect of opts.aspects) {
        // One task per video × aspect × annotator: re-running the import does not duplicate tasks.
        const [existing] = await db
          .select({ id: tasks.id })
          .from(tasks)
          .where(
            and(
              eq(tasks.videoId, video.id),
              eq(tasks.aspect, aspect),
              annotatorId ? eq(tasks.annotatorId, annotatorId) : isNull(tasks.annotatorId),
            ),
          )
          .limit(1);
        if (existing) continue;
        const [task] = await db
          .insert(tasks)
          .values({ projectId: video.projectId, videoId: video.id, aspect, annotatorId, specVersion })
          .returning({ id: tasks.id });
        if (task) {
          summary.tasksCreated++;
          await audit(db, { actorId: null, action: "task.create", entityType: "task", entityId: task.id, data: { aspect, videoId: video.id } });
        }
      }
    } catch (err) {
      if (!(err instanceof ImportError)) throw err;
      summary.failed++;
      opts.log(`failed    ${shown}: ${err.message}`);
    }
  }
  opts.log(
    `Done: ${summary.imported} imported, ${summary.skipped} already known, ${summary.failed} failed, ` +
      `${summary.tasksCreated} tasks created (project "${project.name}").`,
  );
  return summary;
}
