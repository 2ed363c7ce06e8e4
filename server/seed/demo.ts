import fs from "node:fs/promises";
import path from "node:path";
import { count, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { audit } from "../audit";
import { hashPassword } from "../auth/password";
import type { Config } from "../config";
import type { Db } from "../db";
import { projects, tasks, users } from "../db/schema";
import { importVideo } from "../videos/importer";
import { fromRoot } from "../repoRoot";
import { ASPECTS, type Role } from "../../shared/domain";
import { STAGES, type Stage } from "../../shared/domain/stages";

/** The repo's committed demo clips and their manifest. */
export const DEMO_CLIPS_DIR = fromRoot("demo/clips");
export const DEMO_PASSWORD = "demo";
export const DEMO_PROJECT = "Demo";

/** The demo people of DESIGN.md. */
type DemoUser = { key: string; email: string; displayName: string; role: Role };
const demoUser = (key: string, displayName: string, role: Role): DemoUser => ({ key, email: `${key}@demo.test`, displayName, role });
export const DEMO_USERS: readonly DemoUser[] = [
  demoUser("annotator", "Ada Annotator", "annotator"),
  demoUser("annotator2", "Ben Annotator", "annotator"),
  demoUser("reviewer", "Rae Reviewer", "reviewer"),
  demoUser("trainer", "Tom Trainer", "trainer"),
  demoUser("trainee", "Tia Trainee", "trainee"),
  demoUser("lead", "Lee Lead", "lead"),
  demoUser("admin", "Ash Admin", "admin"),
];

/**
 * The stages demo tasks are spread over, in workflow order: every stage but refining. The reviewer is on the
 * submitted-and-later ones.
 */
export const DEMO_STAGE_SPREAD: readonly Stage[] = STAGES.filter((s) => s !== "refining");
const REVIEWED_STAGES: readonly Stage[] = STAGES.slice(STAGES.indexOf("submitted"));
const DEMO_ASSIGNEES = ["annotator", "annotator2", "trainee"] as const;

export const DemoManifest = z.object({
  clips: z
    .array(
      z.object({
        // A bare file name beside the manifest: the manifest cannot point anywhere else.
        file: z.string().regex(/^[\w.-]+\.(webm|mp4)$/i),
        title: z.string().min(1).max(200),
        camera: z.string().max(100).optional(),
        description: z.string().max(4000).optional(),
        durationSec: z.number().positive().optional(),
        fps: z.number().positive().optional(),
        width: z.number().int().positive().optional(),
        height: z.number().int().positive().optional(),
      }),
    )
    .min(1)
    .max(50),
});
export type DemoManifest = z.infer<typeof DemoManifest>;

export type SeedOptions = {
  /** Folder holding manifest.json and the clips (tests pass a temp folder). */
  clipsDir?: string;
  /** The spec version stamped on every task; asked only when seeding actually happens. */
  specVersion: () => Promise<string>;
  log?: (line: string) => void;
};

export type SeedResult =
  | { seeded: false; reason: "demo_off" | "not_empty" }
  | { seeded: true; users: number; videos: number; tasks: number };

async function userCount(db: Db): Promise<number> {
  const [row] = await db.select({ n: count() }).from(users);
  return row?.n ?? 0;
}

export async function readDemoManifest(clipsDir: string): Promise<DemoManifest> {
  const file = path.join(clipsDir, "manifest.json");
  const text = await fs.readFile(file, "utf8");
  const parsed = DemoManifest.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`${file} is not a valid demo manifest: ${parsed.error.message}`);
  return parsed.data;
}

/**
 * Seeds the demo on an empty database (no users) when config.demo is on; never seeds twice. Everything is written
 * in one transaction under an advisory lock, so two processes starting at once on one database seed once.
 */
export async function seedDemo(db: Db, config: Config, opts: SeedOptions): Promise<SeedResult> {
  if (!config.demo) return { seeded: false, reason: "demo_off" };
  if ((await userCount(db)) > 0) return { seeded: false, reason: "not_empty" };
  const log = opts.log ?? ((line: string) => console.log(line));
  const clipsDir = opts.clipsDir ?? DEMO_CLIPS_DIR;
  const manifest = await readDemoManifest(clipsDir);
  const specVersion = await opts.specVersion();
  const hashes = await Promise.all(DEMO_USERS.map(() => hashPassword(DEMO_PASSWORD)));

  const result = await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(7263514)`);
    if ((await userCount(tx)) > 0) return null;

    const inserted = await tx
      .insert(users)
      .values(DEMO_USERS.map((u, i) => ({ email: u.email, displayName: u.displayName, role: u.role, passwordHash: hashes[i] ?? "" })))
      .returning({ id: users.id, email: users.email });
    const idOf = (key: string) => {
      const email = DEMO_USERS.find((u) => u.key === key)?.email;
      const id = inserted.find((u) => u.email === email)?.id;
      if (!id) throw new Error(`demo user ${key} missing`);
      return id;
    };

    const [existing] = await tx.select().from(projects).where(eq(projects.name, DEMO_PROJECT)).limit(1);
    const project = existing ?? (await tx.insert(projects).values({ name: DEMO_PROJECT }).returning())[0];
    if (!project) throw new Error("could not create the demo project");

    const base = Date.now() - 24 * 3600 * 1000;
    let k = 0;
    const taskRows: (typeof tasks.$inferInsert)[] = [];
    for (const [i, clip] of manifest.clips.entries()) {
      const { video } = await importVideo(tx, config, {
        file: path.join(clipsDir, clip.file),
        projectId: project.id,
        title: clip.title,
        description: clip.description ?? null,
        known: { durationSec: clip.durationSec, fps: clip.fps, width: clip.width, height: clip.height },
      });
      for (const [j, aspect] of ASPECTS.entries()) {
        const n = i * ASPECTS.length + j;
        const stage = DEMO_STAGE_SPREAD[n % DEMO_STAGE_SPREAD.length] ?? "labelling";
        const reviewed = REVIEWED_STAGES.includes(stage);
        // Staggered times give every list a meaningful order (oldest submitted first in the review queue).
        const at = (minutes: number) => new Date(base + (k * 10 + minutes) * 60_000);
        taskRows.push({
          projectId: project.id,
          videoId: video.id,
          aspect,
          stage,
          annotatorId: idOf(DEMO_ASSIGNEES[n % DEMO_ASSIGNEES.length] ?? "annotator"),
          reviewerId: reviewed ? idOf("reviewer") : null,
          specVersion,
          createdAt: at(0),
          updatedAt: at(reviewed ? 5 : 1),
          submittedAt: reviewed ? at(4) : null,
          reviewedAt: stage === "approved" || stage === "rejected" ? at(5) : null,
        });
        k++;
      }
    }
    await tx.insert(tasks).values(taskRows);
    await audit(tx, {
      actorId: null,
      action: "demo.seed",
      entityType: "project",
      entityId: project.id,
      data: { users: inserted.length, videos: manifest.clips.length, tasks: taskRows.length, specVersion },
    });
    return { users: inserted.length, videos: manifest.clips.length, tasks: taskRows.length };
  });

  if (!result) return { seeded: false, reason: "not_empty" };
  log(
    `[seed] Demo data created: ${result.users} users (${DEMO_USERS.map((u) => u.email).join(", ")}), ` +
      `${result.videos} clips, ${result.tasks} tasks.`,
  );
  log(`[seed] DEMO-ONLY credentials: every demo user's password is "${DEMO_PASSWORD}". Start with DEMO=0 for real use.`);
  return { seeded: true, ...result };
}

/** True when the database holds the demo accounts (start-up reminds that their password is public). */
export async function hasDemoUsers(db: Db): Promise<boolean> {
  const [row] = await db.select({ id: users.id }).from(users).where(eq(users.email, "admin@demo.test")).limit(1);
  return row !== undefined;
}
