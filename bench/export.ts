/**
 * `npm run bench:export [-- --tasks N] [--batch CLIPS]`: the dataset export on a large database.
 *
 * Creates its own database on the real PostgreSQL (DATABASE_URL's server, else 127.0.0.1:5432) and drops it at the
 * end; fills it with N synthetic approved tasks (default 100,000: N/5 clips × 5 aspects), each with a submitted
 * version (two critique items), two revision rounds and three primitive labels; then runs `export --format all
 * --split test=0.1` in this process while sampling memory every 20 ms, and prints rows/s, records/s, bytes written,
 * and the peak RSS and heap growth over the baseline taken just before the export. Fails (exit 1) when RSS grows
 * by more than the bound (200 MB): the export must stream, not collect.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { openDatabase } from "../server/db";
import { loadConfig } from "../server/config";
import { exportDataset } from "../server/dataset/exportDataset";
import { videosDir } from "../server/videos/storage";
import { videos } from "../server/db/schema";
import { DEFAULT_BATCH_VIDEOS } from "../server/dataset/read";
import { adminUrl, withDatabase } from "../server/testing/pgUrls";

const RSS_BOUND_MB = 200;

function numberArg(name: string, dflt: number, min: number): number {
  const argv = process.argv.slice(2);
  const i = argv.indexOf(`--${name}`);
  const n = i >= 0 ? Number(argv[i + 1]) : dflt;
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min}`);
  return n;
}

function taskCount(): number {
  const n = numberArg("tasks", 100_000, 5);
  return n - (n % 5);
}

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

async function fill(db: Awaited<ReturnType<typeof openDatabase>>["db"], tasks: number) {
  const clips = tasks / 5;
  await db.execute(sql`insert into users (email, display_name, role, password_hash) values
    ('bench-annotator@example.com', 'Bench Annotator', 'annotator', '!'),
    ('bench-reviewer@example.com', 'Bench Reviewer', 'reviewer', '!')`);
  await db.execute(sql`insert into projects (name) values ('Bench')`);
  await db.execute(sql`
    insert into videos (project_id, title, storage, path, mime_type, size_bytes, sha256)
    select p.id, 'clip ' || i, 'data', encode(sha256(('clip' || i)::bytea), 'hex') || '.webm', 'video/webm', 1000000,
           encode(sha256(('clip' || i)::bytea), 'hex')
    from generate_series(1, ${clips}) i, projects p where p.name = 'Bench'`);
  await db.execute(sql`
    insert into tasks (project_id, video_id, aspect, stage, annotator_id, reviewer_id, spec_version, score, created_at, submitted_at, reviewed_at)
    select v.project_id, v.id, a.aspect, 'approved', ann.id, rev.id, '1.0.0+abcdefabcdef', 1 + (abs(hashtext(v.id::text || a.aspect)) % 5),
           now() - interval '1 day', now() - interval '20 hours', now() - interval '10 hours'
    from videos v
    cross join (values ('subject'), ('scene'), ('motion'), ('spatial'), ('camera')) a(aspect)
    cross join (select id from users where email = 'bench-annotator@example.com') ann
    cross join (select id from users where email = 'bench-reviewer@example.com') rev`);
  const item = (id: string, t: number) =>
    `{"id":"${id}","errorType":"wrong_term","primitiveId":"camera.movement.dolly_in","what":"It is a dolly, not a zoom: the perspective changes as the camera moves.","fix":"Write \\"dollies in toward\\".","anchor":{"start":"AAAA","end":"AAAB","quote":"zooms in on"},"timeStart":${t},"timeEnd":${t + 2},"createdBy":"bench","createdAt":"2026-01-01T00:00:00.000Z"}`;
  const critique = `[${item("i1", 1)},${item("i2", 5)}]`;
  await db.execute(sql`
    insert into task_versions (task_id, author_id, author_role, pre_caption, score, critique, critique_text, post_caption, created_at)
    select t.id, t.annotator_id, 'annotator',
           'The camera zooms in on a man sitting at a wooden desk in a dim office while rain streaks the window behind him (' || t.aspect || ').',
           t.score, case when t.score = 5 then '[]'::jsonb else ${critique}::jsonb end,
           case when t.score = 5 then '' else 'Wrong term: "zooms in on" — it is a dolly. Fix: write "dollies in toward".' end,
           case when t.score = 5 then 'The camera zooms in on a man sitting at a wooden desk in a dim office while rain streaks the window behind him (' || t.aspect || ').'
                else 'The camera dollies in toward a man sitting at a wooden desk in a dim office while rain streaks the window behind him (' || t.aspect || ').' end,
           now() - interval '19 hours'
    from tasks t`);
  await db.execute(sql`
    insert into rounds (task_id, n, requested_by, status, critique, critique_text, post_caption, provider, model, prompt_hash, started_at, finished_at)
    select t.id, n, t.annotator_id, 'done', ${critique}::jsonb, 'critique text', 'The camera dollies in toward a man sitting at a desk.', 'rules', 'rules-v1', 'ph', now(), now()
    from tasks t cross join generate_series(1, 2) n where t.score < 5`);
  await db.execute(sql`
    insert into task_labels (task_id, primitive_id, value, labelled_by)
    select t.id, t.aspect || '.group.p' || k, '{"kind":"yes"}'::jsonb, t.annotator_id from tasks t cross join generate_series(1, 3) k`);
  await db.execute(sql`
    insert into review_decisions (task_id, reviewer_id, decision, created_at)
    select t.id, t.reviewer_id, 'approve', now() - interval '10 hours' from tasks t`);
  await db.execute(sql`analyze`);
}

async function main() {
  const tasks = taskCount();
  const admin = adminUrl();
  const name = `chai_bench_export_${randomBytes(4).toString("hex")}`;
  const adminSql = postgres(admin, { max: 1, onnotice: () => {} });
  await adminSql.unsafe(`create database "${name}"`);
  const database = await openDatabase({ kind: "postgres", url: withDatabase(admin, name) });
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "chai-bench-export-"));
  try {
    let t = Date.now();
    await fill(database.db, tasks);
    console.log(`filled ${tasks.toLocaleString("en")} tasks (${tasks / 5} clips) in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    // The export places every clip beside its records (hard links), so each synthetic clip needs a file.
    const config = loadConfig({ DATA_DIR: outDir });
    fs.mkdirSync(videosDir(config), { recursive: true });
    const clips = await database.db.select({ path: videos.path }).from(videos);
    for (const c of clips) fs.writeFileSync(path.join(videosDir(config), c.path), "synthetic clip");

    global.gc?.();
    const base = process.memoryUsage();
    let peakRss = base.rss;
    let peakHeap = base.heapUsed;
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakHeap = Math.max(peakHeap, m.heapUsed);
    }, 20);
    t = Date.now();
    const { manifest } = await exportDataset(database.db, config, {
      format: "all",
      outDir: path.join(outDir, "export"),
      status: "approved",
      testShare: 0.1,
      seed: 0,
      pseudonymSecret: new Uint8Array(32),
      batchSize: process.argv.includes("--batch") ? numberArg("batch", DEFAULT_BATCH_VIDEOS, 1) : undefined,
    });
    const seconds = (Date.now() - t) / 1000;
    clearInterval(sampler);
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);

    const records = manifest.files.reduce((n, f) => n + f.records, 0);
    const bytes = manifest.files.reduce((n, f) => n + f.bytes, 0);
    const growth = (peakRss - base.rss) / 1024 / 1024;
    console.log(`exported ${manifest.tasks.toLocaleString("en")} tasks → ${records.toLocaleString("en")} records, ${mb(bytes)} MB in ${seconds.toFixed(1)} s`);
    console.log(`  ${Math.round(manifest.tasks / seconds).toLocaleString("en")} tasks/s, ${Math.round(records / seconds).toLocaleString("en")} records/s`);
    for (const f of manifest.files) console.log(`  ${f.name.padEnd(28)} ${String(f.records).padStart(8)} records ${mb(f.bytes).padStart(8)} MB`);
    console.log(`  RSS: baseline ${mb(base.rss)} MB, peak ${mb(peakRss)} MB, growth ${growth.toFixed(1)} MB (bound ${RSS_BOUND_MB} MB)`);
    console.log(`  heap used: baseline ${mb(base.heapUsed)} MB, peak ${mb(peakHeap)} MB, growth ${mb(peakHeap - base.heapUsed)} MB`);
    if (growth > RSS_BOUND_MB) {
      console.error(`RSS grew by ${growth.toFixed(1)} MB, over the ${RSS_BOUND_MB} MB bound.`);
      process.exitCode = 1;
    }
  } finally {
    await database.close();
    await adminSql.unsafe(`drop database if exists "${name}" with (force)`);
    await adminSql.end();
    fs.rmSync(outDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exitCode = 1;
});
