/**
 * Test-only child process: a server instance (testing/instances.ts) that starts a revision of TASK_ID as USER_ID
 * with a model that streams one chunk and then never finishes, prints {"roundId","n","pid"} once that chunk is in
 * the room and stored, and keeps running until it is killed (the crash tests kill it with -9).
 * Env: DATABASE_URL, REDIS_URL, TASK_ID, USER_ID, LEASE_TTL_MS, LEASE_RENEW_MS.
 */
import { eq } from "drizzle-orm";
import { users } from "../../db/schema";
import { taskRoom } from "../../../shared/collab/protocol";
import { readPostText } from "../../../shared/room/document";
import { HELD_CHUNK, gatedProvider, startInstance, until } from "./instances";

const need = (name: string): string => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is required`);
  return v;
};

async function main() {
  const instance = await startInstance({
    databaseUrl: need("DATABASE_URL"),
    redisUrl: need("REDIS_URL"),
    provider: gatedProvider([HELD_CHUNK]).provider,
    revisionLease: { ttlMs: Number(need("LEASE_TTL_MS")), renewMs: Number(need("LEASE_RENEW_MS")) },
  });
  const { db } = instance.database;
  const [user] = await db.select({ id: users.id, email: users.email, displayName: users.displayName, role: users.role }).from(users).where(eq(users.id, need("USER_ID")));
  if (!user) throw new Error("no such user");
  const taskId = need("TASK_ID");
  const { roundId, n } = await instance.services.loop.revisions.request(taskId, user);
  const { rooms } = instance.services;
  await until("the first chunk in the room", async () => ((await rooms.withDoc(taskRoom(taskId), readPostText)) === HELD_CHUNK ? true : null));
  await rooms.flush();
  process.stdout.write(`${JSON.stringify({ roundId, n, pid: process.pid })}\n`);
  // Held until killed.
  setInterval(() => {}, 60_000);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
