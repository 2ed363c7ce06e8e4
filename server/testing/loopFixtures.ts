import { randomUUID } from "node:crypto";
import { createSession, SESSION_COOKIE } from "../auth/sessions";
import type { Db } from "../db/index";
import { projects, tasks, users, videos } from "../db/schema/index";
import type { ProjectSettings } from "../db/schema/media";
import type { Aspect, Role } from "../../shared/domain";
import type { Label } from "../../shared/labels";
import type { AspectSpec, Spec, SubAspect } from "../../shared/captionSpec/schema";
import type { Stage } from "../../shared/domain/stages";

/**
 * Seeding for the loop's tests and benchmark. The real spec grows while people edit it, so labels are picked by
 * kind: one valid answer per sub-aspect of an aspect.
 */

const plain = (sub: SubAspect) => sub.primitives.filter((p) => !p.needsDescription);

/** One valid, complete label set for an aspect (a start→end pair that changes where it can). */
export function completeLabels(aspect: AspectSpec): Label[] {
  const out: Label[] = [];
  const base = { notSure: false, timeStart: null, timeEnd: null, note: null };
  for (const sub of aspect.subAspects) {
    const [first, second] = plain(sub);
    if (!first) continue;
    if (sub.value === "yes_no") out.push({ ...base, primitiveId: first.id, value: { kind: "yes" } });
    if (sub.value === "one_of") out.push({ ...base, primitiveId: first.id, value: { kind: "selected" } });
    if (sub.value === "start_end") {
      if (second) {
        out.push({ ...base, primitiveId: first.id, value: { kind: "start_end", at: "start" } });
        out.push({ ...base, primitiveId: second.id, value: { kind: "start_end", at: "end" } });
      } else out.push({ ...base, primitiveId: first.id, value: { kind: "start_end", at: "both" } });
    }
  }
  return out;
}

/** The spec's camera aspect (no dependencies), or the first aspect. */
export function pickAspect(spec: Spec): AspectSpec {
  const a = spec.aspects.find((x) => x.aspect === "camera") ?? spec.aspects[0];
  if (!a) throw new Error("the spec has no aspects");
  return a;
}

export type Person = { id: string; name: string; role: Role; cookie: string };

export async function person(db: Db, role: Role, name = `${role}-${randomUUID().slice(0, 6)}`): Promise<Person> {
  const [row] = await db
    .insert(users)
    .values({ email: `${randomUUID()}@loop.test`, displayName: name, role, passwordHash: "x" })
    .returning({ id: users.id });
  if (!row) throw new Error("user not created");
  const token = await createSession(db, row.id);
  return { id: row.id, name, role, cookie: `${SESSION_COOKIE}=${token}` };
}

export async function seedProject(db: Db, settings: ProjectSettings = {}): Promise<{ projectId: string; videoId: string }> {
  const [project] = await db.insert(projects).values({ name: `loop-${randomUUID()}`, settings }).returning({ id: projects.id });
  if (!project) throw new Error("project not created");
  const [video] = await db
    .insert(videos)
    .values({
      projectId: project.id,
      title: "clip",
      storage: "data",
      path: "clip.webm",
      mimeType: "video/webm",
      sizeBytes: 1,
      durationSec: 10,
      sha256: randomUUID(),
    })
    .returning({ id: videos.id });
  if (!video) throw new Error("video not created");
  return { projectId: project.id, videoId: video.id };
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
