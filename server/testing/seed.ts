import { randomBytes, randomUUID } from "node:crypto";
import { hashPassword } from "../auth/password";
import { SESSION_COOKIE, createSession } from "../auth/sessions";
import type { Db } from "../db/index";
import { projects, tasks, users, videos } from "../db/schema/index";
import type { ProjectSettings } from "../db/schema/media";
import type { Aspect, Role } from "../../shared/domain";
import type { Stage } from "../../shared/domain/stages";

/** Seeding shared by the suites: people with a session cookie, a project with one clip, a task. */

/** A user with a known password, and a Cookie header for them (no HTTP round trip needed). */
export type TestUser = { id: string; email: string; password: string; role: Role; displayName: string; cookie: string };

let cachedHash: { password: string; hash: Promise<string> } | undefined;

export async function createTestUser(db: Db, role: Role, opts: { email?: string; name?: string; active?: boolean } = {}): Promise<TestUser> {
  const password = "correct horse battery";
  // One scrypt hash shared by every test user keeps suites fast.
  cachedHash ??= { password, hash: hashPassword(password) };
  const email = opts.email ?? `${role}-${randomBytes(4).toString("hex")}@test.local`;
  const displayName = opts.name ?? `${role} ${email.slice(0, 12)}`;
  const [row] = await db
    .insert(users)
    .values({ email, role, displayName, passwordHash: await cachedHash.hash, active: opts.active ?? true })
    .returning({ id: users.id });
  if (!row) throw new Error("could not create test user");
  const token = await createSession(db, row.id);
  return { id: row.id, email, password, role, displayName, cookie: `${SESSION_COOKIE}=${token}` };
}

export type Person = { id: string; name: string; role: Role; cookie: string };

/** A signed-in person known by name (the loop and review suites). */
export async function person(db: Db, role: Role, name = `${role}-${randomUUID().slice(0, 6)}`): Promise<Person> {
  const { id, cookie } = await createTestUser(db, role, { email: `${randomUUID()}@loop.test`, name });
  return { id, name, role, cookie };
}

type ClipOptions = { projectName: string; settings?: ProjectSettings; title: string; path: string; sha256: string; durationSec: number; fps?: number };

async function insertClip(db: Db, o: ClipOptions): Promise<{ projectId: string; videoId: string }> {
  const [project] = await db.insert(projects).values({ name: o.projectName, settings: o.settings ?? {} }).returning({ id: projects.id });
  if (!project) throw new Error("project not created");
  const [video] = await db
    .insert(videos)
    .values({ projectId: project.id, title: o.title, storage: "data", path: o.path, mimeType: "video/webm", sizeBytes: 1, sha256: o.sha256, durationSec: o.durationSec, fps: o.fps })
    .returning({ id: videos.id });
  if (!video) throw new Error("video not created");
  return { projectId: project.id, videoId: video.id };
}

/** A fresh project with one 10-second clip (the loop suites). */
export function seedProject(db: Db, settings: ProjectSettings = {}): Promise<{ projectId: string; videoId: string }> {
  return insertClip(db, { projectName: `loop-${randomUUID()}`, settings, title: "clip", path: "clip.webm", sha256: randomUUID(), durationSec: 10 });
}

/** A fresh project with one 6-second, 24 fps clip of this title (the training and versions suites). */
export function clip(db: Db, title = "Clip A"): Promise<{ projectId: string; videoId: string }> {
  return insertClip(db, { projectName: `P ${title} ${Math.random()}`, title, path: "a.webm", sha256: "a".repeat(64), durationSec: 6, fps: 24 });
}

export async function seedTask(
  db: Db,
  o: { projectId: string; videoId: string; aspect: Aspect; annotatorId: string; specVersion: string; stage?: Stage; reviewerId?: string | null },
): Promise<string> {
  const [row] = await db
    .insert(tasks)
    .values({
      projectId: o.projectId,
      videoId: o.videoId,
      aspect: o.aspect,
      stage: o.stage ?? "labelling",
      annotatorId: o.annotatorId,
      reviewerId: o.reviewerId ?? null,
      specVersion: o.specVersion,
    })
    .returning({ id: tasks.id });
  if (!row) throw new Error("task not created");
  return row.id;
}
