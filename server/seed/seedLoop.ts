import { PgStorage } from "../collab/pgStorage";
import { RoomRegistry } from "../collab/rooms";
import type { Config } from "../config";
import type { Database, Db } from "../db";
import { createLoop, loopDepsFrom, type Loop } from "../loop";
import { createRulesProvider } from "../pipeline/providers/rules";

/**
 * The loop the demo seed replays work through, inside one transaction: on the embedded database a commit per
 * statement would cost more than the work itself. The rooms registry is the seed's own and writes its log inside
 * that transaction, so the task rooms and the rows they go with are committed together (or not at all); the
 * server's registry loads those rooms from the database when someone first opens one. On PGlite the transaction
 * holds the only connection: the present day's work is seeded before the server listens, the history after, in
 * small transactions (demoHistory.ts), on tasks nobody has opened yet.
 *
 * The demo's drafts and revisions use the deterministic rules provider, whatever the install is configured with.
 */
export async function withSeedLoop<T>(
  config: Config,
  database: Database,
  opts: { clock?: () => Date; log?: (line: string) => void },
  work: (loop: Loop) => Promise<T>,
): Promise<T> {
  return database.db.transaction(async (outer) => {
    const tx = flat(outer);
    // Compaction only costs time here: the rooms are small and compacted later, when the server's registry saves.
    const never = Number.MAX_SAFE_INTEGER;
    const rooms = new RoomRegistry({ storage: new PgStorage(tx), compaction: { maxTailUpdates: never, maxTailBytes: never } });
    const loop = createLoop(
      loopDepsFrom({ db: tx, config, rooms, providerFor: () => createRulesProvider(), log: opts.log ?? (() => {}), clock: opts.clock }),
    );
    try {
      return await work(loop);
    } finally {
      await rooms.close();
    }
  });
}

/**
 * The seed's transaction with the services' own transactions run as plain parts of it, not as savepoints: the seed
 * is all or nothing anyway (any failure abandons it whole), and a savepoint and its release are two statements
 * around every stage change, a fifth of the seed's statements.
 */
function flat(tx: Db): Db {
  const self: Db = new Proxy(tx, {
    get(target, prop) {
      if (prop === "transaction") return <T>(work: (inner: Db) => Promise<T>) => work(self);
      const value: unknown = Reflect.get(target, prop);
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return self;
}
