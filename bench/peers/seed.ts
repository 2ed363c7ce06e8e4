/**
 * What our server needs before the load can join: tasks in a stage whose draft everyone may write, and one person
 * with a session per connection (the per-person connection bound then never limits the benchmark). Fresh rooms for
 * every round, so each round starts from empty documents as the in-memory peers do.
 */
import { createHash, randomBytes } from "node:crypto";
import { taskRoom } from "../../shared/collab/protocol";
import type { Database } from "../../server/db";
import { projects, sessions, tasks, users, videos } from "../../server/db/schema";

export type SeededRound = { rooms: string[]; cookies: Map<string, string[]> };

const CHUNK = 1000;

export async function seedRounds(database: Database, roomCount: number, rounds: number): Promise<SeededRound[]> {
  const db = database.db;
  const [p] = await db.insert(projects).values({ name: "bench peers" }).returning({ id: projects.id });
  const [v] = await db
    .insert(videos)
    .values({ projectId: p!.id, title: "bench", storage: "data", path: "b.webm", mimeType: "video/webm", sizeBytes: 1, sha256: "bench" })
    .returning({ id: videos.id });
  const total = roomCount * rounds;
  // Leads may write the draft in every stage the bench uses: the typist's edits are never refused.
  const people = Array.from({ length: total * 3 }, (_, i) => ({ email: `peer${i}@bench.test`, displayName: `Peer ${i}`, role: "lead" as const, passwordHash: "x" }));
  const ids: string[] = [];
  for (let i = 0; i < people.length; i += CHUNK) {
    ids.push(...(await db.insert(users).values(people.slice(i, i + CHUNK)).returning({ id: users.id })).map((r) => r.id));
  }
  const tokens = ids.map(() => randomBytes(32).toString("base64url"));
  const expiresAt = new Date(Date.now() + 86_400_000);
  const sessionRows = ids.map((userId, i) => ({ userId, tokenHash: createHash("sha256").update(tokens[i]!).digest("hex"), expiresAt }));
  for (let i = 0; i < sessionRows.length; i += CHUNK) await db.insert(sessions).values(sessionRows.slice(i, i + CHUNK));
  const taskRows = Array.from({ length: total }, (_, i) => ({
    projectId: p!.id,
    videoId: v!.id,
    aspect: "camera" as const,
    specVersion: "bench",
    stage: "critiquing" as const,
    annotatorId: ids[i * 3]!,
  }));
  const taskIds: string[] = [];
  for (let i = 0; i < taskRows.length; i += CHUNK) {
    taskIds.push(...(await db.insert(tasks).values(taskRows.slice(i, i + CHUNK)).returning({ id: tasks.id })).map((r) => r.id));
  }
  return Array.from({ length: rounds }, (_, r) => {
    const rooms: string[] = [];
    const cookies = new Map<string, string[]>();
    for (let i = r * roomCount; i < (r + 1) * roomCount; i++) {
      const room = taskRoom(taskIds[i]!);
      rooms.push(room);
      cookies.set(room, [0, 1, 2].map((k) => `chai_session=${tokens[i * 3 + k]}`));
    }
    return { rooms, cookies };
  });
}
