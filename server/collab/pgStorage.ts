import { asc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../db";
import { docSnapshots, docUpdates } from "../db/schema";
import { arrayLiteral, textArray } from "../db/arrayParam";
import { batchLookups } from "../db/batch";
import { mergeToState, type AppendEntry, type CompactionResult, type DocStorage, type StoredRoom } from "./storage";

/** Rows merged per compaction pass; keeps the DELETE's id list well under the driver's parameter limit. */
const COMPACTION_BATCH = 10_000;
/** Rooms per load statement: a join storm's rooms in a few statements, each answer of bounded size. */
const ROOMS_PER_LOAD = 100;
/** Rows per INSERT statement. */
const APPEND_BATCH = 5_000;

/** postgres.js sends a Buffer as bytea; PGlite accepts it too (a Buffer is a Uint8Array). */
function asBuffer(u: Uint8Array): Buffer {
  return Buffer.isBuffer(u) ? u : Buffer.from(u.buffer, u.byteOffset, u.byteLength);
}

/**
 * The room log in PostgreSQL: doc_updates (append-only rows) and doc_snapshots (compacted state).
 * Loading reads snapshot and rows in one statement (one MVCC snapshot) so a concurrent compaction can never make a
 * load see the old snapshot without the rows it merged. Compaction deletes exactly the rows it merged (by id):
 * rows committed meanwhile by another process, whatever their id, stay in the log and are read on the next load.
 */
export class PgStorage implements DocStorage {
  /** Built on the first load (not for the short-lived storages of append transactions), then reused. */
  private loadQuery: ReturnType<PgStorage["buildLoadQuery"]> | undefined;
  /** Rooms asked for in one turn load together (a join storm opens many at once): one statement, not one each. */
  private readonly batchedLoad = batchLookups((rooms: readonly string[]) => this.loadMany(rooms), { maxBatch: ROOMS_PER_LOAD });

  /** `appendDb`: where appends go when the database gives them a connection of their own (Database.appendDb). */
  constructor(
    private readonly db: Db,
    private readonly appendDb: Db = db,
  ) {}

  async load(room: string): Promise<StoredRoom> {
    return (await this.batchedLoad(room)) ?? { snapshot: null, updates: [], bytes: 0 };
  }

  /** Many rooms' logs. One statement sees one consistent snapshot of both tables, and costs one round trip. */
  async loadMany(rooms: readonly string[]): Promise<Map<string, StoredRoom>> {
    this.loadQuery ??= this.buildLoadQuery();
    const rows = await this.loadQuery.execute({ rooms: arrayLiteral(rooms) });
    const found = new Map<string, StoredRoom>();
    for (const r of rows) {
      let stored = found.get(r.room);
      if (!stored) found.set(r.room, (stored = { snapshot: null, updates: [], bytes: 0 }));
      stored.bytes += r.data.length;
      if (Number(r.kind) === 0) stored.snapshot = r.data;
      else stored.updates.push(r.data);
    }
    return found;
  }

  private buildLoadQuery() {
    // One statement text for any number of rooms (one prepared statement), as appends do.
    const rooms = sql`any(${sql.placeholder("rooms")}::text[])`;
    return this.db
      .select({ room: docSnapshots.room, kind: sql<number>`0`.as("kind"), data: docSnapshots.state })
      .from(docSnapshots)
      .where(sql`${docSnapshots.room} = ${rooms}`)
      .unionAll(
        this.db
          .select({ room: docUpdates.room, kind: sql<number>`1`.as("kind"), data: docUpdates.update })
          .from(docUpdates)
          .where(sql`${docUpdates.room} = ${rooms}`),
      )
      .prepare("collab_load_rooms");
  }

  async append(entries: readonly AppendEntry[]): Promise<void> {
    if (entries.length === 0) return;
    if (entries.length <= APPEND_BATCH) return this.appendOne(entries);
    await this.appendDb.transaction(async (tx) => {
      for (let i = 0; i < entries.length; i += APPEND_BATCH) await new PgStorage(tx).appendOne(entries.slice(i, i + APPEND_BATCH));
    });
  }

  /**
   * One INSERT … SELECT FROM unnest of two array parameters: the statement text is the same for any batch size (one
   * prepared statement) and costs a fraction of a multi-row VALUES list. Updates travel hex-encoded in a text[],
   * which both drivers serialise the same way.
   */
  private async appendOne(entries: readonly AppendEntry[]): Promise<void> {
    const rooms = entries.map((e) => e.room);
    const hex = entries.map((e) => asBuffer(e.update).toString("hex"));
    await this.appendDb.execute(
      sql`insert into doc_updates (room, update) select r, decode(h, 'hex') from unnest(${textArray(rooms)}, ${textArray(hex)}) with ordinality as t(r, h, i) order by i`,
    );
  }

  async compact(room: string): Promise<CompactionResult> {
    const total: CompactionResult = { mergedUpdates: 0, mergedBytes: 0, snapshotBytes: 0 };
    for (;;) {
      const pass = await this.compactPass(room);
      total.mergedUpdates += pass.mergedUpdates;
      total.mergedBytes += pass.mergedBytes;
      total.snapshotBytes = pass.snapshotBytes;
      if (pass.mergedUpdates < COMPACTION_BATCH) return total;
    }
  }

  private compactPass(room: string): Promise<CompactionResult> {
    return this.db.transaction(async (tx) => {
      // Two processes compacting one room would both merge the same rows; the lock makes the second a no-op.
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${"collab:" + room}))`);
      const [snap] = await tx
        .select({ state: docSnapshots.state, lastUpdateId: docSnapshots.lastUpdateId })
        .from(docSnapshots)
        .where(eq(docSnapshots.room, room));
      const rows = await tx
        .select({ id: docUpdates.id, update: docUpdates.update })
        .from(docUpdates)
        .where(eq(docUpdates.room, room))
        .orderBy(asc(docUpdates.id))
        .limit(COMPACTION_BATCH);
      if (rows.length === 0) return { mergedUpdates: 0, mergedBytes: 0, snapshotBytes: snap?.state.length ?? 0 };
      const state = mergeToState(snap?.state ?? null, rows.map((r) => r.update));
      const lastUpdateId = Math.max(snap?.lastUpdateId ?? 0, ...rows.map((r) => r.id));
      await tx
        .insert(docSnapshots)
        .values({ room, state: asBuffer(state), lastUpdateId })
        .onConflictDoUpdate({
          target: docSnapshots.room,
          set: { state: asBuffer(state), lastUpdateId, updatedAt: new Date() },
        });
      await tx.delete(docUpdates).where(inArray(docUpdates.id, rows.map((r) => r.id)));
      return {
        mergedUpdates: rows.length,
        mergedBytes: rows.reduce((n, r) => n + r.update.length, 0),
        snapshotBytes: state.length,
      };
    });
  }
}
