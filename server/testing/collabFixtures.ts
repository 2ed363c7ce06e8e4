import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { Db } from "../db/index";
import { projects, sessions, tasks, users, videos } from "../db/schema/index";
import type { Role } from "../../shared/domain";
import type { Stage } from "../../shared/domain/stages";

export type SeededUser = { id: string; name: string; role: Role; cookie: string };

/** A user with a live session, inserted directly (the auth module's createSession does the same). */
export async function seedUser(db: Db, role: Role, name = `${role}-${randomUUID().slice(0, 8)}`): Promise<SeededUser> {
  const [u] = await db
    .insert(users)
    .values({ email: `${name}@collab.test`, displayName: name, role, passwordHash: "x" })
    .returning({ id: users.id });
  const token = randomBytes(32).toString("base64url");
  await db.insert(sessions).values({
    tokenHash: createHash("sha256").update(token).digest("hex"),
    userId: u!.id,
    expiresAt: new Date(Date.now() + 3_600_000),
  });
  return { id: u!.id, name, role, cookie: `chai_session=${token}` };
}

/** A task with its project and video; annotator/reviewer as given. */
export async function seedTask(
  db: Db,
  opts: { annotatorId: string | null; reviewerId?: string | null; stage?: Stage },
): Promise<string> {
  const tag = randomUUID();
  const [p] = await db.insert(projects).values({ name: `collab-${tag}` }).returning({ id: projects.id });
  const [v] = await db
    .insert(videos)
    .values({
      projectId: p!.id,
      title: "clip",
      storage: "data",
      path: `${tag}.webm`,
      mimeType: "video/webm",
      sizeBytes: 1,
      sha256: tag,
    })
    .returning({ id: videos.id });
  const [t] = await db
    .insert(tasks)
    .values({
      projectId: p!.id,
      videoId: v!.id,
      aspect: "camera",
      specVersion: "test",
      stage: opts.stage ?? "critiquing",
      annotatorId: opts.annotatorId,
      reviewerId: opts.reviewerId ?? null,
    })
    .returning({ id: tasks.id });
  return t!.id;
}
